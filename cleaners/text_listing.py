"""Listing pages in plain text: headlines with their teasers, one story after another.

A text dump keeps no links, so a listing is told by its shape. Each of these is enough:
- headline/teaser pairs (a teaser elaborates on the headline above it) with never two
  paragraphs of prose in a row, as a story has;
- most lines opening with the same section label before a headline ("Politics Lang Son …");
- most prose lines glued to their headline without a stop ("… National Day In this sacred …");
- every paragraph of prose cut short as teasers are ("… of … Read more");
- a card: a headline, a lone separator line ("|"), then its teaser.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from cleaners.blocks import is_headline_like, is_teaser, word_count
from cleaners.language import ENGLISH_STOPWORDS
from cleaners.model import Block
from cleaners.rules import is_teaser_of

_MIN_PROSE_WORDS = 12
_MIN_PAIRS = 2
_MAX_TEASER_WORDS = 300  # blog list pages print long snippets
_MIN_LABELLED = 3
_LABEL_SHARE = 0.75
_MIN_GLUED = 3
_SEPARATOR = re.compile(r"^[|/•·–—-]{1,3}$")
# a headline glued to its teaser: a word, then a capitalised word that opens a sentence
_GLUED = re.compile(
    r"[\w’'”)]\s+(?:The|In|On|At|As|After|Before|During|According|Speaking|Receiving|"
    r"Meeting|Addressing|This|These|With|For|Following|Since|Over)\s+[a-z]"
)
# a teaser's cut: an ellipsis, perhaps followed by its "Read more" link
_TEASER_CUT = re.compile(r"(\.\.\.|…)\s*(read more|more|xem thêm|xem tiếp)?\s*$", re.IGNORECASE)


def _is_prose(text: str) -> bool:
    return word_count(text) >= _MIN_PROSE_WORDS and not is_headline_like(text)


def _pairs_without_story(texts: Sequence[str]) -> bool:
    pairs = prose = run = longest_run = 0
    for position, text in enumerate(texts):
        if not _is_prose(text):
            run = 0
            continue
        prose += 1
        run += 1
        longest_run = max(longest_run, run)
        previous = texts[position - 1] if position else ""
        if is_headline_like(previous) and is_teaser_of(text, previous, max_words=_MAX_TEASER_WORDS):
            pairs += 1
    return pairs >= _MIN_PAIRS and longest_run == 1 and pairs >= 0.6 * prose


def _labelled(texts: Sequence[str]) -> bool:
    openings = []
    for text in texts:
        words = text.split(maxsplit=2)
        if len(words) >= 3 and words[0][:1].isupper() and words[1][:1].isupper():
            openings.append(words[0])
    if not openings:
        return False
    label, count = Counter(openings).most_common(1)[0]
    return (
        count >= _MIN_LABELLED
        and count >= _LABEL_SHARE * len(texts)
        and label.casefold() not in ENGLISH_STOPWORDS
    )


def _glued(texts: Sequence[str]) -> bool:
    prose = [t for t in texts if _is_prose(t)]
    glued = sum(1 for t in prose if _GLUED.search(t[:200]))
    return glued >= _MIN_GLUED and glued >= 0.5 * len(prose)


def _all_cut(texts: Sequence[str]) -> bool:
    prose = [t for t in texts if _is_prose(t) or is_teaser(t)]
    return bool(prose) and all(_TEASER_CUT.search(t[-40:]) for t in prose)


def _card(texts: Sequence[str]) -> bool:
    return any(
        is_headline_like(texts[i - 1]) and _SEPARATOR.match(texts[i]) and _is_prose(texts[i + 1])
        for i in range(1, len(texts) - 1)
    )


def is_text_listing(blocks: Sequence[Block]) -> bool:
    """True when plain-text `blocks` are a listing page's headlines and teasers, no story."""
    texts = [b.text for b in blocks if b.text.strip()]
    if not texts:
        return False
    return (
        _pairs_without_story(texts)
        or _labelled(texts)
        or _glued(texts)
        or _all_cut(texts)
        or _card(texts)
    )
