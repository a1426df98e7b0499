"""Cron manners of a real `newsclean crawl` process: SIGINT and SIGTERM stop it cleanly (one
line, exit 130 or 143, no traceback from any process), and the next run continues."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fakes.site import FakeSite
from tests.scraper.crawl_site import build_host, crawl, write_config

HANG_GUARD = 60.0


def stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as raw:
            return raw.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0  # the crawl is creating it


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_a_real_crawl_cleanly_and_the_next_run_continues(
    tmp_path: Path, signum: signal.Signals, code: int
) -> None:
    with FakeSite(["fast", "slow"]) as site:
        build_host(site, "fast", 4)
        build_host(site, "slow", 4)
        site.slow["slow"] = HANG_GUARD  # its feed and pages stall until the site closes
        config = write_config(tmp_path / "sources.toml", site, ["fast", "slow"])
        db = tmp_path / "db.sqlite"
        crawl_process = subprocess.Popen(
            [sys.executable, "-m", "scraper", "crawl", "--config", str(config)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group, as a terminal's job has
        )
        give_up = time.monotonic() + HANG_GUARD
        while stored(db) < 4 and time.monotonic() < give_up and crawl_process.poll() is None:
            time.sleep(0.05)
        if signum == signal.SIGINT:  # Ctrl-C: the whole group, cleaning processes included
            os.killpg(crawl_process.pid, signum)
        else:  # systemctl stop, kill: the crawl's own process
            crawl_process.send_signal(signum)
        _, stderr = crawl_process.communicate(timeout=HANG_GUARD)
        assert crawl_process.returncode == code, stderr
        assert "Traceback" not in stderr and "Error" not in stderr, stderr
        last = stderr.splitlines()[-1]
        assert f"newsclean crawl: interrupted by {signum.name}: 4 stored" in last
        assert last.endswith("the next run continues")

        site.slow["slow"] = 0.0
        again = crawl(config)
        assert again.new == 4 and stored(db) == 8
