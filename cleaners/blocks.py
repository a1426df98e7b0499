"""Shapes of blocks that the rules reason about: headlines, prose, teasers."""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+", re.UNICODE)
_LETTER_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# a sentence end, perhaps followed by the agency mark that closes wire copy ("./.", ".-VNA")
_SENTENCE_END = re.compile(r"[.!?…:;\"”’»)\]](\s{0,2}[-–/]?\s{0,2}(\.|[A-Z]{2,6}))?\s*$")
_TEASER_END = re.compile(r"(\.\.\.|…)\s*$")


def word_count(text: str) -> int:
    """Number of `\\w+` words in `text`."""
    return len(_WORD.findall(text))


def letter_word_count(text: str) -> int:
    """Number of words of `text` made of letters only (no figures)."""
    return len(_LETTER_WORD.findall(text))


def starts_like_title(text: str) -> bool:
    """True when the first letter or digit of `text` is upper case or a digit."""
    for char in text:
        if char.isalnum():
            return char.isupper() or char.isdigit()
    return False


def is_teaser(text: str) -> bool:
    """True for a cut-off summary that ends in an ellipsis, as listings print them."""
    return bool(_TEASER_END.search(text))


def is_headline_like(text: str) -> bool:
    """True for a short line without closing punctuation, the shape of a linked headline."""
    words = word_count(text)
    if words == 0 or words > 24:
        return False
    return not _SENTENCE_END.search(text) or text.rstrip().endswith("?")


def is_prose(text: str) -> bool:
    """True for a paragraph of running text: enough words and a sentence end, not a teaser."""
    return word_count(text) >= 12 and not is_teaser(text) and bool(_SENTENCE_END.search(text))
