"""`newsclean reclean`: a real crawl of a fake site on 127.0.0.1 writes real WARC files and a real
SQLite store; the stored articles are then made to look like an older cleaner's output in that
file, and reclean must bring them back to what the current cleaner gives from the archive."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from cleaners import cleaner_version
from scraper.archive.rows import content_hash
from scraper.crawl.lock import CrawlLock
from tests.fakes.site import FakeSite
from tests.scraper.crawl_site import build_host, crawl, write_config
from tests.scraper.run_cli import newsclean

HOSTS = ["alpha", "beta"]
OLD = "0.0.1+0123456789ab"  # a cleaner version no newsclean has
FIXTURE_DB = Path(__file__).resolve().parents[2] / "fixtures" / "store" / "schema-0.sqlite"


def crawl_two_hosts(root: Path, **settings: object) -> tuple[Path, Path]:
    """A finished crawl of two hosts (three articles each) with its WARC archive under `root`:
    its config and its database."""
    with FakeSite(HOSTS) as site:
        for host in HOSTS:
            build_host(site, host, 3)
        config = write_config(
            root / "sources.toml", site, HOSTS, warc=str(root / "warc"), **settings
        )
        summary = crawl(config)
        assert summary.exit_code == 0 and summary.new == 6, summary.lines()
    return config, root / "db.sqlite"


@pytest.fixture
def crawled(tmp_path: Path) -> tuple[Path, Path]:
    """The crawl of two hosts, every record in one WARC file."""
    return crawl_two_hosts(tmp_path)


@pytest.fixture
def crawled_apart(tmp_path: Path) -> tuple[Path, Path]:
    """The crawl of two hosts, one record per WARC file (so one page's file can be lost)."""
    return crawl_two_hosts(tmp_path, warc_max_bytes=1)


def rows(db: Path) -> dict[int, tuple[str, str, str, str | None]]:
    """id -> (site, content hash, JSON, cleaner version) of every stored article."""
    with sqlite3.connect(db) as raw:
        return {
            r[0]: r[1:]
            for r in raw.execute(
                "SELECT id, site, content_hash, json, cleaner_version FROM articles"
            )
        }


def age(db: Path, article_id: int, *, keep_text: bool = False) -> None:
    """Make article `article_id` look made by an older cleaner: an older JSON shape (no
    `removed`, no `notes`, another text) and an older version, as a user's old store has."""
    with sqlite3.connect(db) as raw:
        (line,) = raw.execute("SELECT json FROM articles WHERE id = ?", (article_id,)).fetchone()
        record = json.loads(line)
        del record["removed"], record["notes"]
        if not keep_text:
            text = f"An older cleaner kept this of article {article_id}."
            record["text"], record["paragraphs"] = text, [text]
        digest = content_hash(record["text"])
        old_hash = raw.execute(
            "SELECT content_hash FROM articles WHERE id = ?", (article_id,)
        ).fetchone()[0]
        raw.execute(
            "UPDATE articles SET json = ?, content_hash = ?, cleaner_version = ? WHERE id = ?",
            (json.dumps(record, sort_keys=True), digest, OLD, article_id),
        )
        raw.execute("UPDATE pages SET content_hash = ? WHERE content_hash = ?", (digest, old_hash))


def summary_of(stderr: str) -> str:
    (line,) = [x for x in stderr.splitlines() if x.startswith("newsclean reclean: articles")]
    return line


def test_the_crawl_records_each_article_page_and_cleaner(crawled) -> None:
    from scraper.archive.records import read_record_at

    _config, db = crawled
    with sqlite3.connect(db) as raw:
        pages = raw.execute(
            "SELECT url, warc_record, warc_file, warc_offset FROM pages WHERE status = 'stored'"
        ).fetchall()
    assert len(pages) == 6 and len({file for _, _, file, _ in pages}) == 1
    assert len({offset for *_, offset in pages}) == 6  # feeds, robots.txt and pages before them
    for url, record_id, file, offset in pages:
        page = read_record_at(file, offset)  # the file and offset name that page's answer
        assert (page.target_uri, page.record_id) == (url, record_id)
    assert {v for *_, v in rows(db).values()} == {cleaner_version()}


def test_reclean_brings_aged_articles_back_and_a_second_run_skips_them_all(crawled) -> None:
    config, db = crawled
    current = rows(db)
    first, second, third = sorted(current)[:3]
    age(db, first)
    age(db, second)
    age(db, third, keep_text=True)  # an old version whose output the current cleaner still gives
    with sqlite3.connect(db) as raw:  # same JSON, but the older cleaner's version
        raw.execute("UPDATE articles SET json = ? WHERE id = ?", (current[third][2], third))
    assert rows(db) != current

    done = newsclean("reclean", "--config", str(config), text=True)
    assert done.returncode == 0, done.stderr
    assert summary_of(done.stderr) == (
        "newsclean reclean: articles checked 6, changed 2 (0 merged into another), unchanged 1,"
        " missing record 0 (not archived 0, unreadable 0), no body now 0 (kept as stored),"
        f" skipped 3 (already at cleaner {cleaner_version()})"
    )
    assert rows(db) == current  # byte for byte what the crawl stored with this cleaner
    with sqlite3.connect(db) as raw:  # the pages carry their article's hash again
        stale = raw.execute(
            "SELECT count(*) FROM pages p JOIN articles a ON a.id = p.article_id"
            " WHERE p.status = 'stored' AND p.content_hash != a.content_hash"
        ).fetchone()[0]
    assert stale == 0

    again = newsclean("reclean", "--config", str(config), text=True)
    assert again.returncode == 0
    assert "changed 0 " in summary_of(again.stderr)
    assert f"skipped 6 (already at cleaner {cleaner_version()})" in again.stderr
    forced = newsclean("reclean", "--config", str(config), "--all", text=True)
    assert "checked 6, changed 0 (0 merged into another), unchanged 6," in forced.stderr
    assert rows(db) == current


def test_the_restored_text_is_the_cleaner_s_own_output_of_the_served_page(crawled) -> None:
    from cleaners import clean_html

    config, db = crawled
    (first, *_rest) = sorted(rows(db))
    age(db, first)
    assert newsclean("reclean", "--config", str(config)).returncode == 0
    site, _hash, line, _version = rows(db)[first]
    record = json.loads(line)
    with sqlite3.connect(db) as raw:
        (file, offset) = raw.execute(
            "SELECT warc_file, warc_offset FROM pages WHERE article_id = ? AND status = 'stored'",
            (first,),
        ).fetchone()
    from scraper.archive.records import read_record_at

    page = read_record_at(file, offset)  # the answer as served, cleaned here by the library
    served = clean_html(page.payload, page.target_uri).to_dict()
    assert record["text"] == served["text"] and served["text"]
    assert record["removed"] == served["removed"] and served["removed"]  # the furniture
    assert record["source"] == site


def test_dry_run_counts_what_would_change_and_writes_nothing(crawled) -> None:
    config, db = crawled
    first = min(rows(db))
    age(db, first)
    aged = rows(db)
    CrawlLock(db.with_name(db.name + ".lock")).acquire()  # held: a dry run needs no lock
    done = newsclean("reclean", "--config", str(config), "--dry-run", text=True)
    assert done.returncode == 0, done.stderr
    assert "checked 6, would change 1 (0 merged into another), unchanged 0," in done.stderr
    assert rows(db) == aged


def test_a_held_lock_is_exit_75_and_nothing_changes(crawled) -> None:
    config, db = crawled
    age(db, min(rows(db)))
    aged = rows(db)
    lock = CrawlLock(db.with_name(db.name + ".lock"))
    lock.acquire()
    try:
        done = newsclean("reclean", "--config", str(config), text=True)
    finally:
        lock.release()
    assert done.returncode == 75
    assert done.stderr.count("\n") == 1 and "holds" in done.stderr
    assert rows(db) == aged


def test_site_limits_the_run_to_one_site(crawled) -> None:
    config, db = crawled
    by_site = {site: i for i, (site, *_) in sorted(rows(db).items())}
    for article_id in by_site.values():
        age(db, article_id)
    done = newsclean("reclean", "--config", str(config), "--site", "alpha", text=True)
    assert "checked 3, changed 1 " in done.stderr
    after = rows(db)
    assert after[by_site["alpha"]][3] == cleaner_version()
    assert after[by_site["beta"]][3] == OLD  # not touched


@pytest.mark.parametrize("aged_first", [True, False])
def test_a_story_that_becomes_another_stored_one_is_kept_once(crawled, aged_first) -> None:
    """Article A's stored hash is made the one B's page gives: re-cleaning B finds the same
    story stored twice; the one stored first is kept and B's page points at it."""
    config, db = crawled
    current = rows(db)
    low, high = sorted(current)[:2]
    recleaned, other = (low, high) if aged_first else (high, low)
    age(db, recleaned)
    with sqlite3.connect(db) as raw:  # `other` now claims the story `recleaned` will give
        raw.execute(
            "UPDATE articles SET content_hash = ?, json = ? WHERE id = ?",
            (current[recleaned][1], current[recleaned][2], other),
        )
    done = newsclean("reclean", "--config", str(config), text=True)
    assert done.returncode == 0, done.stderr
    assert "changed 1 (1 merged into another)" in done.stderr
    after = rows(db)
    assert low in after and high not in after and len(after) == 5
    assert after[low][1:3] == current[recleaned][1:3]  # the story as the cleaner gives it
    with sqlite3.connect(db) as raw:
        pages = raw.execute(
            "SELECT status, count(*) FROM pages WHERE article_id = ? GROUP BY status", (low,)
        ).fetchall()
        orphans = raw.execute(
            "SELECT count(*) FROM pages WHERE article_id IS NOT NULL"
            " AND article_id NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]
    assert dict(pages) == {"stored": 1, "duplicate": 1} and orphans == 0


def test_a_lost_or_damaged_warc_file_is_counted_and_exits_1_keeping_the_article(
    crawled_apart,
) -> None:
    config, db = crawled_apart
    current = rows(db)
    for article_id in current:
        age(db, article_id)
    aged = rows(db)
    lost, damaged, unarchived = sorted(current)[:3]
    with sqlite3.connect(db) as raw:
        files = dict(raw.execute("SELECT article_id, warc_file FROM pages WHERE status='stored'"))
        raw.execute("UPDATE pages SET warc_file = NULL WHERE article_id = ?", (unarchived,))
    Path(files[lost]).unlink()
    data = Path(files[damaged]).read_bytes()
    Path(files[damaged]).write_bytes(data[: len(data) // 2])

    done = newsclean("reclean", "--config", str(config), text=True)
    assert done.returncode == 1
    assert summary_of(done.stderr) == (
        "newsclean reclean: articles checked 6, changed 3 (0 merged into another), unchanged 0,"
        " missing record 3 (not archived 1, unreadable 2: cut_short 1, missing_file 1),"
        " no body now 0 (kept as stored),"
        f" skipped 0 (already at cleaner {cleaner_version()})"
    )
    assert f"cannot read {files[lost]}: no such file" in done.stderr
    after = rows(db)
    for article_id in (lost, damaged, unarchived):
        assert after[article_id] == aged[article_id]  # kept as stored, never lost
    assert {i: after[i] for i in after if i not in (lost, damaged, unarchived)} == {
        i: current[i] for i in current if i not in (lost, damaged, unarchived)
    }


def test_a_language_that_leaves_no_body_keeps_every_article_as_stored(crawled) -> None:
    config, db = crawled
    current = rows(db)
    done = newsclean("reclean", "--config", str(config), "--all", "--language", "vi", text=True)
    assert done.returncode == 0
    assert "changed 0 (0 merged into another), unchanged 0," in done.stderr
    assert "no body now 6 (kept as stored)" in done.stderr
    assert rows(db) == current


def test_bad_input_is_one_line_with_its_exit_code(tmp_path: Path, crawled) -> None:
    config, _db = crawled
    missing = newsclean("reclean", "--db", str(tmp_path / "none.sqlite"), text=True)
    assert missing.returncode == 78 and missing.stderr.count("\n") == 1
    assert "no crawl database" in missing.stderr
    bad = newsclean("reclean", "--config", str(config), "--language", "english", text=True)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    not_sqlite = tmp_path / "text.sqlite"
    not_sqlite.write_text("not a database\n" * 100)
    broken = newsclean("reclean", "--db", str(not_sqlite), text=True)
    assert broken.returncode == 78 and broken.stderr.count("\n") == 1


def test_a_store_of_the_first_schema_has_no_archived_answers(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    shutil.copy(FIXTURE_DB, db)
    dry = newsclean("reclean", "--db", str(db), "--dry-run", text=True)  # read-only: no upgrade
    assert dry.returncode == 0, dry.stderr
    assert "checked 3, would change 0" in dry.stderr and "not archived 3" in dry.stderr
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 0
    done = newsclean("reclean", "--db", str(db), text=True)
    assert done.returncode == 0 and "missing record 3 (not archived 3," in done.stderr


def test_a_file_a_killed_crawl_left_unfinished_is_read_under_its_open_name(crawled_apart) -> None:
    config, db = crawled_apart
    current = rows(db)
    first = min(current)
    age(db, first)
    with sqlite3.connect(db) as raw:
        (file,) = raw.execute(
            "SELECT warc_file FROM pages WHERE article_id = ? AND status = 'stored'", (first,)
        ).fetchone()
    Path(file).rename(file + ".open")  # as a crawl killed before closing it leaves it
    done = newsclean("reclean", "--config", str(config), text=True)
    assert done.returncode == 0, done.stderr
    assert "changed 1 " in done.stderr and rows(db) == current
