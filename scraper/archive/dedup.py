"""No article twice in the output: for each content hash the earliest WARC-Date wins.

Every part's manifest lists the rows it was written with (hash, WARC-Date, offset) and the ones
pruned since. `losers` decides, over all the parts of one job, which rows must not be in the
output; ties on the date go to the input name, then the offset, so the choice is the same on
every run and engine. Records without a readable WARC-Date lose to every dated copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

_LATEST = 1 << 62


def losers(manifests: Iterable[dict[str, Any]]) -> dict[str, set[int]]:
    """For each part, the record offsets of its rows that another row of the same hash beats."""
    best: dict[str, tuple[int, str, int, str]] = {}  # hash -> (date, source, offset, part)
    rows: list[tuple[str, tuple[int, str, int, str]]] = []
    for manifest in manifests:
        source, part = manifest["source"], manifest["part"]
        for digest, date, offset in manifest["index"]:
            key = (_LATEST if date is None else date, source, offset, part)
            rows.append((digest, key))
            if digest not in best or key < best[digest]:
                best[digest] = key
    beaten: dict[str, set[int]] = {}
    for digest, key in rows:
        if best[digest] != key:
            beaten.setdefault(key[3], set()).add(key[2])
    return beaten
