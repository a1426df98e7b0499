"""The boilerplate vocabulary, read from `cleaners/data/`: one file per concept, keyed by reason.

- `headings.toml`: headings that open page furniture, by language, with where each was seen;
- `class_tokens.toml`: class and id tokens of furniture containers, keyed by removal reason;
- `line_patterns.toml`: lines that are furniture on their own, keyed by removal reason;
- `date_lines.toml`: the words a printed date line is made of.

Headings are compared after `heading_key`: NFC, case-folded, punctuation and counters stripped.
A user adds a site's junk by editing these files; no code changes.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from cleaners.normalize import nfc
from cleaners.reasons import Reason


@cache
def load_data(name: str) -> dict[str, Any]:
    """One vocabulary file of `cleaners/data/` (`name` without `.toml`), read once."""
    text = resources.files("cleaners").joinpath(f"data/{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _headings(language: str | None = None) -> frozenset[str]:
    groups = load_data("headings")["heading"]
    return frozenset(
        heading
        for group in groups
        if language is None or group["language"] == language
        for heading in group["headings"]
    )


# Headings that open page furniture: what follows them is not the story.
JUNK_HEADINGS_VI = _headings("vi")
JUNK_HEADINGS_EN = _headings("en")
JUNK_HEADINGS = JUNK_HEADINGS_VI | JUNK_HEADINGS_EN
_PREFIXES = load_data("headings")["prefix"][0]
JUNK_HEADING_PREFIXES = tuple(f"{prefix} " for prefix in _PREFIXES["prefixes"])
_MAX_PREFIXED_WORDS = int(_PREFIXES["max_words"])

# Longer lines are prose: no furniture pattern is tried on them.
MAX_FURNITURE_WORDS = 60
_DEFAULT_MAX_WORDS = 30


@cache
def line_patterns() -> tuple[tuple[Reason, re.Pattern[str], int], ...]:
    """Lines that are furniture on their own: reason, pattern, and the longest line it takes."""
    return tuple(
        (
            Reason(reason),
            re.compile(entry["pattern"], re.IGNORECASE),
            int(entry.get("max_words", _DEFAULT_MAX_WORDS)),
        )
        for reason, entries in load_data("line_patterns").items()
        for entry in entries
    )


# Words a visible date line is made of, besides figures (case-folded).
DATE_WORDS = frozenset(load_data("date_lines")["words"].split())

# class / id tokens of containers that hold furniture, never the story, with their reason.
TOKEN_REASONS: dict[str, Reason] = {
    token: Reason(reason)
    for reason, group in load_data("class_tokens").items()
    for token in (*group["tokens"], *group.get("weak", ()))
}
FURNITURE_TOKENS = frozenset(TOKEN_REASONS)
# Tokens that also name real containers of the story on some sites: only used when the element
# holds little text or is mostly links.
WEAK_FURNITURE_TOKENS = frozenset(
    token for group in load_data("class_tokens").values() for token in group.get("weak", ())
)

_PUNCT = re.compile(r"[\W_]+", re.UNICODE)
_COUNTER = re.compile(r"\(\s*\d+\s*\)|\d+")


def heading_key(text: str) -> str:
    """Return the comparable form of a heading: NFC, case-folded, no counters or punctuation."""
    text = nfc(text).casefold()
    text = _COUNTER.sub(" ", text)
    return " ".join(_PUNCT.sub(" ", text).split())


def is_junk_heading(text: str) -> bool:
    """True when `text` is one of the headings that open page furniture."""
    if len(text) > 80:
        return False
    key = heading_key(text)
    if key in JUNK_HEADINGS:
        return True
    # "More from Tuoi Tre News", "Tin liên quan: …": a heading that names what follows
    return key.startswith(JUNK_HEADING_PREFIXES) and len(key.split()) <= _MAX_PREFIXED_WORDS
