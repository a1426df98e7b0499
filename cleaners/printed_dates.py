"""The publication date a story prints in its head: date lines, bylines with a date, post-meta.

A page prints its date on a line of its own near the story's start ("Saturday - July 27, 2024
20:02", "Thứ Hai, 10 tháng 4, 2023", "By Nguyen Quy November 25, 2019 | 01:30 pm GMT+7"). The
block rules remove such lines; here they are evidence. A site header's "today" is not: it is
printed far above the story (a menu stands between), is labelled as today, or lies years after
every year the story speaks of.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from cleaners.blocks import is_prose
from cleaners.dates import parse_date_text

# A date line is short; a longer line with a date is a sentence about an event.
_MAX_WORDS = 16
# Words besides the date, its labels and its time: a byline's name, a category, a view count.
_MAX_OTHER_WORDS = 5
# A date line further above the story than this many lines belongs to the site's header.
_MAX_GAP = 3
# Lines after the story's first paragraph that may still carry its date ("By X | date").
_AFTER_START = 1
# Past this much of the story, its years say nothing more about when it was written.
_YEAR_SCAN_CHARS = 20_000
_TOKEN = re.compile(r"\w+")
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_SENTENCE_END = re.compile(r"[.!?]\s*$")


@dataclass(frozen=True)
class Line:
    """One block of the page in order, and whether the rules kept it in the body."""

    text: str
    kept: bool


@cache
def _vocabulary() -> dict[str, Any]:
    data = resources.files("cleaners").joinpath("data/dates.toml").read_text(encoding="utf-8")
    return tomllib.loads(data)


@cache
def _date_words() -> frozenset[str]:
    vocabulary = _vocabulary()
    months = [word for words in vocabulary["months"].values() for word in words]
    return frozenset([*months, *vocabulary["date_line_words"]])


@cache
def _year_context() -> re.Pattern[str]:
    """What stands right before a year the story speaks of as a time, anchored at the year."""
    vocabulary = _vocabulary()
    words = "|".join(sorted(vocabulary["year_words"], key=len, reverse=True))
    months = "|".join(
        sorted((w for ws in vocabulary["months"].values() for w in ws), key=len, reverse=True)
    )
    return re.compile(
        rf"(?:\b(?:{words})\s(?:the\s)?"  # "in 2013", "of 2013"
        rf"|\b(?:{months})\.?\s(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s)?"  # "June 6, 2010", "May 2024"
        r"|\d{1,2}[/.-]\d{1,2}[/.-])$",  # "30/5/2024"
        re.IGNORECASE,
    )


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# enough text before a year for its context: "the first two months of "
_CONTEXT_CHARS = 16


@cache
def _today_words() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in _vocabulary()["today_words"])
    return re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)


def is_date_line(text: str) -> bool:
    """True when `text` is short and made of a date, its labels and at most a name or two."""
    if len(text) > 200:
        return False
    tokens = [t.casefold() for t in _TOKEN.findall(text)]
    if not tokens or len(tokens) > _MAX_WORDS:
        return False
    words = _date_words()
    other = [t for t in tokens if not t.isdigit() and not _ORDINAL.match(t) and t not in words]
    if len(other) > _MAX_OTHER_WORDS:
        return False
    # "The talks took place on June 6, 2010." is a sentence, not a date line
    return len(other) <= 2 or not _SENTENCE_END.search(text)


def story_years(texts: Sequence[str]) -> list[int]:
    """The years the story speaks of as times ("in 2013", "June 6, 2010"), not in names."""
    years: list[int] = []
    budget = _YEAR_SCAN_CHARS
    context = _year_context()
    for text in texts:
        if budget <= 0:
            break
        sample = " ".join(text[:budget].split())
        budget -= len(sample)
        for match in _YEAR.finditer(sample):
            before = sample[max(0, match.start() - _CONTEXT_CHARS) : match.start()]
            if context.search(before):
                years.append(int(match[0]))
    return years


def story_date(
    lines: Sequence[Line], *, day_first: bool = True, default_offset: str | None = None
) -> str | None:
    """The date printed on a line of the story's head, or None; never a header's "today"."""
    start = _story_start(lines)
    if start is None:
        return None
    years: list[int] | None = None  # the story's, read once a date line is found
    for position, line in enumerate(lines[: start + 1 + _AFTER_START]):
        if (line.kept and is_prose(line.text)) or not is_date_line(line.text):
            continue
        if _today_words().search(line.text):
            continue
        if position < start and _gap(lines, position, start) > _MAX_GAP:
            continue  # a menu stands between it and the story
        found = parse_date_text(line.text, default_offset=default_offset, day_first=day_first)
        if found is None:
            continue
        if years is None:
            years = story_years([other.text for other in lines if other.kept])
        if years and int(found[:4]) > max(years) + 1:
            continue  # years after anything the story speaks of: the day the page was served
        return found
    return None


def _story_start(lines: Sequence[Line]) -> int | None:
    """The first kept paragraph of running text, else the first kept line."""
    kept = [i for i, line in enumerate(lines) if line.kept]
    if not kept:
        return None
    return next((i for i in kept if is_prose(lines[i].text)), kept[0])


def _gap(lines: Sequence[Line], position: int, start: int) -> int:
    return sum(1 for line in lines[position + 1 : start] if line.text.strip())
