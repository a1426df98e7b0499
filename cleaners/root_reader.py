"""Read the story's content root as blocks, the way a reader sees it, without trafilatura.

When a page's story is written in paragraphs, the content root (the element holding nearly all of
its running text, once the furniture is pruned) is the story's region: each paragraph, heading,
list item and table row in it becomes a block, with the share of its text inside links. What
trafilatura would judge there, the block rules judge here; media, captions and controls are never
read. On WCXB and AEB this keeps more of the story than trafilatura's extraction and as little
furniture, and it spares the page a second parse.
"""

from __future__ import annotations

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
_CELLS = frozenset({"td", "th"})
_LEAD_TAGS = frozenset(_DATA["lead"]["tags"])
_LEAD_WORDS = (int(_DATA["lead"]["min_words"]), int(_DATA["lead"]["max_words"]))
# Below this many words of <p> prose the story is not written in paragraphs: trafilatura's
# extraction, which weighs every kind of container, reads the page instead.
MIN_PROSE_WORDS = 150


def read_root(body: LexborNode, linked: Container[str]) -> list[Block] | None:
    """The blocks of the pruned page's content root; None when its story is not in paragraphs
    or no element but the body holds it (the page is then weighed whole, by trafilatura).

    `linked` holds the `heading_key` of the page's link texts: a block equal to one is a link.
    """
    prose = ProseMap(body)
    if prose.total < MIN_PROSE_WORDS:
        return None
    root = prose.root()
    if root.mem_id == body.mem_id:
        return None
    blocks = _Reader(linked).read(root)
    lead = _lead_before(root)
    return [lead, *blocks] if lead is not None else blocks


def _lead_before(root: LexborNode) -> Block | None:
    """The paragraph printed right before the root, when it reads like the story's lead."""
    node = root.prev
    while node is not None and (node.tag == "-text" or node.tag == "-comment"):
        node = node.prev
    if node is None or node.tag not in _LEAD_TAGS or node.css_first("a") is not None:
        return None
    text = " ".join(node.text(separator=" ").split())
    if not _LEAD_WORDS[0] <= len(text.split()) <= _LEAD_WORDS[1]:
        return None
    return Block(text=text, kind="lead")


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
            if tag.startswith("-") or _is_caption(node, tag):
                continue
            if tag in _SKIPPED and not (tag == "figure" and node.css_first("table") is not None):
                continue  # a table in a <figure> (as WordPress prints tables) is read
            if tag == "tr":
                self._row(node)
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

    def _row(self, row: LexborNode) -> None:
        self._flush()
        cells = [
            " ".join(cell.text(separator=" ").split()) for cell in row.iter() if cell.tag in _CELLS
        ]
        if any(cells):
            self.blocks.append(Block(text="| " + " | ".join(cells) + " |", kind="table"))


def _is_caption(node: LexborNode, tag: str) -> bool:
    if tag not in _CAPTION_TAGS:
        return False
    attributes = node.attributes
    names = f"{attributes.get('class') or ''} {attributes.get('id') or ''}".lower()
    return any(part in names for part in _CAPTION_PARTS)
