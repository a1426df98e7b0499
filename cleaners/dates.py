"""Dates as pages print them (machine or human, English or Vietnamese) to the contract's ISO form.

The contract's form is "2025-09-15" when only the day is known and "2025-09-15T08:31:00+07:00" when
the time is known. A time printed without an offset gets `default_offset` (Vietnamese sites print
local time, +07:00); with `default_offset=None` such a time is dropped and only the day is kept.
Every function here returns None rather than raise.
"""

from __future__ import annotations

import re
import tomllib
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

# Longer input is page text, not a date string: only its start can hold the date we want.
_MAX_TEXT = 1000
_MIN_YEAR, _MAX_YEAR = 1990, 2100

_ISO = re.compile(
    r"(?<![\d/.-])(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?(?![\d:]))?)?(?![\d])",
    re.IGNORECASE,
)
_YMD_SLASH = re.compile(r"(?<![\d/.-])(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?![\d/.])")
_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})\s?[/.-]\s?(\d{1,2})\s?[/.-]\s?(\d{4})(?![\d/])")
# "Ngày 07 tháng 03 năm 2026", "7 tháng 3, 2026", "ngày 7 tháng 3 2026"
_VIETNAMESE = re.compile(
    r"(?<!\d)(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s*,\s*|\s+năm\s+|\s+)(\d{4})(?!\d)", re.IGNORECASE
)
_TIME = re.compile(
    r"(?<![\d:.])(\d{1,2})\s?(?::|h)\s?(\d{2})(?::(\d{2}))?(?![\d])"
    r"(?:\s*(a\.?m\b\.?|p\.?m\b\.?|sa\b|ch\b))?",
    re.IGNORECASE,
)
_GMT_OFFSET = re.compile(r"\b(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?(?!\d)", re.IGNORECASE)
_BARE_OFFSET = re.compile(r"^\s*([+-])(\d{2}):?(\d{2})(?!\d)")


@cache
def _vocabulary() -> dict[str, Any]:
    """Month words and zone abbreviations from the package data."""
    data = resources.files("cleaners").joinpath("data/dates.toml").read_text(encoding="utf-8")
    return tomllib.loads(data)


@cache
def _month_numbers() -> dict[str, int]:
    return {
        word: int(number) for number, words in _vocabulary()["months"].items() for word in words
    }


@cache
def _english_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    months = "|".join(sorted(_month_numbers(), key=len, reverse=True))
    zones = "|".join(sorted(_vocabulary()["zones"], key=len, reverse=True))
    month_first = re.compile(
        rf"\b({months})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE
    )
    day_first = re.compile(
        rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({months})\.?,?\s+(\d{{4}})(?!\d)",
        re.IGNORECASE,
    )
    zone = re.compile(rf"\b({zones})\b")
    return month_first, day_first, zone


def _offset(sign: str, hours: str, minutes: str | None) -> str | None:
    h, m = int(hours), int(minutes or 0)
    if h > 14 or m > 59:
        return None
    return f"{sign}{h:02d}:{m:02d}"


def _format(
    ymd: tuple[int, int, int],
    hms: tuple[int, int, int] | None,
    offset: str | None,
) -> str | None:
    """The contract's ISO string, or None when the parts are not a real date."""
    year, month, day = ymd
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        day_value = datetime(year, month, day)
        if hms is None or offset is None:
            return day_value.date().isoformat()
        moment = datetime(year, month, day, *hms)
    except ValueError:
        return None
    return moment.isoformat() + offset


def normalize_iso(value: str, *, default_offset: str | None = "+07:00") -> str | None:
    """Normalize a machine date (JSON-LD, meta, `<time datetime>`) to the contract's ISO form."""
    if not isinstance(value, str):
        return None
    value = value.strip()[:_MAX_TEXT]
    match = _ISO.match(value)
    if match is None:
        return parse_date_text(value, default_offset=default_offset)
    year, month, day, hour, minute, second, zone = match.groups()
    hms = None if hour is None else (int(hour), int(minute), int(second or 0))
    offset = default_offset
    if zone and zone.upper() == "Z":
        offset = "+00:00"
    elif zone:
        digits = zone[1:].replace(":", "")
        offset = _offset(zone[0], digits[:2], digits[2:] or None)
    return _format((int(year), int(month), int(day)), hms, offset)


def _days(text: str, day_first: bool) -> list[tuple[int, int, tuple[int, int, int]]]:
    """Every printed day in `text` as (start, end, (y, m, d)), in order, without overlaps."""
    month_first_words, day_first_words, _ = _english_patterns()
    months = _month_numbers()
    found: list[tuple[int, int, tuple[int, int, int]]] = []
    for pattern, order in (
        (_ISO, "ymd"),
        (_YMD_SLASH, "ymd"),
        (_NUMERIC, "dmy" if day_first else "mdy"),
        (_VIETNAMESE, "dmy"),
    ):
        for match in pattern.finditer(text):
            a, b, c = (int(g) for g in match.groups()[:3])
            if order == "ymd":
                ymd = (a, b, c)
            elif order == "dmy":
                # a month above 12 means the page printed m/d/Y after all
                ymd = (c, b, a) if b <= 12 else (c, a, b)
            else:
                ymd = (c, a, b) if a <= 12 else (c, b, a)
            found.append((match.start(), match.end(), ymd))
    for match in month_first_words.finditer(text):
        found.append(
            (match.start(), match.end(), (int(match[3]), months[match[1].lower()], int(match[2])))
        )
    for match in day_first_words.finditer(text):
        found.append(
            (match.start(), match.end(), (int(match[3]), months[match[2].lower()], int(match[1])))
        )
    found.sort()
    days: list[tuple[int, int, tuple[int, int, int]]] = []
    for item in found:
        if not days or item[0] >= days[-1][1]:
            days.append(item)
    return days


