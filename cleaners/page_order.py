"""Every block of a page in page order, with what the main-text extraction left out: for `explain`.

The cleaner learns what it removed in two passes (structural pruning, then the block rules on the
extraction's output), each in its own order. Here both are placed by where their text first
stands in the page's visible text, and the visible text of the pruned page that is in neither
(what the main-text step left out) is added as `not_main_text`. Only `explain` pays for this.
"""

from __future__ import annotations

from collections.abc import Sequence

from selectolax.lexbor import LexborHTMLParser, LexborNode

from cleaners.model import Removal
from cleaners.normalize import MAX_BLOCKS, normalize_text
from cleaners.reasons import Reason

Trace = tuple[tuple[str | None, str], ...]

# Elements that start a new block of text; the rest (a, b, span…) run inside one.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption dd details div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr li main menu nav ol p pre section summary "
    "table tbody td tfoot th thead tr ul br html".split()
)
# Elements whose text is never shown.
_HIDDEN_TAGS = frozenset(
    "script style noscript template svg iframe object embed canvas map dialog head title "
    "-comment".split()
)
_PROBE = 40  # characters of a block's text looked for in the page: enough to be unique
_MAX_DEPTH = 400  # the markup is bounded at 100 levels before parsing; this is a safety net
# Characters that substring searches may scan in all, so that a page of many short blocks, none
# found, costs time linear in its size: past it a block is matched whole or not placed.
_SCAN_BUDGET = 50_000_000
_MAX_LEFT_OUT = MAX_BLOCKS  # blocks listed as not_main_text; a page has far fewer


class _Search:
    """Substring searches that stop scanning once their budget of characters is spent."""

    def __init__(self, haystack: str) -> None:
        self.haystack = haystack
        self.budget = _SCAN_BUDGET

    def find(self, needle: str, start: int = 0) -> int:
        if not needle or self.budget <= 0:
            return -1
        found = self.haystack.find(needle, start)
        # a miss scans the rest; a hit about as far as it stands
        self.budget -= (len(self.haystack) if found < 0 else found) - start + len(needle)
        return found


def _key(text: str) -> str:
    """`text` without any whitespace: extraction and the page differ only in spacing."""
    return "".join(text.split())


def text_blocks(root: LexborNode | None) -> list[str]:
    """The visible text under `root` as blocks in page order, one per block element's run."""
    blocks: list[str] = []
    if root is None:
        return blocks
    run: list[str] = []

    def flush() -> None:
        text = normalize_text(" ".join("".join(run).split()))
        if any(c.isalnum() for c in text):
            blocks.append(text)
        run.clear()

    def walk(node: LexborNode, depth: int) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                run.append(child.text_content or "")
            elif tag in _HIDDEN_TAGS or depth > _MAX_DEPTH:
                continue
            elif tag in _BLOCK_TAGS:
                flush()
                walk(child, depth + 1)
                flush()
            else:
                walk(child, depth + 1)

    walk(root, 0)
    flush()
    return blocks


def page_key(tree: LexborHTMLParser) -> str:
    """The page's visible text without whitespace: where every block is looked up."""
    return "".join(_key(block) for block in text_blocks(tree.body))


def not_main_text(pruned_html: str, extracted: Sequence[str]) -> list[str]:
    """Visible blocks of the pruned page that are not in the extraction's output, in order."""
    keys = [_key(text) for text in extracted]
    whole = set(keys)
    output = _Search("\n".join(keys))
    left_out = []
    for text in text_blocks(LexborHTMLParser(pruned_html).body):
        key = _key(text)
        if key not in whole and output.find(key) < 0:
            left_out.append(text)
            if len(left_out) >= _MAX_LEFT_OUT:
                break
    return left_out


def _positions(texts: Sequence[str], page: _Search) -> list[int]:
    """Where each text stands in `page`, searching forward from the one before: texts given in
    page order keep it. A text not found stands just after the one before it."""
    positions = []
    cursor = 0
    for text in texts:
        probe = _key(text)[:_PROBE]
        found = page.find(probe, cursor)
        if found < 0:
            found = page.find(probe)  # out of order in its own list: its place in the page
        if found >= 0:
            cursor = found
        positions.append(cursor if found < 0 else found)
    return positions


def in_page_order(
    pruned: Sequence[Removal], body: Trace, dropped: Sequence[str], page: str
) -> Trace:
    """The pruned containers, the extraction's blocks (kept or removed by the rules) and the
    extraction's leftovers (`not_main_text`), merged in the order their text has in `page`."""
    sources: list[list[tuple[str | None, str]]] = [
        [(r.reason, r.text) for r in pruned],
        list(body),
        [(Reason.NOT_MAIN_TEXT.value, text) for text in dropped],
    ]
    placed = []
    search = _Search(page)
    for rank, entries in enumerate(sources):
        positions = _positions([text for _, text in entries], search)
        placed += [
            (position, rank, index, entry)
            for index, (position, entry) in enumerate(zip(positions, entries, strict=True))
        ]
    # at one position a container comes before the blocks inside it
    placed.sort(key=lambda item: (item[0], item[1], item[2]))
    return tuple(entry for *_, entry in placed)
