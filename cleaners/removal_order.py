"""The removed blocks of a page in page order, as the contract promises.

The structural prunes and the block rules each remove in page order, but separately: a sidebar
pruned after the story would come before the story's own removed lines. Each removal is placed
where its text first stands in the page's visible text; one that cannot be found keeps its
place after the removal before it.
"""

from __future__ import annotations

from collections.abc import Sequence

from cleaners.model import Removal

_PROBE = 40  # characters of a removal's text looked for: enough to place it
# find() costs up to the page's length per removal: past this product the order stays as is
_SCAN_BUDGET = 20_000_000


def page_text(text: str) -> str:
    """The page's visible text with its whitespace folded, as removals hold theirs."""
    return " ".join(text.split())


def in_page_order(
    pruned: Sequence[Removal], rule_removed: Sequence[Removal], text: str
) -> tuple[Removal, ...]:
    """`pruned` and `rule_removed` (each in page order) merged into one page order."""
    removals = (*pruned, *rule_removed)
    if not pruned or not rule_removed or len(removals) * len(text) > _SCAN_BUDGET:
        return removals
    keyed = []
    for group in (pruned, rule_removed):
        position = -1
        for removal in group:
            probe = " ".join(removal.text[: 4 * _PROBE].split())[:_PROBE]
            found = text.find(probe) if probe else -1
            position = found if found >= 0 else position  # not found: after the one before
            keyed.append((position, removal))
    # stable: removals at one position keep their order (pruned first, then the rules')
    return tuple(removal for _, removal in sorted(keyed, key=lambda item: item[0]))
