"""Rules for plain text, where no markup tells the story from what surrounds it.

A text dump of a page prints its header (site name, section, log-in links, the headline) above
the story and its footer (bylines, credits, related headlines) below it. The story is the run
from the first to the last paragraph of prose; short lines outside that run are the page's.
"""

from __future__ import annotations

import re

from cleaners.blocks import is_headline_like, is_prose, starts_like_title, word_count
from cleaners.dateline import find_dateline
from cleaners.model import Block, Removal
from cleaners.reasons import Reason

Indexed = list[tuple[int, Block]]
Removed = list[tuple[int, Removal]]

# A line above the story longer than this is a standfirst, not a header line.
_MAX_HEADER_WORDS = 15
# A line below the story longer than this is a paragraph the prose test missed (the last line
# of a text cut short has no sentence end).
_MAX_FOOTER_WORDS = 12
# Bylines below the story: a few capitalised names and nothing else.
_MAX_NAME_WORDS = 6


# Words a sentence cannot end on: a line ending in one was cut by a hard wrap or a truncation.
_CONTINUING_WORDS = frozenset(
    """a an the and or but of to in on at by for with from as that than which who its their
    his her our your is are was were be has have had will would can could""".split()
)
_CONTINUING_END = re.compile(r"[,;:(–—-]\s*$")
_LAST_WORD = re.compile(r"(\w+)\W*$")


def ends_mid_sentence(text: str) -> bool:
    """True when `text` stops where no sentence or headline does: on "the", "of", a comma."""
    if _CONTINUING_END.search(text[-3:]):
        return True
    match = _LAST_WORD.search(text[-40:])
    return match is not None and match[1].casefold() in _CONTINUING_WORDS


def _continues(line: str, following: str) -> bool:
    first = next((c for c in following if c.isalnum()), "")
    return bool(first) and first.islower() and ends_mid_sentence(line)


def text_blocks(text: str) -> list[Block]:
    """Split plain text into blocks: one per line, hard-wrapped lines joined back."""
    lines = [line.strip() for line in text.splitlines()]
    blocks: list[str] = []
    previous_blank = True
    for line in lines:
        if not line:
            previous_blank = True
            continue
        if blocks and not previous_blank and _continues(blocks[-1], line):
            blocks[-1] = f"{blocks[-1]} {line}"
        else:
            blocks.append(line)
        previous_blank = False
    return [Block(text=line) for line in blocks]


def _is_page_line(text: str) -> bool:
    # a headline, a label or a byline: short, no sentence end, and not a wrapped fragment
    return is_headline_like(text) and not ends_mid_sentence(text) and starts_like_title(text)


def _is_lone_dateline(text: str) -> bool:
    # "Hanoi (VNA) –" alone on its line opens the story that follows it
    return find_dateline(text + " x") is not None


def split_header(blocks: Indexed) -> tuple[Indexed, Removed]:
    """Lines above the first paragraph of prose that are not a dateline: the page's header."""
    first = next((pos for pos, (_, b) in enumerate(blocks) if is_prose(b.text)), None)
    if first is None:
        return blocks, []
    header: Removed = []
    kept: Indexed = []
    for pos, (index, block) in enumerate(blocks):
        words = word_count(block.text)
        if (
            pos < first
            and words <= _MAX_HEADER_WORDS
            and not _is_lone_dateline(block.text)
            and (_is_page_line(block.text) or words <= 3)
        ):
            reason = Reason.SECTION_LABEL if words <= 3 else Reason.HEADER
            header.append((index, Removal(reason, block.text)))
        else:
            kept.append((index, block))
    return kept, header


def split_footer(blocks: Indexed) -> tuple[Indexed, Removed]:
    """Short lines below the last paragraph of prose: bylines, credits, related headlines."""
    last = next(
        (pos for pos in range(len(blocks) - 1, -1, -1) if is_prose(blocks[pos][1].text)), None
    )
    if last is None:
        return blocks, []
    footer: Removed = []
    for index, block in blocks[last + 1 :]:
        words = word_count(block.text)
        if words > _MAX_FOOTER_WORDS or not _is_page_line(block.text):
            return blocks, []  # a sentence, or a fragment of one, after the story: it goes on
        names = block.text.casefold().startswith("by ") or (
            words <= _MAX_NAME_WORDS
            and all(starts_like_title(w) for w in block.text.split() if w.isalpha())
        )
        reason = Reason.BYLINE if names else Reason.RELATED_LIST
        footer.append((index, Removal(reason, block.text)))
    return blocks[: last + 1], footer
