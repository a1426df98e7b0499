"""English articles wrapped in real Vietnamese page furniture (fixtures/constructed/).

Made by `python -m bench.make_constructed`: the furniture is cut from real Vietnamese pages and
put before, inside and after English AEB bodies. Every English paragraph must be kept and no
Vietnamese junk line may be left.
"""

import re
import unicodedata
from pathlib import Path

import pytest

from cleaners import clean_html, clean_text

CONSTRUCTED = Path(__file__).resolve().parents[2] / "fixtures" / "constructed"
HTML_PAGES = sorted(p.stem for p in CONSTRUCTED.glob("*.html"))
TEXT_PAGES = sorted(p.stem for p in CONSTRUCTED.glob("*.txt") if not p.stem.endswith(".junk"))
PINNED_KEYS = ("date", "language", "paragraphs", "title", "url")

VIETNAMESE_LETTERS = set("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")
# Toneless syllables common in junk headings ("Tin liên quan", "Kinh doanh", "Xem thêm").
TONELESS_SYLLABLES = {"tin", "quan", "xem", "kinh", "doanh", "trang", "chinh", "thanh", "theo"}
WORD = re.compile(r"[^\W\d_]+")


def is_vietnamese(line: str) -> bool:
    """True when most words of the line are Vietnamese."""
    words = WORD.findall(unicodedata.normalize("NFC", line).lower())
    if len(words) < 2:
        return False
    vietnamese = [w for w in words if VIETNAMESE_LETTERS & set(w) or w in TONELESS_SYLLABLES]
    return len(vietnamese) * 2 >= len(words)


def junk(name: str) -> list[str]:
    """The Vietnamese lines that were put into the fixture, those of two words or more."""
    lines = (CONSTRUCTED / f"{name}.junk.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if len(WORD.findall(line)) >= 2]


def expected(name: str) -> dict:
    import json

    return json.loads((CONSTRUCTED / f"{name}.json").read_text(encoding="utf-8"))


def clean(name: str):
    path = CONSTRUCTED / f"{name}.html"
    if path.exists():
        return clean_html(path.read_text(encoding="utf-8"))
    return clean_text((CONSTRUCTED / f"{name}.txt").read_text(encoding="utf-8"))


def test_there_are_enough_fixtures():
    assert len(HTML_PAGES) >= 8
    assert TEXT_PAGES


def test_the_junk_detector_sees_junk_and_not_english():
    assert is_vietnamese("Tin liên quan")
    assert is_vietnamese("Đọc nhiều trong Kinh doanh")
    assert not is_vietnamese("HÀ NỘI — Party General Secretary Tô Lâm has urged the ministries")


@pytest.mark.parametrize("name", HTML_PAGES + TEXT_PAGES)
def test_every_english_paragraph_is_kept(name):
    article = clean(name)
    missing = [p for p in expected(name)["paragraphs"] if p not in article.paragraphs]
    assert not missing, f"{len(missing)} English paragraph(s) lost, first: {missing[0]!r}"


@pytest.mark.parametrize("name", HTML_PAGES + TEXT_PAGES)
def test_no_vietnamese_junk_is_left(name):
    article = clean(name)
    lines = [line for line in article.text.splitlines() if line.strip()]
    assert [line for line in lines if is_vietnamese(line)] == []
    assert [j for j in junk(name) if any(j in line for line in lines)] == []


@pytest.mark.parametrize("name", HTML_PAGES + TEXT_PAGES)
def test_output_matches_the_expected_json(name, golden):
    actual = clean(name).to_dict()
    golden(CONSTRUCTED / f"{name}.json", {key: actual[key] for key in PINNED_KEYS})


@pytest.mark.parametrize("name", ["junk_everywhere", "plain_text_sidebar"])
def test_decomposed_input_gives_the_same_article(name):
    path = CONSTRUCTED / f"{name}.html"
    front = clean_html if path.exists() else clean_text
    source = path if path.exists() else CONSTRUCTED / f"{name}.txt"
    text = source.read_text(encoding="utf-8")
    assert front(unicodedata.normalize("NFD", text)).to_dict() == front(text).to_dict()


def test_bytes_and_text_give_the_same_article():
    html = (CONSTRUCTED / "junk_everywhere.html").read_text(encoding="utf-8")
    assert clean_html(html.encode("utf-8")).to_dict() == clean_html(html).to_dict()


def test_cleaning_is_deterministic():
    html = (CONSTRUCTED / "junk_everywhere.html").read_text(encoding="utf-8")
    assert clean_html(html).to_dict() == clean_html(html).to_dict()
