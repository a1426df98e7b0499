"""Where the story's prose sits in a page: words of running text per element, and the content root.

The content root is the deepest element that holds nearly all of the page's paragraph text. Inside
it a class name or a tag is weak evidence of furniture: what holds story paragraphs, or stands
between them, is part of the story.
"""

from __future__ import annotations

from collections.abc import Container

from selectolax.lexbor import LexborNode

# A <p> with fewer words than this is a label, a button or a caption, not running text.
_MIN_PARAGRAPH_WORDS = 8
# Paragraphs count as the story's when their parent holds at least this many words of them, and
# this share of what the richest parent holds: the story's paragraphs run together.
_MIN_RUN_WORDS = 30
_RUN_SHARE = 0.2
# A paragraph alone under its parent counts only when it is this big beside the richest run.
_LONE_SHARE = 0.5
# The content root holds at least this share of the page's prose.
ROOT_SHARE = 0.9


def _words(node: LexborNode) -> int:
    return len(node.text(separator=" ").split())


class ProseMap:
    """Words of running text (unlinked words of <p> paragraphs) under each element of `body`.

    Paragraphs inside `excluded` elements (comment boxes, footers) do not count: readers'
    comments are prose too, but not the story's.
    """

    def __init__(self, body: LexborNode, excluded: Container[int] = ()) -> None:
        self.body = body
        self.weight: dict[int, int] = {}
        # per parent: each child's index and the running sums of the children's weights, so
        # that `around` costs the depth of a node, not the count of its siblings
        self._sibling_sums: dict[int, tuple[dict[int, int], list[int]]] = {}
        paragraphs = []
        by_parent: dict[int, int] = {}
        count: dict[int, int] = {}
        self.paragraph_total = 0  # words of running text in every paragraph, runs or not
        for paragraph in body.css("p"):
            words = self._paragraph_words(paragraph)
            self.paragraph_total += words
            parent = paragraph.parent
            if words and parent is not None:
                paragraphs.append((paragraph, parent.mem_id, words))
                by_parent[parent.mem_id] = by_parent.get(parent.mem_id, 0) + words
                count[parent.mem_id] = count.get(parent.mem_id, 0) + 1
        # a story is a run of paragraphs under one parent; a teaser stands alone in its card
        richest = max(by_parent.values(), default=0)
        floor = max(_MIN_RUN_WORDS, _RUN_SHARE * richest)
        self.story: list[LexborNode] = []
        for paragraph, parent_id, words in paragraphs:
            run = by_parent[parent_id]
            if run < floor or (count[parent_id] < 2 and run < _LONE_SHARE * richest):
                continue
            chain = self._chain(paragraph, body.mem_id, excluded)
            if chain:
                self.story.append(paragraph)
            for mem_id in chain:
                self.weight[mem_id] = self.weight.get(mem_id, 0) + words
        self.total = self.weight.get(body.mem_id, 0)

    @staticmethod
    def _chain(node: LexborNode, top: int, excluded: Container[int]) -> list[int]:
        """`node` and its ancestors up to `top`; empty when one of them is excluded."""
        chain = []
        current: LexborNode | None = node
        while current is not None:
            if current.mem_id in excluded:
                return []
            chain.append(current.mem_id)
            if current.mem_id == top:
                return chain
            current = current.parent
        return []

    @staticmethod
    def _paragraph_words(paragraph: LexborNode) -> int:
        words = _words(paragraph)
        if words < _MIN_PARAGRAPH_WORDS:
            return 0
        linked = sum(_words(anchor) for anchor in paragraph.css("a"))
        return max(0, words - linked)

    def inside(self, node: LexborNode) -> int:
        """Words of the story's paragraphs under `node`."""
        return self.weight.get(node.mem_id, 0)

    @classmethod
    def paragraph_words(cls, node: LexborNode) -> int:
        """Words of running text in any paragraph under `node`, runs or not."""
        return sum(cls._paragraph_words(p) for p in node.css("p"))

    def root(self, share: float = ROOT_SHARE) -> LexborNode:
        """The deepest element holding at least `share` of the page's prose (body if none)."""
        node = self.body
        if not self.total:
            return node
        while True:
            child = node.child
            while child is not None and self.weight.get(child.mem_id, 0) < share * self.total:
                child = child.next
            if child is None:
                return node
            node = child

    def around(self, node: LexborNode, root: LexborNode) -> tuple[int, int] | None:
        """Prose words of `root` before and after `node` in page order; None if outside it."""
        if not is_within(node, root):
            return None
        before = after = 0
        current = node
        while current.mem_id != root.mem_id:
            parent = current.parent
            if parent is None:
                return None
            index, sums = self._sums_under(parent)
            position = index[current.mem_id]
            before += sums[position]
            after += sums[-1] - sums[position + 1]
            current = parent
        return before, after

    def _sums_under(self, parent: LexborNode) -> tuple[dict[int, int], list[int]]:
        found = self._sibling_sums.get(parent.mem_id)
        if found is None:
            index: dict[int, int] = {}
            sums = [0]
            child = parent.child
            while child is not None:
                index[child.mem_id] = len(sums) - 1
                sums.append(sums[-1] + self.weight.get(child.mem_id, 0))
                child = child.next
            found = self._sibling_sums[parent.mem_id] = (index, sums)
        return found


def is_within(node: LexborNode, ancestor: LexborNode) -> bool:
    """True when `node` is `ancestor` or one of its descendants."""
    current: LexborNode | None = node
    while current is not None:
        if current.mem_id == ancestor.mem_id:
            return True
        current = current.parent
    return False
