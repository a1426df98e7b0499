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


def rich_db(path: Path) -> Path:
    with Store(path) as store:
        store.record_source("a-rss", "a", Validators(None, None), [Candidate("http://a/1")], now=0)
        for url, title in (("http://a/1", "First, with a comma"), ("http://a/2", "Second")):
            store.store_article(
                url,
                "a",
                Article(
                    url=url,
                    title=title,
                    text='HÀ NỘI — One "quoted" line.\n\nTwo.',
                    paragraphs=('HÀ NỘI — One "quoted" line.', "Two."),
                    date="2025-09-15",
                    dateline="HÀ NỘI",
                    authors=("Jane Doe", "Lê Văn A"),
                    tags=("Hanoi", "bridges"),
                    site_name="Example",
                ),
                content_hash=url,
                fetched_at="2025-09-21T00:00:00+00:00",
                validators=Validators(None, None),
            )
    return path


def test_export_csv_has_fixed_columns_and_joined_lists(tmp_path: Path) -> None:
    import csv
    import io

    from scraper.cli.export_formats import CSV_COLUMNS

    run = export("--db", str(rich_db(tmp_path / "db.sqlite")), "--format", "csv")
    assert run.returncode == 0, run.stderr
    rows = list(csv.reader(io.StringIO(run.stdout)))
    assert rows[0] == list(CSV_COLUMNS)
    assert rows[0][:3] == ["url", "title", "date"] and rows[0][-1] == "text"
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["title"] == "First, with a comma"
    assert first["authors"] == "Jane Doe; Lê Văn A" and first["tags"] == "Hanoi; bridges"
    assert first["text"] == 'HÀ NỘI — One "quoted" line.\n\nTwo.'
    assert first["source"] == "a" and first["site_name"] == "Example"
    assert first["description"] == "" and len(rows) == 3


def test_export_markdown_prints_one_article_after_another(tmp_path: Path) -> None:
    out = tmp_path / "all.md"
    run = export("--db", str(rich_db(tmp_path / "db.sqlite")), "-f", "markdown", "-o", str(out))
    assert run.returncode == 0, run.stderr
    text = out.read_text(encoding="utf-8")
    first, second = text.split("\n---\n\n")
    assert first.startswith("# First, with a comma\n\n*2025-09-15 · HÀ NỘI · Jane Doe, Lê Văn A")
    assert 'HÀ NỘI — One "quoted" line.\n\nTwo.\n' in first
    assert second.startswith("# Second\n")


def test_export_rejects_an_unknown_format(tmp_path: Path) -> None:
    run = export("--db", str(make_db(tmp_path / "db.sqlite")), "--format", "xml")
    assert run.returncode == 2 and "Traceback" not in run.stderr
