"""The crawl state: pages found once, retries with backoff, one article per story."""

from __future__ import annotations

from pathlib import Path

from cleaners import Article
from scraper.crawl.sources import Candidate
from scraper.crawl.store import DUPLICATE, FAILED, GONE, STORED, Store, Validators

NONE = Validators(None, None)
STORY = Article(text="x")


def test_pages_are_recorded_once_and_due_until_stored(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        found = [Candidate("http://a/1", date="2025-09-01"), Candidate("http://a/2")]
        assert store.record_source("http://a/rss", "a", NONE, found, now=0) == 2
        assert store.record_source("http://a/rss", "a", NONE, found, now=1) == 0
        assert [t.url for t in store.due("a", now=2, max_attempts=3, limit=10)] == [
            "http://a/1",
            "http://a/2",
        ]
        store.store_article(
            "http://a/1", "a", STORY, content_hash="h", fetched_at="t", validators=NONE
        )
        assert [t.url for t in store.due("a", now=2, max_attempts=3, limit=10)] == ["http://a/2"]


def test_failed_pages_back_off_then_give_up(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        store.record_source("http://a/rss", "a", NONE, [Candidate("http://a/1")], now=0)
        store.mark_failed("http://a/1", "timeout", now=100, backoff=10, max_attempts=2)
        assert store.status_of("http://a/1") == FAILED
        assert store.due("a", now=105, max_attempts=2, limit=10) == []
        assert len(store.due("a", now=111, max_attempts=2, limit=10)) == 1
        store.mark_failed("http://a/1", "timeout", now=111, backoff=10, max_attempts=2)
        assert store.status_of("http://a/1") == GONE


def test_the_same_story_under_two_urls_is_one_article(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        pages = [Candidate("http://a/1"), Candidate("http://a/amp/1")]
        store.record_source("http://a/rss", "a", NONE, pages, now=0)
        first = store.store_article(
            "http://a/1", "a", STORY, content_hash="h", fetched_at="t", validators=NONE
        )
        again = store.store_article(
            "http://a/amp/1",
            "a",
            STORY,
            content_hash="h",
            fetched_at="t",
            validators=NONE,
        )
        assert first is not None and again is None
        assert store.status_of("http://a/1") == STORED
        assert store.status_of("http://a/amp/1") == DUPLICATE
        assert len(list(store.articles())) == 1
        assert store.integrity_check() == "ok"


def test_a_database_of_the_first_schema_is_migrated_and_keeps_its_articles(
    tmp_path: Path,
) -> None:
    import sqlite3

    from scraper.crawl.store import _MIGRATIONS, SCHEMA_VERSION

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as old:  # as a crawl before schema versions left it
        old.executescript(_MIGRATIONS[0])
        old.execute(
            "INSERT INTO articles (site, url, content_hash, fetched_at, json)"
            " VALUES ('a', 'http://a/1', 'h', 't', '{\"url\": \"http://a/1\"}')"
        )
        old.execute(
            "INSERT INTO pages (url, site, status, seen) VALUES ('http://a/2', 'a', 'new', 0)"
        )
    with Store(path) as store:
        assert list(store.articles()) == ['{"url": "http://a/1"}']
        assert [t.url for t in store.due("a", now=1, max_attempts=3, limit=10)] == ["http://a/2"]
        assert store.page_record("http://a/2") is None  # the new column is there
    version = sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0]
    assert version == SCHEMA_VERSION == 2
