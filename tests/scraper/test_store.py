"""The crawl state: pages found once, retries with backoff, one article per story."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cleaners import Article
from scraper.crawl.config import CrawlSettings
from scraper.crawl.outputs.warc_archive import WarcRef
from scraper.crawl.retries import next_try
from scraper.crawl.sources import Candidate
from scraper.crawl.store import DUPLICATE, FAILED, GONE, STORED, Store, Validators

FIXTURE_DB = Path(__file__).resolve().parents[2] / "fixtures" / "store" / "schema-0.sqlite"
NONE = Validators(None, None)
STORY = Article(text="x")


def test_pages_are_recorded_once_and_due_until_stored(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        found = [Candidate("http://a/1", date="2025-09-01"), Candidate("http://a/2")]
        assert store.record_source("http://a/rss", "a", NONE, found, now=0) == 2
        assert store.record_source("http://a/rss", "a", NONE, found, now=1) == 0
        assert [t.url for t in store.due("a", now=2, limit=10)] == [
            "http://a/1",
            "http://a/2",
        ]
        store.store_article(
            "http://a/1", "a", STORY, content_hash="h", fetched_at="t", validators=NONE
        )
        assert [t.url for t in store.due("a", now=2, limit=10)] == ["http://a/2"]


def test_failed_pages_back_off_then_give_up(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        store.record_source("http://a/rss", "a", NONE, [Candidate("http://a/1")], now=0)
        settings = CrawlSettings(retry_backoff=10, max_attempts=2)

        def plan(now: float) -> Callable[[int], float | None]:
            return lambda n: next_try(
                "timeout", transient=True, attempts=n, now=now, settings=settings
            )

        assert not store.mark_failed("http://a/1", "timeout", plan=plan(100))
        assert store.status_of("http://a/1") == FAILED
        assert store.due("a", now=105, limit=10) == []
        assert len(store.due("a", now=111, limit=10)) == 1
        assert store.mark_failed("http://a/1", "timeout", plan=plan(111))
        assert store.status_of("http://a/1") == GONE


def test_a_missing_page_is_asked_for_again_over_more_than_a_day() -> None:
    settings = CrawlSettings(retry_backoff=10, max_attempts=2)
    waits = [
        next_try("http_404", transient=False, attempts=n, now=0, settings=settings)
        for n in range(1, 5)
    ]
    assert waits == [3600, 5 * 3600, 25 * 3600, None]
    assert next_try("blocked_page", transient=False, attempts=1, now=0, settings=settings) == 10
    assert next_try("blocked_page", transient=False, attempts=2, now=0, settings=settings) is None
    assert next_try("not_html", transient=False, attempts=1, now=0, settings=settings) is None


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


def test_a_database_made_before_schema_versions_is_upgraded_in_place(tmp_path: Path) -> None:
    import json
    import shutil
    import sqlite3

    from scraper.crawl.schema import SCHEMA_VERSION

    path = tmp_path / "old.sqlite"  # made by the code of commit ba6b88c (fixtures/store/)
    shutil.copy(FIXTURE_DB, path)
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 0
        lines = [line for (line,) in raw.execute("SELECT json FROM articles ORDER BY id")]
        statuses = dict(raw.execute("SELECT status, count(*) FROM pages GROUP BY status"))
        (feed, etag, modified), *_ = raw.execute(
            "SELECT url, etag, last_modified FROM sources ORDER BY url DESC"
        )
        due = sorted(url for (url,) in raw.execute("SELECT url FROM pages WHERE status = 'new'"))
    assert len(lines) == 3 and statuses == {"stored": 3, "gone": 1, "new": 2, "skipped_language": 1}

    with Store(path) as store:
        assert list(store.articles()) == lines  # every article, byte for byte
        assert {json.loads(line)["source"] for line in lines} == {"old-news"}
        assert store.counts() == {**statuses, "articles": 3}
        assert sorted(t.url for t in store.due("old-news", now=2e9, limit=9)) == due
        assert store.source_validators(feed) == Validators(etag, modified) and etag
        # what the later versions added works on it: rotation times, WARC records, JSON Lines marks
        store.source_tried(feed, "old-news", now=1.0, answered=True)
        story = Article(url=due[0], title="New since the upgrade", text="x")
        store.store_article(
            due[0], "old-news", story, content_hash="new", fetched_at="t", validators=NONE,
            warc_record=WarcRef("<urn:uuid:1>", "/w/a.warc.gz", 1234), cleaner_version="v2",
        )  # fmt: skip
        assert store.page_record(due[0]) == "<urn:uuid:1>"
        source = store.stored_article(store.last_article_id())
        assert source is not None
        assert (source.warc_file, source.warc_offset, source.cleaner_version) == (
            "/w/a.warc.gz", 1234, "v2",
        )  # fmt: skip
        assert store.integrity_check() == "ok"
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    with Store(path) as store:  # opened again: nothing left to do
        assert len(list(store.articles())) == 4


def test_a_missing_page_is_due_at_its_times_even_with_fewer_max_attempts(tmp_path: Path) -> None:
    settings = CrawlSettings(max_attempts=2)  # fewer tries than a missing page gets
    with Store(tmp_path / "db.sqlite") as store:
        store.record_source("http://a/rss", "a", NONE, [Candidate("http://a/1")], now=0)
        for attempt, now in enumerate((0, 3600, 6 * 3600), start=1):
            assert [t.url for t in store.due("a", now=now + 1, limit=10)] == ["http://a/1"]

            def plan(n: int, now: float = now) -> float | None:
                return next_try("http_404", transient=False, attempts=n, now=now, settings=settings)

            assert not store.mark_failed("http://a/1", "http_404", plan=plan), attempt
        assert store.status_of("http://a/1") == FAILED
