"""Input normalization: NFC, no control characters, bounded size."""

from __future__ import annotations

import re
import unicodedata

# Beyond this many characters a text input is cut: no news story is longer, and the language
# rules are linear in the text they read.
MAX_TEXT_CHARS = 2_000_000
# An HTML page beyond this is cut before parsing (the fetcher caps bodies at 10 MB by default).
MAX_HTML_CHARS = 25_000_000

# control characters, zero-width marks and lone surrogates (which no UTF-8 output can carry)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff\ud800-\udfff]")
_INLINE_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def normalize_text(text: str) -> str:
    """Return `text` in NFC without control characters, with runs of spaces folded to one."""
    text = unicodedata.normalize("NFC", _CONTROL.sub("", text))
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
    if not unicodedata.is_normalized("NFC", html):
        html = unicodedata.normalize("NFC", html)
    return html
