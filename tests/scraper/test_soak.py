"""A few random kills of a real crawl, each followed by the next run: the soak of `make soak` in
small (`make soak` runs 100). Nothing lost, nothing stored twice, in any of the three outputs."""

from __future__ import annotations

from pathlib import Path

from tests.soak import soak


def test_random_kills_lose_nothing_and_store_nothing_twice(tmp_path: Path) -> None:
    report = soak(
        3, seed=20251202, max_wait=5.0, work=tmp_path, first=10, more=10, log=lambda _: None
    )
    assert report.kills == 3
    assert report.problems == [], "\n".join(report.lines())
    assert report.counts["database: lost"] == report.counts["JSON Lines: stored twice"] == 0
