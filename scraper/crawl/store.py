"""The crawl's state and its articles in one SQLite database (WAL), safe to kill at any moment.

Tables: `pages` (every canonical URL seen, its status, attempts, next retry, validators, content
hash and the WARC record of its last answer), `sources` (each feed's and sitemap's validators,
so an unchanged one costs a 304, and when each was last tried, for the rotation of an index's
children), `articles` (the contract's JSON plus source and fetch time) and `jsonl_marks` (how
far each JSON Lines file is known to hold the articles). Every change is one transaction, so a
crawl killed mid-run leaves either the whole article or none of it. The schema carries its
version in `PRAGMA user_version` and is brought up to date by ordered migrations.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from scraper.crawl.schema import migrate
from scraper.crawl.sources import Candidate

if TYPE_CHECKING:
    from cleaners import Article
    from scraper.crawl.outputs.warc_archive import WarcRef

# Page statuses. Only NEW and FAILED pages are ever fetched.
NEW, STORED, DUPLICATE, SKIPPED_LANGUAGE, NO_BODY, FAILED, GONE = (
    "new",
    "stored",
    "duplicate",
    "skipped_language",
    "no_body",
    "failed",
    "gone",
)


@dataclass(frozen=True)
class PageTask:
    """A page due for fetching, with the hints its feed or sitemap gave."""

    url: str
    site: str
    attempts: int
    hint: Candidate


ROBOTS_REASON = "robots.txt disallows"
NOT_ALLOWED_REASON = "not allowed"  # outside the site's allow/deny prefixes (they changed)
OFFSITE_REASON = "offsite"  # a redirect to a host the site's configuration does not name


@dataclass(frozen=True)
class PageState:
    """How many pages of one site are in one status, when the next is due, and why."""

    site: str
    status: str
    pages: int
    next_try: float | None  # epoch seconds; for new and failed pages
    reasons: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class ArticleRow:
    """One stored article as its JSON line; `damaged` says it was not valid UTF-8 in the
    database and was decoded with replacement characters."""

    id: int
    line: str
    damaged: bool = False


@dataclass(frozen=True)
class StoredArticle:
    """A stored article with what cleaning it again needs: the archived answer of the page that
    stored it, and that page's feed or sitemap hints (`newsclean reclean`)."""

    id: int
    site: str
    content_hash: str
    fetched_at: str
    cleaner_version: str | None  # None: stored before the version was kept
    line: str  # its JSON as stored
    hint: Candidate | None  # the page that stored it, with its hints; None if there is none
    warc_record: str | None
    warc_file: str | None
    warc_offset: int | None


@dataclass(frozen=True)
class JsonlMark:
    """How far a JSON Lines file is known to hold the articles (see crawl.outputs.jsonl_mirror)."""

    last_id: int
    size: int
    inode: int


@dataclass(frozen=True)
class Validators:
    """The HTTP validators of an earlier response."""

    etag: str | None
    last_modified: str | None


class StoreError(Exception):
    """The database cannot be opened: not SQLite, unreadable, read-only, or its folder cannot be
    made."""


