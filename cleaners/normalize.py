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
    """A character that may be a combining mark right after a tag: opening a text node."""
    return re.compile(f">[{_marks()}{_ASTRAL}]")


_MARKUP = r"(?:<!--(?:[^-]++|-(?!->))*+-->|<[^<>]*+>)"


@cache
def _mark_runs_across_tags() -> re.Pattern[str]:
    """Runs longer than MAX_MARK_RUN of characters that may be marks, tags between them."""
    return re.compile(f"(?:[{_marks()}{_ASTRAL}]{_MARKUP}*+){{{MAX_MARK_RUN + 1},}}")


def _cap_run_across_tags(match: re.Match[str]) -> str:
    run = match.group()
    kept: list[str] = []
    marks = 0
    position = 0
    while position < len(run):
        char = run[position]
        if char == "<":  # a tag or a comment: kept whole
            end = run.index("-->", position) + 3 if run.startswith("<!--", position) else 0
            end = end or run.index(">", position) + 1
            kept.append(run[position:end])
            position = end
            continue
        if unicodedata.combining(char):
            marks += 1
        else:
            marks = 0
        if marks <= MAX_MARK_RUN:
            kept.append(char)
        position += 1
    return "".join(kept)


def separate_marks(html: str) -> str:
    """`html` with no run of combining marks longer than MAX_MARK_RUN, even across tags.

    A parser joins the text of neighbouring elements, and trafilatura puts its output in NFC:
    marks closing one text node and opening the next would make one long run. Checked only
    where a text node opens with a mark, or the markup is not in NFC.
    """
    if _marks_after_tag().search(html) or not unicodedata.is_normalized("NFC", html):
        html = _mark_runs_across_tags().sub(_cap_run_across_tags, html)
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
