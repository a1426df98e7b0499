"""`make soak`: kill a crawl at random moments, many times, and check that nothing was lost or
stored twice in the database, the JSON Lines file or the WARC archive.

    python -m tests.soak --kills 100 [--seed N] [--max-wait 10.0]

A fake news site on 127.0.0.1 (two hosts) keeps publishing: before each run it adds articles
to its feed and news sitemap, so every run has work to be killed in. Each run is the real
command line (`newsclean crawl --jsonl --warc`), SIGKILLed with its cleaning workers after a
random wait, or left to finish when it is quicker. Then runs go on unkilled (in this process)
until nothing is due, and the three outputs are checked against the site's own list of articles:

- the database: sound (integrity_check), every article exactly once;
- the JSON Lines file: exactly the database's articles, each line once;
- the WARC files: all finished, each a sequence of whole records, and each stored article's
  answer in exactly one record.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from scraper.crawl import run_crawl
from scraper.crawl.config import load_config
from scraper.crawl.outputs.warc_archive import OPEN_SUFFIX, PAGE_FIELD
from scraper.crawl.outputs.warc_recovery import complete_members
from tests.fakes.site import FakeSite
from tests.scraper.crawl_site import build_host, set_site_key, write_config

HOSTS = ["soak-a", "soak-b"]
FIRST, MORE = 20, 25  # articles per host at the start, and published before each run


@dataclass
class Report:
    """What a soak did and found."""

    kills: int = 0
    finished_before_kill: int = 0
    articles: int = 0  # on the site, to be stored
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The figures, one per line."""
        out = [
            f"kills: {self.kills} (runs that finished before their kill: "
            f"{self.finished_before_kill})",
            f"articles on the site: {self.articles}",
        ]
        out += [f"{name}: {n}" for name, n in self.counts.items()]
        out += [f"PROBLEM: {p}" for p in self.problems] or ["no problem found"]
        return out


def soak(
    kills: int,
    *,
    seed: int,
    max_wait: float,
    work: Path,
    first: int = FIRST,
    more: int = MORE,
    log: Callable[[str], object] = print,
) -> Report:
    """Run the soak in `work`, the site starting with `first` articles per host and publishing
    `more` per host before each run; return what it found."""
    rng = random.Random(seed)
    report = Report()
    db, jsonl, warc = work / "db.sqlite", work / "articles.jsonl", work / "warc"
    with FakeSite(HOSTS) as site:
        count = first
        published = {h: build_host(site, h, count, in_feed=5) for h in HOSTS}
        config = write_config(work / "sources.toml", site, HOSTS, jsonl=str(jsonl), warc=str(warc))
        set_site_key(config, "in_flight", 2)
        for n in range(kills):
            count += more
            published = {h: build_host(site, h, count, in_feed=5) for h in HOSTS}
            wait = rng.uniform(0.0, max_wait)
            finished = _run(config, kill_after=wait)
            report.kills += 1
            report.finished_before_kill += finished
            if (n + 1) % 10 == 0 or n + 1 == kills:
                log(f"  {n + 1}/{kills} kills, {_count(db)} articles stored so far")
        for _ in range(5):  # unkilled runs until nothing is left: no process of their own
            run_crawl(load_config(config))
            if _due(db) == 0:
                break
    titles = [(h, a.title) for h in HOSTS for a in published[h]]
    report.articles = len(titles)
    _check(report, titles, db, jsonl, warc)
    return report


def _run(config: Path, *, kill_after: float) -> bool:
    """One crawl in a process of its own, killed (with its workers) after `kill_after` seconds
    unless it ends first. True when it finished on its own."""
    command = [sys.executable, "-m", "scraper", "crawl", "--config", str(config)]
    proc = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        proc.wait(timeout=kill_after)
        return True
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return False


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=10) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def _due(db: Path) -> int:
    with sqlite3.connect(db, timeout=10) as conn:
        row = conn.execute("SELECT count(*) FROM pages WHERE status IN ('new', 'failed')")
        return row.fetchone()[0]


def _check(
    report: Report, titles: list[tuple[str, str]], db: Path, jsonl: Path, warc: Path
) -> None:
    problems = report.problems
    conn = sqlite3.connect(db)
    if (verdict := conn.execute("PRAGMA integrity_check").fetchone()[0]) != "ok":
        problems.append(f"database integrity: {verdict}")
    stored = [line for (line,) in conn.execute("SELECT json FROM articles")]
    pages = dict(conn.execute("SELECT url, status FROM pages WHERE article_id IS NOT NULL"))
    stored_titles = Counter(
        (article["source"], article["title"]) for article in map(json.loads, stored)
    )
    _compare(report, "database", Counter(titles), stored_titles)

    lines = jsonl.read_text("utf-8").splitlines() if jsonl.exists() else []
    for line in lines:
        try:
            json.loads(line)
        except ValueError:
            problems.append(f"JSON Lines: a line that is not JSON: {line[:80]!r}")
    _compare(report, "JSON Lines", Counter(stored), Counter(lines))

    unfinished = list(warc.glob(f"*{OPEN_SUFFIX}"))
    if unfinished:
        problems.append(f"WARC: {len(unfinished)} unfinished files after the last run")
    records: Counter[str] = Counter()
    for path in sorted(warc.glob("*.warc.gz")):
        with path.open("rb") as file:
            members = complete_members(file)
        if not members or members[-1].end != path.stat().st_size:
            problems.append(f"WARC: {path.name} does not end with a whole record")
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                record.content_stream().read()
                if page := record.rec_headers.get_header(PAGE_FIELD):
                    records[page] += 1
    stored_pages = {url for url, status in pages.items() if status == "stored"}
    _compare(
        report,
        "WARC page records",
        Counter(stored_pages),
        +Counter({p: records[p] for p in stored_pages}),
    )
    report.counts["WARC page records in all"] = sum(records.values())


def _compare(report: Report, name: str, expected: Counter, got: Counter) -> None:
    lost = sum((expected - got).values())
    twice = sum(n - 1 for n in got.values() if n > 1)
    extra = sum((got - expected).values()) - twice
    report.counts[f"{name}: lost"] = lost
    report.counts[f"{name}: stored twice"] = twice
    if lost or twice or extra > 0:
        report.problems.append(f"{name}: {lost} lost, {twice} stored twice, {extra} unexpected")


def main() -> None:
    """Parse the arguments, run the soak, print the figures; exit 1 on any problem."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--max-wait", type=float, default=10.0, help="longest wait before a kill")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 32)
    work = Path(tempfile.mkdtemp(prefix="newsclean-soak-"))
    print(f"soak: {args.kills} kills, seed {seed}, waits up to {args.max_wait} s, in {work}")
    started = time.monotonic()
    report = soak(args.kills, seed=seed, max_wait=args.max_wait, work=work)
    for line in report.lines():
        print(f"soak: {line}")
    print(f"soak: {time.monotonic() - started:.0f} s")
    if not args.keep and not report.problems:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if report.problems else 0)


if __name__ == "__main__":
    main()
