"""Put back the story paragraphs that the main-text extraction left out.

trafilatura sometimes keeps a story's introduction and drops the rest (listicle items in cards,
sections in tabs, a body it mistook for a teaser). The content root's run of paragraphs says where
the story is; when the extraction covers too little of it, the missing paragraphs are merged in,
each after the block that holds the story paragraph before it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from cleaners.model import Block

_WORD = re.compile(r"\w+")
# The extraction is trusted when it covers this share of the story's words ...
_TRUSTED_SHARE = 0.6
# ... or misses fewer words than this.
_MIN_MISSING_WORDS = 100
# A story paragraph is in the extraction when this share of its word triples is.
_COVERED_SHARE = 0.5

Triples = set[tuple[str, ...]]


def _triples(text: str) -> Triples:
    words = _WORD.findall(text.casefold())
    return {tuple(words[i : i + 3]) for i in range(max(1, len(words) - 2))}


def fill_story(blocks: list[Block], story: Sequence[str]) -> list[Block]:
    """Return `blocks` with the paragraphs of `story` (page order) that they lack merged in,
    when they lack much of it; otherwise `blocks` unchanged."""
    if not story:
        return blocks
    extracted = "\n".join(block.text for block in blocks)
    unseen = [text for text in story if text not in extracted]  # seen whole: covered
    if sum(len(text.split()) for text in unseen) < _MIN_MISSING_WORDS:
        return blocks  # fewer words can be missing than would be put back
    home: dict[tuple[str, ...], int] = {}  # each triple of the extraction -> its first block
    for position, block in enumerate(blocks):
        for triple in _triples(block.text):
            home.setdefault(triple, position)
    story_triples = [_triples(text) for text in story]
    covered = [sum(t in home for t in ts) >= _COVERED_SHARE * len(ts) for ts in story_triples]
    words = [len(text.split()) for text in story]
    missing = sum(n for n, seen in zip(words, covered, strict=True) if not seen)
    if missing < _MIN_MISSING_WORDS or sum(words) - missing >= _TRUSTED_SHARE * sum(words):
        return blocks
    merged = [(position, 0, block) for position, block in enumerate(blocks)]
    anchor = -1  # the block holding the last story paragraph seen so far
    for order, (text, triples, seen) in enumerate(
        zip(story, story_triples, covered, strict=True), start=1
    ):
        if seen:
            hits = Counter(home[t] for t in triples if t in home)
            anchor = max(anchor, max(sorted(hits), key=hits.__getitem__))
        else:
            merged.append((anchor, order, Block(text, "p")))
    merged.sort(key=lambda item: (item[0], item[1]))
    return [block for _, _, block in merged]
