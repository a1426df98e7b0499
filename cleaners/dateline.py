"""The dateline that opens a story ("HÀ NỘI —", "HANOI (VNA) –") and the seed format's date line.

The dateline may stand below a caption or a standfirst, or alone on its line with the story on
the next one; `find_opening` finds it among the first paragraphs.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from cleaners.blocks import is_prose
from cleaners.dates import normalize_iso, parse_date_text

# A dateline is short; looking further would let an ordinary sentence's dash qualify.
_MAX_HEAD = 70
# The story opens within its first paragraphs: a caption, a standfirst, a repeated headline, a
# byline or a post-meta line may come first, but not more than two paragraphs of running text.
# Further down a "place —" opens a quote or a list item, not the story.
_MAX_OPENING = 6
_MAX_PROSE_BEFORE = 2

# An em dash with or without spaces; an en dash or hyphen only with a space on one side at
# least, since they join words without one: "US–China trade", "Hà Nội-based", "15-9-2025".
_DASH = re.compile(r"\s*—+\s*|\s+[–-]{1,2}\s*|[–-]{1,2}\s+")
_WORD = r"[^\W\d_]+(?:[.'’&-][^\W\d_]+)*\.?"
_PLACE = rf"{_WORD}(?: {_WORD}){{0,4}}"
_HEAD = re.compile(
    rf"(?P<place>{_PLACE})"
    rf"(?P<region>, {_PLACE})?"
    # "June 6" or "30/5/2024", and a year after a comma: "TOKYO, June 6, 2010 (AFP)"
    r"(?P<date>, [^,()]*\d[^,()]*(?:, \d{4})?)?"
    r"(?P<agency>\s*\((?P<agency_name>[^()]{1,30})\))?",
)
_SEED_DATE = re.compile(
    r"\s*date:?\s+(\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-][\d:]+)?)?)(?:\s+|$)", re.IGNORECASE
)


@cache
def _vocabulary() -> dict[str, frozenset[str]]:
    """Labels that are not places, and the wire services a dateline names."""
    data = resources.files("cleaners").joinpath("data/dateline.toml").read_text(encoding="utf-8")
    loaded = tomllib.loads(data)
    return {
        "not_places": frozenset(loaded["not_places"]),
        "agencies": frozenset(name.casefold() for name in loaded["agencies"]),
    }


def _capitalized(words: str) -> bool:
    return all(word[:1].isupper() for word in words.replace(",", " ").split())


def _is_dateline(match: re.Match[str], *, strict: bool) -> bool:
    place = match["place"]
    region = (match["region"] or "")[2:]
    if place.upper() in _vocabulary()["not_places"]:
        return False
    if not _capitalized(place) or not _capitalized(region):
        return False
    if sum(char.isalpha() for char in place) < 2:  # "I — think", "A — B"
        return False
    agency = match["agency_name"]
    if agency is not None and not (agency[:1].isupper() and len(agency.split()) <= 4):
        return False
    if match["date"] is not None and len(match["date"]) > 28:
        return False
    if strict:
        # past the first paragraph "Tim Cook (Apple) — " is more likely a sentence than a
        # dateline: only an upper-case place or a known wire service will do
        return place.isupper() or _is_agency(agency)
    # Title-case words before a dash are often a sentence's subject ("The Minister — who"):
    # only upper-case places stand alone; title-case ones need a date or an agency.
    return place.isupper() or agency is not None or match["date"] is not None


def _is_agency(name: str | None) -> bool:
    if not name:
        return False
    parts = re.split(r"\s*[/,;-]\s*", name.casefold())  # "VNA/VNS", "AP, Reuters"
    return any(part in _vocabulary()["agencies"] for part in parts)


def _head(paragraph: str, *, strict: bool) -> tuple[str, bool] | None:
    """The dateline opening `paragraph` and whether it stands alone on its line."""
    start = unicodedata.normalize("NFC", paragraph[: _MAX_HEAD * 2].lstrip())
    dash = _DASH.search(start, 1, _MAX_HEAD + 4)
    if dash is None:
        return None
    lone = dash.end() >= len(start)
    if lone and len(paragraph.strip()) > _MAX_HEAD + 4:
        return None  # the slice cut a longer paragraph
    head = start[: dash.start()].strip()
    match = _HEAD.fullmatch(head)
    if match is None or not _is_dateline(match, strict=strict):
        return None
    return head, lone


def find_dateline(first_paragraph: str) -> str | None:
    """The dateline opening `first_paragraph`, without its dash ("HÀ NỘI", "HANOI (VNA)")."""
    if not isinstance(first_paragraph, str):
        return None
    found = _head(first_paragraph, strict=False)
    return found[0] if found is not None and not found[1] else None


@dataclass(frozen=True)
class StoryOpening:
    """Where the story opens with its dateline among the first paragraphs of a body."""

    index: int  # the paragraph that opens with the dateline
    dateline: str  # without its dash: "HANOI (VNA)"
    lone: bool  # the dateline and its dash stand alone; the story goes on in the next paragraph


def find_opening(paragraphs: Sequence[str]) -> StoryOpening | None:
    """The dateline that opens the story within its first paragraphs, alone on a line or not.

    A caption, a standfirst or a repeated headline may stand before it ("Hanoi (VNA) –" on the
    third line); past the first paragraph only an upper-case place or a wire service counts.
    """
    prose = 0
    for index, paragraph in enumerate(paragraphs[:_MAX_OPENING]):
        if not isinstance(paragraph, str):
            return None
        found = _head(paragraph, strict=index > 0)
        if found is None:
            prose += is_prose(paragraph)
            if prose > _MAX_PROSE_BEFORE:
                return None
            continue
        head, lone = found
        if lone and index + 1 >= len(paragraphs):
            return None  # a dateline with no story after it
        return StoryOpening(index, head, lone)
    return None


def dateline_date(dateline: str, *, day_first: bool = True) -> str | None:
    """The day a dateline prints with its year ("TOKYO, June 6, 2010 (AFP)"), else None."""
    match = _HEAD.fullmatch(dateline) if isinstance(dateline, str) else None
    if match is None or match["date"] is None:
        return None
    return parse_date_text(match["date"], default_offset=None, day_first=day_first)


def split_date_prefix(text: str) -> tuple[str | None, str]:
    """Split a leading "date 2025-09-15 " prefix (seed format) off `text`: (date, rest)."""
    if not isinstance(text, str):
        return None, ""
    match = _SEED_DATE.match(text[:200])
    if match is None:
        return None, text
    value = normalize_iso(match[1])
    if value is None:
        return None, text
    return value, text[match.end() :]
