"""The two seed documents, with the exact expectations of the project's data README."""

from pathlib import Path

import pytest

from cleaners import clean_text

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
SEED_000 = SEEDS / "000_3b2ff07cb60ce65c.txt"
SEED_001 = SEEDS / "001_dd01bd4d9dc302ff.txt"


def _english_lines(path: Path, count: int) -> list[str]:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line][:count]


def test_seed_000_keeps_the_nine_english_paragraphs_word_for_word_and_nothing_else():
    article = clean_text(SEED_000.read_text(encoding="utf-8"))
    assert list(article.paragraphs) == _english_lines(SEED_000, 9)
    assert article.text == "\n\n".join(article.paragraphs)
    assert article.date is None
    assert article.dateline is None
    assert article.language == "en"


def test_seed_000_reports_the_vietnamese_sidebar_as_removed():
    article = clean_text(SEED_000.read_text(encoding="utf-8"))
    removed = {r.text: r.reason for r in article.removed}
    assert removed["Ý kiến bạn đọc"] == "junk_heading"
    assert removed["Những tin mới hơn"] == "junk_heading"
    assert removed["Những tin cũ hơn"] == "junk_heading"
    assert len(article.removed) == 14  # 3 headings, 1 teaser, 10 headlines


def test_seed_001_gives_date_dateline_and_all_ten_paragraphs():
    article = clean_text(SEED_001.read_text(encoding="utf-8"))
    assert article.date == "2025-09-15"
    assert article.date_source == "text"
    assert article.dateline == "HÀ NỘI"
    assert len(article.paragraphs) == 10
    assert article.text.startswith("HÀ NỘI — Party General Secretary Tô Lâm")
    assert article.removed == ()


@pytest.mark.parametrize("name", ["Tô Lâm", "Lê Hoài Trung", "Bùi Thanh Sơn", "Việt Nam"])
def test_seed_001_keeps_names_with_diacritics(name):
    article = clean_text(SEED_001.read_text(encoding="utf-8"))
    assert name in article.text


def test_seed_001_body_is_the_source_text_without_the_date_prefix():
    source = SEED_001.read_text(encoding="utf-8")
    article = clean_text(source)
    body = source.split("2025-09-15", 1)[1]
    expected = [line.strip() for line in body.splitlines() if line.strip()]
    assert list(article.paragraphs) == expected
