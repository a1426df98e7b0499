"""`newsclean export`: the stored articles as JSON Lines, filtered by site and date."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from cleaners import Article
from scraper.crawl.sources import Candidate
from scraper.crawl.store import Store, Validators
from tests.scraper.run_cli import newsclean


def export(*args: str) -> subprocess.CompletedProcess[str]:
    return newsclean("export", *args, text=True)


def make_db(path: Path) -> Path:
    with Store(path) as store:
        for site, url, day in (
            ("a", "http://a/1", "2025-09-01"),
            ("b", "http://b/2", "2025-09-20"),
        ):
            store.record_source(
                site + "-rss", site, Validators(None, None), [Candidate(url)], now=0
            )
            store.store_article(
                url,
                site,
                Article(url=url, text=f"story {url}", date=day),
                content_hash=url,
                fetched_at="2025-09-21T00:00:00+00:00",
                validators=Validators(None, None),
            )
    return path


def test_export_filters_by_site_and_since(tmp_path: Path) -> None:
    db = make_db(tmp_path / "db.sqlite")
    everything = [json.loads(line) for line in export("--db", str(db)).stdout.splitlines()]
    assert [a["url"] for a in everything] == ["http://a/1", "http://b/2"]
    assert everything[0]["source"] == "a" and everything[0]["fetched_at"]
    only_b = export("--db", str(db), "--site", "b").stdout.splitlines()
    assert [json.loads(line)["url"] for line in only_b] == ["http://b/2"]
    recent = export("--db", str(db), "--since", "2025-09-10").stdout.splitlines()
    assert [json.loads(line)["url"] for line in recent] == ["http://b/2"]


def test_export_without_a_database_or_with_a_bad_date_fails_in_one_line(tmp_path: Path) -> None:
    missing = export("--db", str(tmp_path / "none.sqlite"))
    assert missing.returncode == 78 and missing.stderr.count("\n") == 1
    bad = export("--db", str(make_db(tmp_path / "db.sqlite")), "--since", "last week")
    assert bad.returncode == 2 and "ISO date" in bad.stderr
