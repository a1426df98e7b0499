"""`newsclean reclean`: clean the crawl's stored articles again from its WARC archive with the
current cleaner; a thin wrapper over scraper.crawl.reclean that holds the crawl lock (unless
`--dry-run`) and maps the outcome to an exit code."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from scraper.cli.crawl import ConfigOpt, DbOpt
from scraper.cli.output import fail, language_to_keep


def reclean(
    db: DbOpt = None,
    config: ConfigOpt = None,
    site: Annotated[str | None, typer.Option("--site", help="Only this site's articles.")] = None,
    language: Annotated[
        str | None,
        typer.Option(
            "--language",
            help='The language to keep for every site ("auto": each page\'s own);'
            " default: each site's configured language.",
        ),
    ] = None,
    every: Annotated[
        bool,
        typer.Option("--all", help="Also re-clean articles the current cleaner already made."),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what would change; write nothing.")
    ] = False,
) -> None:
    """Re-clean the stored articles from the crawl's WARC archive with the current cleaner."""
    from scraper.crawl.config import ConfigError, load_config
    from scraper.crawl.lock import CrawlLock, LockHeld
    from scraper.crawl.reclean import RecleanOptions, reclean
    from scraper.crawl.store import Store, StoreError
    from scraper.exit_codes import ExitCode

    if language is not None:  # None: each site's own; "auto": each page's own
        language = language_to_keep(language) or "auto"
    try:
        settings = load_config(config)
    except ConfigError as error:
        fail(str(error), ExitCode.CONFIG)
    db = db or settings.crawl.db
    if not db.is_file():
        fail(f"no crawl database at {db} (run `newsclean crawl` or pass --db)", ExitCode.CONFIG)
    lock = CrawlLock(db.with_name(db.name + ".lock"))
    if not dry_run:  # it writes the store: never beside a running crawl
        try:
            lock.acquire()
        except LockHeld as error:
            fail(f"{error}; not re-cleaning beside it", ExitCode.TEMPORARY)
        except OSError as error:
            fail(
                f"cannot use the lock file {lock.path}: {error.strerror or error}", ExitCode.CONFIG
            )
    import sqlite3

    options = RecleanOptions(site=site, language=language, every=every, dry_run=dry_run)
    sites = {s.name: s for s in settings.sites}
    try:
        with Store(db, readonly=dry_run) as store:
            summary = reclean(store, sites, options, note=_say)
    except StoreError as error:
        fail(str(error), ExitCode.CONFIG)
    except sqlite3.Error as error:  # full, read-only or damaged: what was committed stays
        fail(f"cannot use {db}: {error} (articles re-cleaned so far stay)", ExitCode.PARTIAL)
    except Exception as error:  # a bug: still one line, and what was committed stays
        fail(f"internal error: {type(error).__name__}: {error}", ExitCode.PARTIAL)
    finally:
        lock.release()
    _say(summary.line())
    raise typer.Exit(summary.exit_code)


def _say(line: str) -> None:
    from scraper.redact import redact

    sys.stderr.write(f"newsclean reclean: {redact(line)}\n")
