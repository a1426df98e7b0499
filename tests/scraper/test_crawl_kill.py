"""A crawl killed with SIGKILL mid-run, then run again: nothing lost, nothing twice, db sound."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from scraper.crawl_fakesite import FakeSite
from scraper.store import Store
from tests.scraper.crawl_site import build_host, set_site_key, write_config


def count_articles(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # not created yet


def test_sigkill_then_rerun_stores_every_article_exactly_once(tmp_path: Path) -> None:
    with FakeSite(["kill"]) as site:
        build_host(site, "kill", 30, in_feed=10)
        config = write_config(tmp_path / "sources.toml", site, ["kill"])
        set_site_key(config, "delay", 0.05)
        set_site_key(config, "in_flight", 1)
        db = tmp_path / "db.sqlite"
        command = [sys.executable, "-m", "scraper", "crawl", "--config", str(config)]
        proc = subprocess.Popen(command, stderr=subprocess.DEVNULL, start_new_session=True)
        give_up = time.monotonic() + 60
        while count_articles(db) < 5 and proc.poll() is None and time.monotonic() < give_up:
            time.sleep(0.02)
        assert proc.poll() is None, "the crawl ended before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        assert 5 <= count_articles(db) < 30

        rerun = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert rerun.returncode == 0, rerun.stderr
    with Store(db) as store:
        assert store.integrity_check() == "ok"
        titles = [line for line in store.articles()]
    assert len(titles) == 30
    hashes = sqlite3.connect(db).execute("SELECT count(DISTINCT content_hash) FROM articles")
    assert hashes.fetchone()[0] == 30
