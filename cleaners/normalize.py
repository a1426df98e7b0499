"""Input normalization: NFC, no control characters, bounded size."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Beyond this many characters a text input is cut: no news story is longer, and the language
# rules are linear in the text they read.
MAX_TEXT_CHARS = 2_000_000
# An HTML page beyond this is cut before parsing (the fetcher caps bodies at 10 MB by default).
MAX_HTML_CHARS = 25_000_000
# Blocks (paragraphs, lines) judged per page: real stories have a few hundred at most.
MAX_BLOCKS = 2_000

# control characters, zero-width marks and lone surrogates (which no UTF-8 output can carry)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff\ud800-\udfff]")
_INLINE_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

# No script stacks more combining marks on one letter than this. NFC sorts each run of marks in
# time quadratic in its length (160,000 marks: 16 s), so longer runs lose their excess first.
MAX_MARK_RUN = 16
_ASTRAL = "\U00010000-\U0010ffff"


@cache
def _marks() -> str:
    """The combining marks of the Basic Multilingual Plane, as the inside of a character class.

    Built from the running Python's Unicode data. Patterns add all astral characters to it (a
    class with astral ranges is slow to match) and keep those that are not marks.
    """
    ranges: list[list[int]] = []
    for code in range(0x10000):
        if unicodedata.combining(chr(code)):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


@cache
def _mark_runs() -> re.Pattern[str]:
    """Runs longer than MAX_MARK_RUN of characters that may be combining marks."""
    return re.compile(f"[{_marks()}{_ASTRAL}]{{{MAX_MARK_RUN + 1},}}")


@cache
def _marks_after_tag() -> re.Pattern[str]:
    """Characters that may be combining marks right after a tag: at the start of a text node."""
    return re.compile(f">[{_marks()}{_ASTRAL}]+")


def _drop_leading_marks(match: re.Match[str]) -> str:
    text = match.group()[1:]
    start = 0
    while start < len(text) and unicodedata.combining(text[start]):
        start += 1
    return ">" + text[start:]


def separate_marks(html: str) -> str:
    """`html` whose text nodes open with no combining mark and hold no run of marks too long.

    A parser joins the text of neighbouring elements, and trafilatura puts its output in NFC:
    marks opening one text node would lengthen the run that closes the one before.
    """
    if _marks_after_tag().search(html):
        html = _marks_after_tag().sub(_drop_leading_marks, html)
    if not unicodedata.is_normalized("NFC", html):
        html = cap_mark_runs(html)
    return html


def _cap_run(match: re.Match[str]) -> str:
    kept: list[str] = []
    marks = 0
    for char in match.group():
        if unicodedata.combining(char):
            marks += 1
            if marks > MAX_MARK_RUN:
                continue
        else:
            marks = 0
        kept.append(char)
    return "".join(kept)


def cap_mark_runs(text: str) -> str:
    """`text` with each run of combining marks cut to MAX_MARK_RUN."""
    return _mark_runs().sub(_cap_run, text)


def nfc(text: str) -> str:
    """`text` in NFC, in time linear in its length (runs of combining marks capped first)."""
    if unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", cap_mark_runs(text))


def nfd(text: str) -> str:
    """`text` in NFD, in time linear in its length (runs of combining marks capped first)."""
    return unicodedata.normalize("NFD", nfc(text))


def normalize_text(text: str) -> str:
    """Return `text` in NFC without control characters, with runs of spaces folded to one."""
    text = nfc(_CONTROL.sub("", text))
    return _INLINE_SPACE.sub(" ", text)


def to_str(value: object) -> str:
    """Return `value` as text; anything that is not str or bytes becomes an empty string."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", "replace")
    return ""


def normalize_html(html: str) -> str:
    """Return `html` in NFC without NUL characters (the parser handles the rest)."""
    if "\x00" in html:
        html = html.replace("\x00", "")
    return nfc(html)