class Store:
    """The crawl database; open it with `Store(path)` or as a context manager.

    `readonly=True` opens an existing database for reading only (export): it is neither created
    nor migrated. Otherwise the database must be writable, and a read-only or full one is a
    `StoreError` at once rather than at the first article. Errors while running are
    `sqlite3.Error`s: the crawl stops on them and keeps what was committed.
    """

    def __init__(self, path: Path | str, *, readonly: bool = False) -> None:
        """Open (creating when needed) the database at `path` in WAL mode."""
        try:
            if readonly:
                uri = Path(path).resolve().as_uri() + "?mode=ro"
                self._db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=10.0)
                self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return
            if str(path) != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), isolation_level=None, timeout=10.0)
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL is durable against a killed process (a power cut can lose the last commits)
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            migrate(self._db)
        except (sqlite3.DatabaseError, OSError) as error:
            raise StoreError(f"cannot use {path} as the crawl database: {error}") from None

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- feeds and sitemaps -------------------------------------------------------------------

    def source_validators(self, url: str) -> Validators | None:
        """Return the validators stored for feed or sitemap `url`, if any."""
        row = self._db.execute(
            "SELECT etag, last_modified FROM sources WHERE url = ?", (url,)
        ).fetchone()
        return Validators(*row) if row else None

    def record_source(
        self,
        url: str,
        site: str,
        validators: Validators,
        found: Iterable[Candidate],
        skipped: Iterable[Candidate] = (),
        *,
        now: float,
        parent: str | None = None,
        children: Iterable[tuple[str, float | None]] = (),
        rejected: Iterable[Candidate] = (),
    ) -> int:
        """Add the newly found pages and save the source's validators in one transaction.

        Saving both together means a crawl killed after this call still knows the pages it was
        told about, even though the source will answer 304 next time. `children` are a sitemap
        index's (URL, lastmod as epoch seconds); children it no longer lists are let go.
        `rejected` are entries whose URL cannot be requested: kept as gone (`invalid_url`), so
        they are counted once. Returns the count of pages not seen before.
        """
        with self._tx():
            before = self._db.total_changes
            self._insert_pages(site, found, NEW, now)
            added = self._db.total_changes - before
            self._db.executemany(
                "INSERT OR IGNORE INTO pages (url, site, status, reason, hint_title, hint_date,"
                " hint_date_source, hint_language, seen) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    (
                        c.url,
                        site,
                        SKIPPED_LANGUAGE,
                        f"language {c.language}",
                        c.title,
                        c.date,
                        c.date_source,
                        c.language,
                        now,
                    )
                    for c in skipped
                ),
            )
            self._insert_pages(site, rejected, GONE, now, reason="invalid_url")
            self._db.execute(
                "INSERT INTO sources (url, site, parent, etag, last_modified, checked, tried,"
                " answered) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (url) DO UPDATE SET"
                " etag = excluded.etag, last_modified = excluded.last_modified,"
                " checked = excluded.checked, tried = excluded.tried,"
                " answered = excluded.answered, parent = coalesce(excluded.parent, sources.parent)",
                (url, site, parent, validators.etag, validators.last_modified, now, now, now),
            )
            # An index's children are remembered now, so they are checked again when the index
            # itself answers 304 next time, even if fetching them fails in this run.
            self._db.execute("UPDATE sources SET parent = NULL WHERE parent = ?", (url,))
            self._db.executemany(
                "INSERT INTO sources (url, site, parent, checked, lastmod) VALUES (?,?,?,?,?)"
                " ON CONFLICT (url) DO UPDATE SET parent = excluded.parent,"
                " lastmod = excluded.lastmod",
                ((child, site, url, now, lastmod) for child, lastmod in children),
            )
        return added

    def children_of(self, index_url: str) -> list[str]:
        """Return the sitemaps last listed by sitemap index `index_url`, in the order to read
        them: never tried first, then those whose <lastmod> is newer than their last answer,
        then the longest untried. Reading the first N of them each run reaches every child over
        successive runs (a fair rotation)."""
        rows = self._db.execute(
            "SELECT url FROM sources WHERE parent = ? ORDER BY tried IS NOT NULL,"
            " coalesce(lastmod > coalesce(answered, 0), 0) DESC, tried, rowid",
            (index_url,),
        )
        return [r[0] for r in rows]

    def source_tried(self, url: str, site: str, *, now: float, answered: bool) -> None:
        """Note that feed or sitemap `url` was requested now, and whether it answered."""
        with self._tx():
            self._db.execute(
                "INSERT INTO sources (url, site, checked, tried, answered) VALUES (?,?,?,?,?)"
                " ON CONFLICT (url) DO UPDATE SET tried = excluded.tried,"
                " answered = coalesce(excluded.answered, sources.answered)",
                (url, site, now, now, now if answered else None),
            )

    def _insert_pages(
        self,
        site: str,
        pages: Iterable[Candidate],
        status: str,
        now: float,
        reason: str | None = None,
    ) -> None:
        self._db.executemany(
            "INSERT OR IGNORE INTO pages (url, site, status, reason, hint_title, hint_date,"
            " hint_date_source, hint_language, seen) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                (c.url, site, status, reason, c.title, c.date, c.date_source, c.language, now)
                for c in pages
            ),
        )

    # --- pages --------------------------------------------------------------------------------

    def status_of(self, url: str) -> str | None:
        """Return the status of page `url`, or None when it was never seen."""
        row = self._db.execute("SELECT status FROM pages WHERE url = ?", (url,)).fetchone()
        return row[0] if row else None

    def known(self, urls: Iterable[str]) -> set[str]:
        """Return those of `urls` that already have a row, whatever their status."""
        found: set[str] = set()
        batch = list(urls)
        for i in range(0, len(batch), 500):
            chunk = batch[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT url FROM pages WHERE url IN ({marks})", chunk)
            found.update(r[0] for r in rows)
        return found

    def due(self, site: str, *, now: float, limit: int) -> list[PageTask]:
        """Return up to `limit` pages of `site` to fetch now: new ones, then due retries (a
        failed page is given up, `gone`, when it has no try left: crawl.retries decides)."""
        rows = self._db.execute(
            "SELECT url, site, attempts, hint_title, hint_date, hint_date_source, hint_language"
            " FROM pages WHERE site = ? AND next_try <= ? AND status IN (?, ?)"
            " ORDER BY status = ?, hint_date IS NULL, hint_date DESC, rowid LIMIT ?",
            (site, now, NEW, FAILED, FAILED, limit),
        ).fetchall()
        return [
            PageTask(url, s, attempts, Candidate(url, title, when, source, lang))
            for url, s, attempts, title, when, source, lang in rows
        ]

    def mark(
        self,
        url: str,
        status: str,
        reason: str | None = None,
        *,
        warc_record: WarcRef | None = None,
    ) -> None:
        """Set the final status of a page that yields no article (no body, gone, skipped);
        `warc_record` is the WARC record of the answer it was judged on."""
        with self._tx():
            self._db.execute(
                "UPDATE pages SET status = ?, reason = ?, attempts = attempts + 1 WHERE url = ?",
                (status, reason, url),
            )
            self._set_record(url, warc_record)

    def mark_failed(
        self,
        url: str,
        reason: str,
        *,
        plan: Callable[[int], float | None],
        warc_record: WarcRef | None = None,
    ) -> bool:
        """Count a failed attempt; `plan(attempts)` says when to try again (None: give up).
        Returns True when the page was given up."""
        with self._tx():
            row = self._db.execute("SELECT attempts FROM pages WHERE url = ?", (url,)).fetchone()
            attempts = (row[0] if row else 0) + 1
            when = plan(attempts)
            self._db.execute(
                "UPDATE pages SET status = ?, reason = ?, attempts = ?, next_try = ? WHERE url = ?",
                (
                    GONE if when is None else FAILED,
                    reason,
                    attempts,
                    0 if when is None else when,
                    url,
                ),
            )
            self._set_record(url, warc_record)
        return when is None

    def defer(self, url: str, until: float) -> None:
        """Leave page `url` due, not before `until` (epoch seconds), counting no attempt."""
        with self._tx():
            self._db.execute("UPDATE pages SET next_try = ? WHERE url = ?", (until, url))

    def page_record(self, url: str) -> str | None:
        """The WARC-Record-ID of the answer page `url` was last judged on, if recorded."""
        row = self._db.execute("SELECT warc_record FROM pages WHERE url = ?", (url,)).fetchone()
        return row[0] if row else None

    def _set_record(self, url: str, written: WarcRef | None) -> None:
        """Note where the answer page `url` was judged on is archived (inside a transaction)."""
        if written is not None:
            self._db.execute(
                "UPDATE pages SET warc_record = ?, warc_file = ?, warc_offset = ? WHERE url = ?",
                (written.record_id, written.file, written.offset, url),
            )

    # --- articles -----------------------------------------------------------------------------

    def store_article(
        self,
        url: str,
        site: str,
        article: Article,
        *,
        content_hash: str,
        fetched_at: str,
        validators: Validators,
        also: Iterable[str] = (),
        warc_record: WarcRef | None = None,
        cleaner_version: str | None = None,
    ) -> tuple[int, str] | None:
        """Store `article` fetched from page `url`, once; return its id and JSON line when it
        was new.

        The line is the article's schema (README) plus `source` (the site) and `fetched_at`.
        An article already stored (same content hash) is not stored again: the page is recorded
        as a duplicate pointing at it, so both URLs are known. `also` are more URLs of the same
        page (its canonical link), recorded so they are never fetched. `warc_record` is the WARC
        record of the answer, committed with the page; `cleaner_version` the cleaner that made
        the article (`newsclean reclean` skips articles made by the current one).
        """
        with self._tx():
            row = self._db.execute(
                "SELECT id FROM articles WHERE content_hash = ?", (content_hash,)
            ).fetchone()
            if row:
                article_id, status, line = row[0], DUPLICATE, None
            else:
                record = {**article.to_dict(), "source": site, "fetched_at": fetched_at}
                line = json.dumps(record, ensure_ascii=False, sort_keys=True)
                article_id = self._db.execute(
                    "INSERT INTO articles (site, url, content_hash, published, fetched_at, json,"
                    " cleaner_version) VALUES (?,?,?,?,?,?,?)",
                    (
                        site,
                        article.url or url,
                        content_hash,
                        article.date,
                        fetched_at,
                        line,
                        cleaner_version,
                    ),
                ).lastrowid
                status = STORED
            self._db.execute(
                "UPDATE pages SET status = ?, attempts = attempts + 1, reason = NULL, etag = ?,"
                " last_modified = ?, content_hash = ?, article_id = ? WHERE url = ?",
                (status, validators.etag, validators.last_modified, content_hash, article_id, url),
            )
            self._set_record(url, warc_record)
            for other in also:
                self._db.execute(
                    "INSERT INTO pages (url, site, status, content_hash, article_id, seen)"
                    " VALUES (?,?,?,?,?,?) ON CONFLICT (url) DO UPDATE SET"
                    " status = excluded.status, content_hash = excluded.content_hash,"
                    " article_id = excluded.article_id WHERE pages.status IN (?, ?)",
                    (other, site, DUPLICATE, content_hash, article_id, time.time(), NEW, FAILED),
                )
        return None if line is None else (article_id, line)

    def articles(self, *, site: str | None = None, since: str | None = None) -> Iterator[str]:
        """Yield the stored articles as JSON strings, oldest first, filtered by site and date.

        `since` is an ISO date or time, compared with the publication date, or with the fetch
        time when the article has no date.
        """
        for row in self.article_rows(site=site, since=since):
            yield row.line

    def article_rows(
        self, *, site: str | None = None, since: str | None = None, after_id: int = 0
    ) -> Iterator[ArticleRow]:
        """Yield the stored articles with their ids, oldest first, filtered like `articles`
        and to ids above `after_id`. A row whose bytes are not valid UTF-8 (a damaged file) is
        decoded with replacement characters and flagged, never skipped and never fatal."""
        query = "SELECT id, CAST(json AS BLOB) FROM articles WHERE id > ?"
        args: list[object] = [after_id]
        if site:
            query += " AND site = ?"
            args.append(site)
        if since:
            query += " AND coalesce(published, fetched_at) >= ?"
            args.append(since)
        for article_id, raw in self._db.execute(query + " ORDER BY id", args):
            raw = bytes(raw or b"")
            try:
                yield ArticleRow(article_id, raw.decode("utf-8"))
            except UnicodeDecodeError:
                yield ArticleRow(article_id, raw.decode("utf-8", "replace"), damaged=True)

    def last_article_id(self) -> int:
        """The highest article id (0 when there is none)."""
        return self._db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]

    # --- JSON Lines marks ---------------------------------------------------------------------

    def jsonl_mark(self, path: str) -> JsonlMark | None:
        """How far the JSON Lines file at `path` (absolute) is known to hold the articles."""
        row = self._db.execute(
            "SELECT last_id, size, inode FROM jsonl_marks WHERE path = ?", (path,)
        ).fetchone()
        return JsonlMark(*row) if row else None

    def set_jsonl_mark(self, path: str, mark: JsonlMark) -> None:
        """Record that the file at `path` holds every article up to `mark.last_id`."""
        with self._tx():
            self._db.execute(
                "INSERT INTO jsonl_marks (path, last_id, size, inode) VALUES (?,?,?,?)"
                " ON CONFLICT (path) DO UPDATE SET last_id = excluded.last_id,"
                " size = excluded.size, inode = excluded.inode",
                (path, mark.last_id, mark.size, mark.inode),
            )

    # --- what the configuration decides, and pages brought back ------------------------------

    def reconsider(
        self,
        site: str,
        fingerprint: str,
        allowed: Callable[[str, str, str | None], bool],
    ) -> int | None:
        """Record the fingerprint of `site`'s configuration. When it differs from the one an
        earlier run recorded, in the same transaction: the pages the configuration kept out
        (skipped for their language, not allowed by its prefixes, offsite) for which
        `allowed(url, status, language)` is now true are due again, and the site's feeds and
        sitemaps lose their validators (read in full next). Returns how many pages came back,
        or None when nothing changed (a first run is no change)."""
        with self._tx():
            row = self._db.execute(
                "SELECT fingerprint FROM site_configs WHERE site = ?", (site,)
            ).fetchone()
            self._db.execute(
                "INSERT INTO site_configs (site, fingerprint) VALUES (?, ?) ON CONFLICT (site)"
                " DO UPDATE SET fingerprint = excluded.fingerprint",
                (site, fingerprint),
            )
            if row is None or row[0] == fingerprint:
                return None
            rows = self._db.execute(
                "SELECT url, status, coalesce(hint_language, substr(reason, 10)) FROM pages"
                " WHERE site = ? AND (status = ? OR (status = ? AND reason IN (?, ?)))",
                (site, SKIPPED_LANGUAGE, GONE, NOT_ALLOWED_REASON, OFFSITE_REASON),
            ).fetchall()
            back = [url for url, status, language in rows if allowed(url, status, language or None)]
            self._db.executemany(
                "UPDATE pages SET status = ?, attempts = 0, next_try = 0 WHERE url = ?",
                ((NEW, url) for url in back),
            )
            self._db.execute(
                "UPDATE sources SET etag = NULL, last_modified = NULL WHERE site = ?", (site,)
            )
        return len(back)

    def retry(self, what: str, sites: Iterable[str]) -> int:
        """Bring back the `what` ("failed" or "skipped") pages of `sites`, due now as if new;
        returns how many. Failed: failing or given up (robots.txt aside); skipped: another
        language, no article body, or disallowed by robots.txt."""
        names = list(sites)
        marks = ",".join("?" * len(names))
        if what == "failed":
            which = "(status = ? OR (status = ? AND reason IS NOT ?))"
            args: tuple[str, ...] = (FAILED, GONE, ROBOTS_REASON)
        else:
            which = "(status IN (?, ?) OR (status = ? AND reason IS ?))"
            args = (SKIPPED_LANGUAGE, NO_BODY, GONE, ROBOTS_REASON)
        with self._tx():
            return self._db.execute(
                f"UPDATE pages SET status = ?, attempts = 0, next_try = 0 WHERE {which}"
                f" AND site IN ({marks})",
                (NEW, *args, *names),
            ).rowcount

    def page_states(self) -> list[PageState]:
        """Pages by site and status: how many, the earliest next try of those due, and their
        last reasons with counts (most frequent first)."""
        reasons: dict[tuple[str, str], list[tuple[str, int]]] = {}
        for site, status, reason, n in self._db.execute(
            "SELECT site, status, reason, count(*) FROM pages WHERE reason IS NOT NULL"
            " GROUP BY site, status, reason ORDER BY count(*) DESC, reason"
        ):
            reasons.setdefault((site, status), []).append((reason, n))
        return [
            PageState(site, status, n, next_try, tuple(reasons.get((site, status), ())))
            for site, status, n, next_try in self._db.execute(
                "SELECT site, status, count(*), min(CASE WHEN status IN (?, ?) THEN next_try END)"
                " FROM pages GROUP BY site, status ORDER BY site, status",
                (NEW, FAILED),
            )
        ]

    def counts(self) -> dict[str, int]:
        """Return the number of pages per status, plus `articles`."""
        out = dict(self._db.execute("SELECT status, count(*) FROM pages GROUP BY status"))
        out["articles"] = self._db.execute("SELECT count(*) FROM articles").fetchone()[0]
        return out

    def integrity_check(self) -> str:
        """Return SQLite's `PRAGMA integrity_check` verdict ("ok" when sound)."""
        return self._db.execute("PRAGMA integrity_check").fetchone()[0]

    # --- cleaning stored articles again (scraper.crawl.reclean) -------------------------------

    def article_ids(self, *, site: str | None = None) -> list[int]:
        """The ids of the stored articles (of `site`), oldest first."""
        if site is None:
            rows = self._db.execute("SELECT id FROM articles ORDER BY id")
        else:
            rows = self._db.execute("SELECT id FROM articles WHERE site = ? ORDER BY id", (site,))
        return [r[0] for r in rows]

    def stored_article(self, article_id: int) -> StoredArticle | None:
        """Article `article_id` with its page's archived answer, or None when it is gone."""
        older = not self._has_column("articles", "cleaner_version")  # read-only, not migrated
        version = "NULL" if older else "cleaner_version"
        row = self._db.execute(
            f"SELECT id, site, content_hash, fetched_at, {version}, CAST(json AS BLOB)"
            " FROM articles"
            " WHERE id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return None
        where = "NULL, NULL, NULL" if older else "warc_record, warc_file, warc_offset"
        page = self._db.execute(
            "SELECT url, hint_title, hint_date, hint_date_source, hint_language,"
            f" {where} FROM pages WHERE article_id = ? AND status = ? ORDER BY rowid LIMIT 1",
            (article_id, STORED),
        ).fetchone()
        record, file, offset = page[5:] if page else (None, None, None)
        return StoredArticle(
            id=row[0],
            site=row[1],
            content_hash=row[2],
            fetched_at=row[3],
            cleaner_version=row[4],
            line=bytes(row[5] or b"").decode("utf-8", "replace"),
            hint=Candidate(*page[:5]) if page else None,
            warc_record=record,
            warc_file=file,
            warc_offset=offset,
        )

    def article_with_hash(self, content_hash: str) -> int | None:
        """The id of the article stored with `content_hash`, if any."""
        row = self._db.execute(
            "SELECT id FROM articles WHERE content_hash = ?", (content_hash,)
        ).fetchone()
        return row[0] if row else None

    def set_cleaner_version(self, article_id: int, version: str) -> None:
        """Record that the cleaner `version` gives article `article_id` as it is stored."""
        with self._tx():
            self._db.execute(
                "UPDATE articles SET cleaner_version = ? WHERE id = ?", (version, article_id)
            )

    def replace_article(
        self,
        article_id: int,
        line: str,
        *,
        content_hash: str,
        url: str,
        published: str | None,
        cleaner_version: str,
    ) -> int:
        """Put a cleaner's new `line` in place of article `article_id`, in one transaction, and
        return the id the story is now stored under.

        When the new body's hash is already another article's, the story is stored once: the
        article stored first (the lower id) is kept, the other's pages point at it (the page
        that stored it becomes a duplicate) and the other is deleted. The kept one takes the
        new line only if it is `article_id`; pages that carried the old hash take the new one.
        """
        with self._tx():
            old = self._db.execute(
                "SELECT content_hash FROM articles WHERE id = ?", (article_id,)
            ).fetchone()[0]
            other = self._db.execute(
                "SELECT id FROM articles WHERE content_hash = ? AND id != ?",
                (content_hash, article_id),
            ).fetchone()
            keep = article_id if other is None else min(article_id, other[0])
            self._db.execute(
                "UPDATE pages SET content_hash = ? WHERE article_id = ? AND content_hash = ?",
                (content_hash, article_id, old),
            )
            if other is not None:
                self._merge(max(article_id, other[0]), into=keep)
            if keep == article_id:
                self._db.execute(
                    "UPDATE articles SET json = ?, content_hash = ?, url = ?, published = ?,"
                    " cleaner_version = ? WHERE id = ?",
                    (line, content_hash, url, published, cleaner_version, article_id),
                )
        return keep

    def _merge(self, gone: int, *, into: int) -> None:
        """Point the pages of article `gone` at article `into` and delete `gone`."""
        self._db.execute(
            "UPDATE pages SET article_id = ?, status = CASE status WHEN ? THEN ? ELSE status END"
            " WHERE article_id = ?",
            (into, STORED, DUPLICATE, gone),
        )
        self._db.execute("DELETE FROM articles WHERE id = ?", (gone,))

    def _has_column(self, table: str, column: str) -> bool:
        return any(row[1] == column for row in self._db.execute(f"PRAGMA table_info({table})"))

    def _tx(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on error (the connection is in autocommit mode)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(
        self, exc_type: type | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._db.execute("COMMIT" if exc_type is None else "ROLLBACK")