def _find_day(text: str, day_first: bool) -> tuple[tuple[int, int, int], int, int] | None:
    """The earliest printed day in `text`: ((y, m, d), start, end); ISO matches include time."""
    days = _days(text, day_first)
    if not days:
        return None
    start, end, ymd = days[0]
    return ymd, start, end


def _find_time(
    text: str, start: int, end: int, bounds: tuple[int, int] | None = None
) -> tuple[tuple[int, int, int], int] | None:
    """The time printed right after the day (or just before it), and where it ends.

    `bounds` are the ends of the neighbouring dates: a time beyond them is theirs.
    """
    low, high = bounds or (0, len(text))
    after = _TIME.search(text, end, min(high, end + 40))
    before = None
    if after is None:
        before = next(_TIME.finditer(text, max(low, start - 25), start), None)
    match = after or before
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2])
    second = int(match[3] or 0)
    meridiem = (match[4] or "").lower().replace(".", "")
    if meridiem in ("pm", "ch") and hour < 12:
        hour += 12
    elif meridiem in ("am", "sa") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    return (hour, minute, second), match.end()


def _find_offset(text: str, position: int) -> str | None:
    """The UTC offset printed after the time: "(GMT+7)", "UTC+07:00", "+0700", "ICT"."""
    window = text[position : position + 40]
    match = _BARE_OFFSET.match(window)
    if match:
        return _offset(match[1], match[2], match[3])
    match = _GMT_OFFSET.search(window)
    if match:
        return _offset(match[1], match[2], match[3])
    match = _english_patterns()[2].search(window)
    if match:
        return str(_vocabulary()["zones"][match[1]])
    return None


def parse_date_text(
    text: str, *, default_offset: str | None = "+07:00", day_first: bool = True
) -> str | None:
    """Parse a printed date ("Thứ Hai, 15/9/2025 08:31 (GMT+7)", "Sep 15, 2025") to ISO form."""
    found = find_dates(text, default_offset=default_offset, day_first=day_first, limit=1)
    return found[0][2] if found else None


def find_dates(
    text: str,
    *,
    default_offset: str | None = "+07:00",
    day_first: bool = True,
    limit: int = 20,
) -> list[tuple[int, int, str]]:
    """Every printed date in `text` (at most `limit`) as (start, end, ISO form), in order.

    Positions are in `text` with runs of white space folded to one space.
    """
    if not isinstance(text, str) or not text:
        return []
    text = " ".join(text[:_MAX_TEXT].split())
    found: list[tuple[int, int, str]] = []
    try:
        days = _days(text, day_first)
        for number, (start, end, ymd) in enumerate(days):
            low = days[number - 1][1] if number else 0
            high = days[number + 1][0] if number + 1 < len(days) else len(text)
            value = _date_at(text, (start, end), (low, high), ymd, default_offset)
            if value:
                found.append((start, end, value))
                if len(found) >= limit:
                    break
    except (ValueError, OverflowError):
        pass
    return found


def _date_at(
    text: str,
    span: tuple[int, int],
    bounds: tuple[int, int],
    ymd: tuple[int, int, int],
    default_offset: str | None,
) -> str | None:
    start, end = span
    if _ISO.match(text, start):
        return normalize_iso(text[start:end], default_offset=default_offset)
    time = _find_time(text, start, end, bounds)
    if time is None:
        return _format(ymd, None, None)
    hms, time_end = time
    offset = _find_offset(text, time_end) or default_offset
    return _format(ymd, hms, offset)


_URL_DAY = re.compile(
    r"(?<![\d])(\d{4})[/_-](\d{1,2})[/_-](\d{1,2})(?=[/_.-]|$)"
    r"|[/_-]((?:19|20)\d{2})(\d{2})(\d{2})(?:\d{6,})?(?=[/_.-]|$)"
)


def date_from_url(url: str) -> str | None:
    """The day in an article URL: /2025/09/15/, /2025-09-15-slug, -20250915080054.htm."""
    if not isinstance(url, str):
        return None
    path = url.split("?", 1)[0].split("#", 1)[0][:_MAX_TEXT]
    path = path.split("://", 1)[-1].partition("/")[2]
    for match in _URL_DAY.finditer("/" + path):
        groups = [g for g in match.groups() if g is not None]
        result = _format((int(groups[0]), int(groups[1]), int(groups[2])), None, None)
        if result:
            return result
    return None
