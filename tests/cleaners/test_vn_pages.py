"""Real Vietnamese news pages: no English body by default, their own body with language=None."""

import gzip
import json
import unicodedata
from pathlib import Path

import pytest

from cleaners import clean_html

VN = Path(__file__).resolve().parents[2] / "fixtures" / "vn"
EXPECTED = json.loads((VN / "expected.json").read_text(encoding="utf-8"))
ALL_PAGES = sorted(p.name for p in VN.glob("*.html.gz"))


def page(name: str) -> bytes:
    return gzip.decompress((VN / name).read_bytes())


def test_the_fixtures_are_there():
    assert len(ALL_PAGES) >= 10
    assert len(EXPECTED) >= 8


@pytest.mark.parametrize("name", ALL_PAGES)
def test_vietnamese_page_has_no_english_body(name):
    article = clean_html(page(name))
    assert article.text == ""
    assert article.paragraphs == ()
    assert article.language == "vi"


@pytest.mark.parametrize("entry", EXPECTED, ids=[e["file"] for e in EXPECTED])
def test_own_language_keeps_the_vietnamese_body(entry):
    article = clean_html(page(entry["file"]), entry["url"], language=None)
    assert article.language == "vi"
    for snippet in entry.get("content_contains", []):
        assert snippet in article.text
    for snippet in entry.get("content_contains_lowercase", []):
        assert snippet in article.text.lower()


@pytest.mark.parametrize("name", ["tuoitre_article.html.gz", "vnexpress_list.html.gz"])
def test_decomposed_vietnamese_is_still_vietnamese(name):
    nfd = unicodedata.normalize("NFD", page(name).decode("utf-8"))
    article = clean_html(nfd)
    assert article.text == ""
    assert article.language == "vi"


def test_decomposed_input_keeps_the_same_composed_body():
    entry = next(e for e in EXPECTED if e["file"] == "dantri_article.html.gz")
    html = page(entry["file"]).decode("utf-8")
    composed = clean_html(html, entry["url"], language=None)
    decomposed = clean_html(unicodedata.normalize("NFD", html), entry["url"], language=None)
    assert decomposed.text == composed.text
    assert entry["content_contains"][0] in decomposed.text


# What each page prints after or inside its story that is not the story: a "see also" list and
# an embedded related-story box (headline and teaser).
APPENDED = {
    "baochinhphu_article.html.gz": ["Tham khảo thêm", "Châu Âu: Nhiều chính sách mới có hiệu lực"],
    "tuoitre_article.html.gz": ["Xung đột ở Trung Đông khiến xuất khẩu Việt lao đao"],
}


@pytest.mark.parametrize("name", sorted(APPENDED))
def test_own_language_body_leaves_out_the_related_stories(name):
    entry = next(e for e in EXPECTED if e["file"] == name)
    article = clean_html(page(name), entry["url"], language=None)
    assert len(article.paragraphs) >= 10
    for text in APPENDED[name]:
        assert text not in article.text
