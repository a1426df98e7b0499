"""The dateline that opens a story, and the seed format's leading date."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners import clean_text
from cleaners.dateline import (
    StoryOpening,
    dateline_date,
    find_dateline,
    find_opening,
    split_date_prefix,
)


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
        ("TOKYO, June 6, 2010 (AFP) – Japan's new premier", "TOKYO, June 6, 2010 (AFP)"),
        ("HANOI, Dec. 18 (Xinhua) -- Vietnam's exports", "HANOI, Dec. 18 (Xinhua)"),
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


_STORY = (
    "Voters in Hanoi's Ba Dinh, Tay Ho and Hoan Kiem districts expressed their support for "
    "the leadership during their meeting with the Party General Secretary on October 15."
)


def test_a_dateline_alone_on_its_line_opens_the_next_paragraph() -> None:
    article = clean_text(f"Hanoi voters confident in leadership\n\nHanoi (VNA) –\n{_STORY}\nMore.")
    assert article.dateline == "Hanoi (VNA)"
    assert article.paragraphs[0] == f"Hanoi (VNA) – {_STORY}"
    # the headline above goes as the text's header (or, failing that, as what stands before it)
    assert [r.text for r in article.removed] == ["Hanoi voters confident in leadership"]
    assert article.removed[0].reason in {"header", "before_dateline"}


def test_a_dateline_below_a_caption_and_a_standfirst_opens_the_body() -> None:
    text = "\n".join(
        [
            "Trinh Ba Tu is arrested (Photo: VNA)",
            _STORY,
            f"Hoa Binh (VNA) – {_STORY}",
            "Through the investigation, the authorities found a number of documents.",
        ]
    )
    article = clean_text(text)
    assert article.dateline == "Hoa Binh (VNA)"
    assert article.text.startswith(f"Hoa Binh (VNA) – {_STORY}")
    # the caption goes as a caption, the standfirst as what stands before the dateline
    assert [r.reason for r in article.removed] == ["caption", "before_dateline"]


@pytest.mark.parametrize(
    ("opening", "dateline", "date"),
    [
        ("TOKYO, June 6, 2010 (AFP) –", "TOKYO, June 6, 2010 (AFP)", "2010-06-06"),
        ("HANOI, Dec. 18 (Xinhua) --", "HANOI, Dec. 18 (Xinhua)", None),
        ("Hà Nội, 30/5/2024 (VNA) -", "Hà Nội, 30/5/2024 (VNA)", "2024-05-30"),
    ],
)
def test_a_dateline_with_a_date_gives_the_date(opening: str, dateline: str, date: str) -> None:
    text = f"Japan's new PM to curb power of kingmaker\n{opening} {_STORY}\nMore follows."
    article = clean_text(text)
    assert article.dateline == dateline
    assert article.text.startswith(f"{opening} {_STORY}")
    assert article.date == date


def test_a_dateline_after_the_story_began_is_not_the_dateline() -> None:
    text = "\n".join([_STORY, _STORY + " Again.", _STORY + " Twice.", f"HANOI (VNA) – {_STORY}"])
    article = clean_text(text)
    assert article.dateline is None
    assert len(article.paragraphs) == 4


def test_past_the_first_paragraph_a_title_case_name_needs_a_wire_service() -> None:
    text = f"A caption of the event\nTim Cook (Apple CEO) – {_STORY}\nMore."
    article = clean_text(text)
    assert article.dateline is None
    assert f"Tim Cook (Apple CEO) – {_STORY}" in article.paragraphs


def test_find_opening_and_dateline_date() -> None:
    opening = find_opening(["(Photo: VNA)", "Hanoi (VNA) –", _STORY])
    assert opening == StoryOpening(index=1, dateline="Hanoi (VNA)", lone=True)
    assert find_opening(["Hanoi (VNA) –"]) is None  # no story after it
    assert dateline_date("TOKYO, June 6, 2010 (AFP)") == "2010-06-06"
    assert dateline_date("HANOI, Dec. 18 (Xinhua)") is None
    assert dateline_date("HÀ NỘI") is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=120), max_size=8))
def test_find_opening_never_raises(paragraphs: list[str]) -> None:
    opening = find_opening(paragraphs)
    if opening is not None:
        assert 0 <= opening.index < len(paragraphs)
        opened = unicodedata.normalize("NFC", paragraphs[opening.index]).lstrip()
        assert opened.startswith(opening.dateline)
        assert not opening.lone or opening.index + 1 < len(paragraphs)
