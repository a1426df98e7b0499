"""The crawl database's schema: its version in `PRAGMA user_version`, and the ordered migrations
that bring a database of any earlier version up to date in place, each in one transaction.

Never edit a migration that has shipped: add the next one. Version 0 is a database made before
versions were kept (or a new, empty one); tests/scraper/test_store.py opens a database made by
that code (fixtures/store/schema-0.sqlite).
"""

from __future__ import annotations

import sqlite3

_BASE_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    site TEXT NOT NULL,
    url TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    published TEXT,
    fetched_at TEXT NOT NULL,
    json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_by_site ON articles (site, id);
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try REAL NOT NULL DEFAULT 0,
    reason TEXT,
    etag TEXT,
    last_modified TEXT,
    content_hash TEXT,
    article_id INTEGER REFERENCES articles (id),
    hint_title TEXT,
    hint_date TEXT,
    hint_date_source TEXT,
    hint_language TEXT,
    seen REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS pages_to_fetch ON pages (site, status, next_try);
CREATE TABLE IF NOT EXISTS sources (
    url TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    parent TEXT,
    etag TEXT,
    last_modified TEXT,
    checked REAL NOT NULL
);
"""

# Each migration takes the schema from its index to the next version; never edit a shipped one.
MIGRATIONS = (
    _BASE_SCHEMA,  # 0 -> 1: the tables as they were before versions were kept
    """
    ALTER TABLE sources ADD COLUMN tried REAL;      -- last request (rotation of index children)
    ALTER TABLE sources ADD COLUMN answered REAL;   -- last 200 or 304
    ALTER TABLE sources ADD COLUMN lastmod REAL;    -- <lastmod> the parent index gave, epoch
    ALTER TABLE pages ADD COLUMN warc_record TEXT;  -- WARC-Record-ID of the last answer judged
    CREATE TABLE IF NOT EXISTS jsonl_marks (
        path TEXT PRIMARY KEY,
        last_id INTEGER NOT NULL,   -- every article up to this id is in the file
        size INTEGER NOT NULL,      -- the file's size just after that article's line
        inode INTEGER NOT NULL      -- a file moved away and replaced starts afresh
    );
    """,  # 1 -> 2
    """
    ALTER TABLE pages ADD COLUMN warc_file TEXT;      -- the WARC file holding that answer
    ALTER TABLE pages ADD COLUMN warc_offset INTEGER; -- where its record (gzip member) starts
    ALTER TABLE articles ADD COLUMN cleaner_version TEXT;  -- NULL: stored before it was kept
    """,  # 2 -> 3: what `newsclean reclean` needs to clean a stored article again
    """
    CREATE TABLE IF NOT EXISTS site_configs (
        site TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL   -- of the keys that decide what is skipped: a change
    );                              -- brings the site's skipped pages back to be judged again
    """,  # 3 -> 4: a site's config fingerprint
)
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: sqlite3.Connection) -> None:
    """Bring the schema of `db` to SCHEMA_VERSION; on an up-to-date one, prove it can be
    written."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise sqlite3.DatabaseError(f"its schema {version} is newer than this newsclean's")
    if version == SCHEMA_VERSION:
        # a read-only file opens and reads fine; the first write would fail mid-run
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        finally:
            db.execute("ROLLBACK")
        return
    for step in range(version, SCHEMA_VERSION):
        db.executescript(
            f"BEGIN IMMEDIATE;\n{MIGRATIONS[step]}\nPRAGMA user_version = {step + 1};\nCOMMIT;"
        )
