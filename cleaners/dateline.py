"""The dateline that opens a story ("HÀ NỘI —", "HANOI (VNA) –") and the seed format's date line."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache
from importlib import resources

from cleaners.dates import normalize_iso

# A dateline is short; looking further would let an ordinary sentence's dash qualify.
_MAX_HEAD = 70

# An em dash with or without spaces; an en dash or hyphen only with a space on one side at
# least, since they join words without one: "US–China trade", "Hà Nội-based", "15-9-2025".
_DASH = re.compile(r"\s*—+\s*|\s+[–-]{1,2}\s*|[–-]{1,2}\s+")
_WORD = r"[^\W\d_]+(?:[.'’&-][^\W\d_]+)*\.?"
_PLACE = rf"{_WORD}(?: {_WORD}){{0,4}}"
_HEAD = re.compile(
    rf"(?P<place>{_PLACE})"
    rf"(?P<region>, {_PLACE})?"
    r"(?P<date>, [^,()]*\d[^,()]*)?"
    r"(?P<agency>\s*\((?P<agency_name>[^()]{1,30})\))?",
)
_SEED_DATE = re.compile(
    r"\s*date:?\s+(\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-][\d:]+)?)?)(?:\s+|$)", re.IGNORECASE
)


@cache
def _not_places() -> frozenset[str]:
    """Upper-case labels ("UPDATE", "PHOTO") that open a paragraph like a place would."""
    data = resources.files("cleaners").joinpath("data/dateline.toml").read_text(encoding="utf-8")
    return frozenset(tomllib.loads(data)["not_places"])


def _capitalized(words: str) -> bool:
    return all(word[:1].isupper() for word in words.replace(",", " ").split())


def _is_dateline(match: re.Match[str]) -> bool:
    place = match["place"]
    region = (match["region"] or "")[2:]
    if place.upper() in _not_places() or not _capitalized(place) or not _capitalized(region):
        return False
    if sum(char.isalpha() for char in place) < 2:  # "I — think", "A — B"
        return False
    agency = match["agency_name"]
    if agency is not None and not (agency[:1].isupper() and len(agency.split()) <= 4):
        return False
    if match["date"] is not None and len(match["date"]) > 28:
        return False
    # Title-case words before a dash are often a sentence's subject ("The Minister — who"):
    # only upper-case places stand alone; title-case ones need a date or an agency.
    return place.isupper() or agency is not None or match["date"] is not None


def find_dateline(first_paragraph: str) -> str | None:
    """The dateline opening `first_paragraph`, without its dash ("HÀ NỘI", "HANOI (VNA)")."""
    if not isinstance(first_paragraph, str):
        return None
    start = unicodedata.normalize("NFC", first_paragraph[: _MAX_HEAD * 2].lstrip())
    dash = _DASH.search(start, 1, _MAX_HEAD + 4)
    if dash is None or dash.end() >= len(start):
        return None
    head = start[: dash.start()].strip()
    match = _HEAD.fullmatch(head)
    if match is None or not _is_dateline(match):
        return None
    return head


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
