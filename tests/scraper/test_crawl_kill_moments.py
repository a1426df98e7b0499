"""A crawl killed at the exact moments that split its outputs, then run again: the database,
the JSON Lines file and the WARC files agree, every article in each exactly once.

tests/scraper/killpoint.py runs the real command line and SIGKILLs it (workers too) when its
own code reaches the moment; nothing of newsclean is replaced.
"""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from scraper.crawl import run_crawl
from scraper.crawl.config import load_config
from scraper.crawl.outputs.warc_archive import OPEN_SUFFIX, PAGE_FIELD
from scraper.crawl.outputs.warc_recovery import complete_members
from scraper.crawl.report import LogReporter
from tests.fakes.site import FakeSite
from tests.scraper.crawl_site import build_host, write_config

HANG_GUARD = 120.0


def crawl(config: Path, *kill: str) -> subprocess.CompletedProcess[str]:
    """The command line in a process of its own, killed at the moment `kill` names."""
    command = [sys.executable, "-m", "tests.scraper.killpoint", *kill, "--"]
    command += ["crawl", "--config", str(config)]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=HANG_GUARD, start_new_session=True
    )


def database_lines(db: Path) -> list[str]:
    return [line for (line,) in sqlite3.connect(db).execute("SELECT json FROM articles")]


def jsonl_lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines()


def warc_pages(directory: Path) -> Counter[str]:
    """How many response records each crawl page has in the finished WARC files."""
    pages: Counter[str] = Counter()
    for path in sorted(directory.glob("*.warc.gz")):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if page := record.rec_headers.get_header(PAGE_FIELD):
                    pages[page] += 1
                record.content_stream().read()  # a short record would raise here
    return pages


def setup(tmp_path: Path, site: FakeSite) -> tuple[Path, Path, Path, Path]:
    build_host(site, "kill", 8, in_feed=8)
    db, jsonl, warc = tmp_path / "db.sqlite", tmp_path / "articles.jsonl", tmp_path / "warc"
    config = write_config(
        tmp_path / "sources.toml", site, ["kill"], jsonl=str(jsonl), warc=str(warc)
    )
    return config, db, jsonl, warc


def test_killed_at_each_exact_moment_then_run_again(tmp_path: Path) -> None:
    with FakeSite(["kill"]) as site:
        config, db, jsonl, warc = setup(tmp_path, site)

        killed = crawl(config, "jsonl-append", "3")
        assert killed.returncode == -9, killed.stderr
        # the moment: the third article is committed, the file holds only two
        assert len(database_lines(db)) == 3 and len(jsonl_lines(jsonl)) == 2

        killed = crawl(config, "warc-page", "2")
        assert killed.returncode == -9, killed.stderr
        # the next run caught the file up, then was killed inside its second page's record:
        # the file ends inside that record, whose page was never committed
        assert sorted(jsonl_lines(jsonl)) == sorted(database_lines(db))
        assert len(database_lines(db)) == 4
        (unfinished,) = warc.glob(f"*{OPEN_SUFFIX}")
        with unfinished.open("rb") as file:
            whole = complete_members(file)
        assert whole[-1].end < unfinished.stat().st_size

        log = io.StringIO()  # the run after the kills needs no process of its own
        rerun = run_crawl(load_config(config), LogReporter(log))
    assert rerun.exit_code == 0, log.getvalue()
    assert "repaired the unfinished WARC file" in log.getvalue()
    assert list(warc.glob(f"*{OPEN_SUFFIX}")) == []
    stored = database_lines(db)
    assert len(stored) == 8 and len({json.loads(line)["url"] for line in stored}) == 8
    assert sorted(jsonl_lines(jsonl)) == sorted(stored)  # each exactly once
    pages = warc_pages(warc)  # every page's answer once: the cut record was fetched again
    assert len(pages) == 8 and set(pages.values()) == {1}
