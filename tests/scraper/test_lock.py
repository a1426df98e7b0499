"""One crawl at a time: a second one exits 75 at once with a message."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.crawl.lock import CrawlLock, LockHeld
from tests.scraper.run_cli import newsclean


def test_a_second_lock_is_refused_and_freed_after_release(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite.lock"
    with CrawlLock(path), pytest.raises(LockHeld, match="another crawl"):
        CrawlLock(path).acquire()
    with CrawlLock(path):
        pass


def test_crawl_exits_75_while_another_holds_the_lock(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    config = tmp_path / "sources.toml"
    config.write_text(
        f'[crawl]\ndb = "{db}"\n\n[[site]]\nname = "x"\nfeeds = ["http://127.0.0.1:9/rss"]\n'
    )
    with CrawlLock(tmp_path / "db.sqlite.lock"):
        done = newsclean("crawl", "--config", str(config), text=True)
    assert done.returncode == 75
    assert done.stderr.count("\n") == 1 and "another crawl" in done.stderr
