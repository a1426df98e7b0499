"""The dateline that opens a story, and the seed format's leading date."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.dateline import find_dateline, split_date_prefix


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("HÀ NỘI — Party General Secretary Tô Lâm has urged", "HÀ NỘI"),
        ("HCM CITY — The city's People's Committee", "HCM CITY"),
        ("HANOI (VNA) – Vietnam and Laos agreed", "HANOI (VNA)"),
        # kept as printed, date and agency included: it is the line that opens the story
        ("Hà Nội, 15/9/2025 (VNA) - Thủ tướng Chính phủ", "Hà Nội, 15/9/2025 (VNA)"),
        ("WASHINGTON (AP) — The Senate voted", "WASHINGTON (AP)"),
        ("KYIV, Ukraine (AP) — Russia launched", "KYIV, Ukraine (AP)"),
        ("BEIJING, Sept 15 (Reuters) - China's exports", "BEIJING, Sept 15 (Reuters)"),
        ("Hanoi (VNA) – The Ministry of Health", "Hanoi (VNA)"),
        ("ĐÀ NẴNG — Công an thành phố", "ĐÀ NẴNG"),
        ("HÀ NỘI—Party chief", "HÀ NỘI"),
        ("  NEW YORK -- Stocks rose", "NEW YORK"),
    ],
)
def test_datelines(paragraph: str, expected: str) -> None:
    assert find_dateline(paragraph) == expected


@pytest.mark.parametrize(
    "paragraph",
    [
        "The minister — who took office in May — said",
        "The Minister — who took office in May — said",
        "Ông Tô Lâm — Tổng Bí thư — nhấn mạnh",
        "Hà Nội-based firms said on Monday",
        "Vietnam is a country - it is in Asia",
        "UPDATE — the story has been corrected",
        "I — think — not",
        "HÀ NỘI —",
        "Party General Secretary Tô Lâm has urged the Party Committee",
        "",
        "A LONG RUN OF UPPER CASE WORDS THAT IS A SHOUTED HEADLINE RATHER THAN A PLACE — x",
    ],
)
def test_not_datelines(paragraph: str) -> None:
    assert find_dateline(paragraph) is None


def test_decomposed_vietnamese_is_recognised() -> None:
    nfd = unicodedata.normalize("NFD", "HÀ NỘI — Party chief")
    assert find_dateline(nfd) == "HÀ NỘI"


def test_seed_date_prefix() -> None:
    seed = " date 2025-09-15 HÀ NỘI — Party General Secretary Tô Lâm has urged"
    date, rest = split_date_prefix(seed)
    assert date == "2025-09-15"
    assert rest == "HÀ NỘI — Party General Secretary Tô Lâm has urged"
    assert find_dateline(rest) == "HÀ NỘI"


def test_seed_date_prefix_on_its_own_line() -> None:
    assert split_date_prefix("date 2025-09-15\nFirst paragraph.") == (
        "2025-09-15",
        "First paragraph.",
    )


@pytest.mark.parametrize(
    "text", ["No date here.", "date 2025-02-31 impossible", "the date 2025-09-15 is inside"]
)
def test_text_without_a_valid_prefix_is_untouched(text: str) -> None:
    assert split_date_prefix(text) == (None, text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_never_raises(text: str) -> None:
    dateline = find_dateline(text)
    assert dateline is None or unicodedata.normalize("NFC", text).lstrip().startswith(dateline)
    date, rest = split_date_prefix(text)
    assert date is not None or rest == text


@pytest.mark.parametrize(
    "text",
    [
        "US–China trade tensions rose on Monday as the two sides met in Geneva.",
        "EU–Vietnam Free Trade Agreement enters its fifth year with exports up.",
    ],
)
def test_an_en_dash_joining_two_names_is_not_a_dateline(text):
    assert find_dateline(text) is None
