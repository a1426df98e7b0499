"""Dates as pages print them, to the contract's ISO form."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners import clean_text
from cleaners.dates import date_from_url, normalize_iso, parse_date_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thứ Hai, 15/9/2025 08:31 (GMT+7)", "2025-09-15T08:31:00+07:00"),
        ("15/09/2025", "2025-09-15"),
        ("September 15, 2025", "2025-09-15"),
        ("15 September 2025", "2025-09-15"),
        ("Sep 15, 2025 | 08:31 pm GMT+7", "2025-09-15T20:31:00+07:00"),
        ("Sept. 5, 2019, 3:04 p.m. EDT", "2019-09-05T15:04:00-04:00"),
        ("2025-09-15", "2025-09-15"),
        ("2025-09-15T08:31:00Z", "2025-09-15T08:31:00+00:00"),
        # vnexpress.net, dantri.com.vn, cafef.vn, vietnamnet.vn, nld.com.vn, baodautu.vn
        ("Thứ bảy, 7/3/2026, 00:05 (GMT+7)", "2026-03-07T00:05:00+07:00"),
        ("Thứ bảy, 07/03/2026 - 08:07", "2026-03-07T08:07:00+07:00"),
        ("07-03-2026 - 00:01 AM", "2026-03-07T00:01:00+07:00"),
        ("07/03/2026 \xa0 08:52 (GMT+07:00)", "2026-03-07T08:52:00+07:00"),
        ("07/03/2026 08:06 GMT+7", "2026-03-07T08:06:00+07:00"),
        ("Nguyên Minh- 07/03/2026 08:47", "2026-03-07T08:47:00+07:00"),
        ("Thứ Bảy, Ngày 07 tháng 03 năm 2026", "2026-03-07"),
        ("12:30 PM 15/9/2025", "2025-09-15T12:30:00+07:00"),
        ("Sat, 07 Mar 2026 08:47:00 +0700", "2026-03-07T08:47:00+07:00"),
        ("15h30 ngày 15/9/2025", "2025-09-15T15:30:00+07:00"),
    ],
)
def test_printed_dates(text: str, expected: str) -> None:
    assert parse_date_text(text) == expected


def test_day_first_decides_ambiguous_numeric_dates() -> None:
    assert parse_date_text("03/07/2026") == "2026-07-03"
    assert parse_date_text("03/07/2026", day_first=False) == "2026-03-07"
    # 15 cannot be a month, whatever the page's habit
    assert parse_date_text("9/15/2025") == "2025-09-15"
    assert parse_date_text("15/9/2025", day_first=False) == "2025-09-15"


def test_naive_time_takes_the_default_offset_or_is_dropped() -> None:
    assert parse_date_text("15/9/2025 08:31", default_offset="+09:00") == (
        "2025-09-15T08:31:00+09:00"
    )
    assert parse_date_text("15/9/2025 08:31", default_offset=None) == "2025-09-15"
    assert parse_date_text("15/9/2025 08:31 GMT+7", default_offset=None) == (
        "2025-09-15T08:31:00+07:00"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-07T08:06:00+07:00", "2026-03-07T08:06:00+07:00"),
        ("2026-03-07T00:01:00", "2026-03-07T00:01:00+07:00"),  # cafef.vn: naive local time
        ("2026-03-07T08:52:11.000 +07:00", "2026-03-07T08:52:11+07:00"),  # vietnamnet.vn
        ("2026-03-07 08:07", "2026-03-07T08:07:00+07:00"),  # dantri.com.vn <time datetime>
        ("2019-11-20T04:31:13-0600", "2019-11-20T04:31:13-06:00"),
        ("2019-11-20T04:31:13z", "2019-11-20T04:31:13+00:00"),
        ("2018-09-15", "2018-09-15"),
        ("07/03/2026 08:47", "2026-03-07T08:47:00+07:00"),
    ],
)
def test_machine_dates(value: str, expected: str) -> None:
    assert normalize_iso(value) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        "garbage",
        "31/02/2025",
        "2025-13-01",
        "2025-02-30T10:00:00+07:00",
        "0000-00-00",
        "1700-01-01",
        "99/99/9999",
        "2025-09-15T25:61:00",
    ],
)
def test_impossible_dates_are_none(bad: str) -> None:
    assert parse_date_text(bad) is None
    assert normalize_iso(bad) is None


def test_an_impossible_offset_keeps_the_day() -> None:
    assert normalize_iso("2025-09-15T10:00+99:00") == "2025-09-15"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/2025/09/15/story-slug", "2025-09-15"),
        ("https://example.com/news/2025-9-15-story", "2025-09-15"),
        ("https://dantri.com.vn/kinh-doanh/gia-vang-20260307080054340.htm", "2026-03-07"),
        ("https://nld.com.vn/nhung-sai-sot-196260307071308923.htm", None),  # an id, not a date
        ("https://vnexpress.net/cach-cac-nuoc-5047363.html", None),
        ("https://example.com/2025/09/", None),  # no day
        ("https://example.com/2025/02/31/x", None),
        ("https://example.com/a?d=2025/09/15", None),  # the query is not the article's path
        ("not a url", None),
    ],
)
def test_date_from_url(url: str, expected: str | None) -> None:
    assert date_from_url(url) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_never_raises(text: str) -> None:
    for result in (parse_date_text(text), normalize_iso(text), date_from_url(text)):
        assert result is None or result[:4].isdigit()


def test_huge_and_non_string_input() -> None:
    assert parse_date_text("x" * 5_000_000 + " 15/9/2025") is None
    assert parse_date_text("15/9/2025 " + "x" * 5_000_000) == "2025-09-15"
    assert normalize_iso(None) is None  # type: ignore[arg-type]
    assert date_from_url(12) is None  # type: ignore[arg-type]


def test_find_dates_gives_every_printed_date_in_order() -> None:
    from cleaners.dates import find_dates

    text = "Published 8/1/2025, updated August 27, 2025 at 5:10 pm GMT+7"
    assert [value for _, _, value in find_dates(text)] == [
        "2025-01-08",
        "2025-08-27T17:10:00+07:00",
    ]
    assert find_dates("no date here") == []
    assert find_dates(None) == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # date lines of English pages of Vietnamese outlets (realtext-dev's kinds)
        ("Saturday - July 27, 2024 20:02", "2024-07-27"),
        ("Thứ Hai, 10 tháng 4, 2023", "2023-04-10"),
        ("03/08/2021 09:44 — 115", "2021-08-03"),  # day first; "115" is a view counter
        ("5:13:12 PM | 1/12/2009", "2009-12-01"),
        ("• Thursday - 17/01/2019", "2019-01-17"),
        ("date:Jun 10, 2014", "2014-06-10"),
        ("In Uncategorized on June 6, 2010 at 6:20 pm", "2010-06-06"),
        ("By Nguyen Quy   November 25, 2019 | 01:30 pm GMT+7", "2019-11-25T13:30:00+07:00"),
    ],
)
def test_a_date_line_above_the_story_gives_the_date(text: str, expected: str) -> None:
    story = (
        "The provincial People's Committee approved the plan on Friday, officials said, "
        "after two years of consultation with residents."
    )
    article = clean_text(f"A headline about the plan\n{text}\n{story}\nA second paragraph follows.")
    assert article.date == expected
    assert article.date_source == "text"


def test_the_seed_date_prefix_wins_over_a_date_line() -> None:
    article = clean_text("date 2025-09-15 Headline\nMonday, 14/9/2025\nThe story begins here.")
    assert article.date == "2025-09-15"


def test_a_date_inside_a_sentence_of_the_story_is_not_the_date() -> None:
    article = clean_text(
        "On June 6, 2010, the ministry said that exports rose by a tenth in the first half.\n"
        "The figures were confirmed on June 7."
    )
    assert article.date is None


def test_the_header_today_above_a_menu_is_not_the_date() -> None:
    text = "\n".join(
        [
            "Thứ Hai, 02/12/2026",
            "Trang chủ",
            "Thời sự",
            "Kinh tế",
            "Thế giới",
            "Rice exports rise to a record",
            "Vietnam's rice exports rose to a record in the first ten months, the ministry said.",
        ]
    )
    assert clean_text(text).date is None


def test_a_header_date_years_after_the_story_is_not_the_date() -> None:
    # the site header's day printed on top of a story from 2013 (realtext-dev 019's shape)
    text = (
        "Sat. Dec 2nd, 2023\n"
        "The provinces in the Mekong Delta exported 670,000 tonnes of rice in the first two "
        "months of 2013, generating 304 million USD in revenue.\n"
        "The Mekong Delta expects to export 6.5 million tonnes of rice in 2013."
    )
    assert clean_text(text).date is None
    # a year in a name ("Labor Code 2019") is not a time the story speaks of
    legal = (
        "Thứ Ba, 31 tháng 1, 2023\n"
        "Penalties on Working Without Work Permit in Vietnam\n"
        "According to Labor Code 2019, the employer wishing to recruit foreign workers has to "
        "explain their labor demand to the People's Committee of the province."
    )
    assert clean_text(legal).date == "2023-01-31"


def test_a_date_labelled_today_is_not_the_date() -> None:
    text = "Hôm nay: Thứ Hai, 02/12/2026\nThe ministry said on Monday that exports rose sharply."
    assert clean_text(text).date is None
