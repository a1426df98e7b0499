"""Read the story's content root as blocks, the way a reader sees it, without trafilatura.

When a page's story is written in paragraphs, the content root (the element holding nearly all of
its running text, once the furniture is pruned) is the story's region: each paragraph, heading,
list item and table row in it becomes a block, with the share of its text inside links. What
trafilatura would judge there, the block rules judge here; media, captions and controls are never
read. On WCXB and AEB this keeps more of the story than trafilatura's extraction and as little
furniture, and it spares the page a second parse.
"""

from __future__ import annotations

import re
from collections.abc import Container

from selectolax.lexbor import LexborNode

from cleaners.content_root import ProseMap
from cleaners.model import Block
from cleaners.vocabulary import heading_key, load_data

_DATA = load_data("reading")
_SKIPPED = frozenset(_DATA["tags"]["skipped"])
_BLOCKS = frozenset(_DATA["tags"]["blocks"])
_LIST_ITEMS = frozenset(_DATA["tags"]["list_items"])
_CAPTION_PARTS = tuple(_DATA["captions"]["parts"])
_CAPTION_TAGS = frozenset(_DATA["captions"]["tags"])
_BOX_PARTS = tuple(_DATA["captions"]["boxes"])
_LISTS = frozenset({"ul", "ol"})
_MIN_LIST_ITEMS = 3
_LIST_LINK_SHARE = 0.7
_CELLS = frozenset({"td", "th"})
# A paragraph this long in a table cell is running text: the table lays out the page.
_LAYOUT_PARAGRAPH_WORDS = 20
_NAME_PARTS = re.compile(r"[-_\s]+")
# Below this many words of <p> prose the story is not written in paragraphs: trafilatura's
# extraction, which weighs every kind of container, reads the page instead.
MIN_PROSE_WORDS = 150
# The root must hold this share of the words of all the page's paragraphs, runs or not: a story
# whose paragraphs stand one to a wrapper has a root that is only one of its parts.
_ROOT_PARAGRAPH_SHARE = 0.6


def read_root(body: LexborNode, linked: Container[str]) -> list[Block] | None:
    """The blocks of the pruned page's content root; None when its story is not in paragraphs,
    or no element but the body holds it, or the root holds too little of the page's paragraph
    text (the page is then weighed whole, by trafilatura).

    `linked` holds the `heading_key` of the page's link texts: a block equal to one is a link.
    """
    prose = ProseMap(body)
    if prose.total < MIN_PROSE_WORDS:
        return None
    root = prose.root()
    if root.mem_id == body.mem_id:
        return None
    if ProseMap.paragraph_words(root) < _ROOT_PARAGRAPH_SHARE * prose.paragraph_total:
        return None  # much of the page's paragraph text stands outside the root: spread out
    return _Reader(linked).read(root)


class _Reader:
    """A walk over one subtree that gathers inline text into blocks at block boundaries."""

    def __init__(self, linked: Container[str]) -> None:
        self.linked = linked
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.linked_chars = 0
        self.kind = "p"

    def read(self, root: LexborNode) -> list[Block]:
        # an explicit stack, not recursion: the depth of a hostile page is no concern here
        stack: list[tuple[LexborNode, bool, bool]] = [(root, False, False)]
        while stack:
            node, in_link, closing = stack.pop()
            if closing:
                self._flush()
                continue
            tag = node.tag or ""
            if tag == "-text":
                self._add(node.text_content or "", in_link)
                continue
            if tag.startswith("-"):
                continue
            if node.mem_id != root.mem_id and (
                _is_skipped(node, tag) or _is_caption_or_box(node, tag) or _is_link_list(node, tag)
            ):
                continue
            if tag == "tr" and not _is_layout_row(node):
                self._row(node)
                continue
            if tag == "pre":
                self._preformatted(node)
                continue
            if tag in _BLOCKS:
                self._flush()
                if tag in _LIST_ITEMS:
                    self.kind = "li"
                stack.append((node, in_link, True))
            children = []
            child = node.child
            while child is not None:
                children.append(child)
                child = child.next
            in_link = in_link or tag == "a"
            stack.extend((child, in_link, False) for child in reversed(children))
        self._flush()
        return self.blocks

    def _add(self, text: str, in_link: bool) -> None:
        self.parts.append(text)
        if in_link:
            self.linked_chars += len(text.strip())

    def _flush(self) -> None:
        text = " ".join("".join(self.parts).split())
        if text:
            density = min(1.0, self.linked_chars / len(text))
            if heading_key(text) in self.linked:
                density = 1.0
            self.blocks.append(Block(text=text, kind=self.kind, link_density=density))
        self.parts.clear()
        self.linked_chars = 0
        self.kind = "p"

    def _preformatted(self, node: LexborNode) -> None:
        self._flush()
        for line in (node.text(separator="") or "").splitlines():
            if line.strip():
                self.blocks.append(Block(text=" ".join(line.split()), kind="p"))

    def _row(self, row: LexborNode) -> None:
        self._flush()
        cells = [
            " ".join(cell.text(separator=" ").split()) for cell in row.iter() if cell.tag in _CELLS
        ]
        if any(cells):
            self.blocks.append(Block(text="| " + " | ".join(cells) + " |", kind="table"))


def _is_layout_row(row: LexborNode) -> bool:
    """A row whose cells hold paragraphs of running text lays out the story, not data."""
    return any(len(p.text(separator=" ").split()) >= _LAYOUT_PARAGRAPH_WORDS for p in row.css("p"))


def _is_skipped(node: LexborNode, tag: str) -> bool:
    if tag not in _SKIPPED:
        return False
    # a table in a <figure> (as WordPress prints tables) is read, as trafilatura reads it
    return not (tag == "figure" and node.css_first("table") is not None)


def _is_caption_or_box(node: LexborNode, tag: str) -> bool:
    if tag not in _CAPTION_TAGS:
        return False
    attributes = node.attributes
    names = f"{attributes.get('class') or ''} {attributes.get('id') or ''}".lower()
    # a CMS names the kind of an embedded box in `type` (`<div type="RelatedOneNews">`)
    if any(part in f"{names} {attributes.get('type') or ''}".lower() for part in _BOX_PARTS):
        return True
    # a name ending in a caption word: "caption", "wp-caption", "photoCaption", not "captions"
    return any(part.endswith(_CAPTION_PARTS) for part in _NAME_PARTS.split(names) if part)


def _is_link_list(node: LexborNode, tag: str) -> bool:
    """A list of at least three items that is mostly link text: related headlines, not story."""
    if tag not in _LISTS or len(node.css("li")) < _MIN_LIST_ITEMS:
        return False
    text = len(" ".join(node.text(separator=" ").split()))
    linked = sum(len(" ".join(a.text(separator=" ").split())) for a in node.css("a"))
    return bool(text) and linked >= _LIST_LINK_SHARE * text
