"""`newsclean crawl` and `newsclean export`: thin wrappers over scraper.crawl and scraper.store.

Heavy imports stay inside the command bodies so `newsclean --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from scraper.article_output import fail

ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", help="sources.toml to use (default: the bundled sources)."),
]
DbOpt = Annotated[
    Path | None, typer.Option("--db", help="SQLite database (overrides the config's crawl.db).")
]


def crawl(
    config: ConfigOpt = None,
    db: DbOpt = None,
    jsonl: Annotated[
        Path | None, typer.Option("--jsonl", help="Also append each new article to this file.")
    ] = None,
    warc: Annotated[
        Path | None, typer.Option("--warc", help="Archive every raw response in this directory.")
    ] = None,
    max_pages: Annotated[
        int | None, typer.Option("--max-pages", min=1, help="Fetch at most this many pages.")
    ] = None,
    max_runtime: Annotated[
        float | None,
        typer.Option(
            "--max-runtime",
            min=0.0,
            help="End the run after N seconds; what is in flight then stays due.",
        ),
    ] = None,
) -> None:
    """Discover new articles of the configured sites and store them."""
    from scraper.config import ConfigError, load_config, with_overrides
    from scraper.exit_codes import ExitCode
    from scraper.lock import CrawlLock, LockHeld

    try:
        settings = with_overrides(
            load_config(config),
            db=db,
            jsonl=jsonl,
            warc=warc,
            max_pages=max_pages,
            max_runtime=max_runtime,
        )
    except ConfigError as error:
        fail(str(error), ExitCode.CONFIG)
    if not settings.sites:
        fail("the configuration lists no [[site]]", ExitCode.CONFIG)
    lock_path = settings.crawl.db.with_name(settings.crawl.db.name + ".lock")
    try:
        lock = CrawlLock(lock_path)
        lock.acquire()
    except LockHeld as error:
        fail(f"{error}; not starting a second crawl", ExitCode.TEMPORARY)
    except OSError as error:
        fail(f"cannot use the lock file {lock_path}: {error.strerror or error}", ExitCode.CONFIG)
    from scraper.crawl import OutputError, run_crawl
    from scraper.crawl_report import BarReporter, LogReporter
    from scraper.store import StoreError

    reporter = BarReporter() if sys.stderr.isatty() else LogReporter()
    try:
        summary = run_crawl(settings, reporter)
    except (StoreError, OutputError) as error:
        fail(str(error), ExitCode.CONFIG)
    except Exception as error:  # a bug: still one line, and what was committed stays
        fail(f"internal error: {type(error).__name__}: {error}", ExitCode.PARTIAL)
    finally:
        if isinstance(reporter, BarReporter):
            reporter.close()
        lock.release()
    from scraper.redact import redact

    for line in summary.lines():
        sys.stderr.write(f"newsclean crawl: {redact(line)}\n")
    raise typer.Exit(int(summary.exit_code))


def export(
    db: DbOpt = None,
    config: ConfigOpt = None,
    site: Annotated[str | None, typer.Option("--site", help="Only this site's articles.")] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only articles published (or fetched) on or after DATE."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Print the stored articles as JSON Lines."""
    from scraper.config import ConfigError, load_config
    from scraper.exit_codes import ExitCode
    from scraper.store import Store, StoreError

    if since is not None:
        since = _iso_since(since)
    if db is None:
        try:
            db = load_config(config).crawl.db
        except ConfigError as error:
            fail(str(error), ExitCode.CONFIG)
    if not db.is_file():
        fail(f"no crawl database at {db} (run `newsclean crawl` or pass --db)", ExitCode.CONFIG)
    try:
        out = output.open("w", encoding="utf-8") if output else sys.stdout
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}", ExitCode.USAGE)
    import sqlite3

    exported, damaged = 0, 0
    try:
        with Store(db, readonly=True) as store:
            for row in store.article_rows(site=site, since=since):
                if row.damaged:
                    damaged += 1
                    sys.stderr.write(
                        f"newsclean: article {row.id} in {db} is not valid UTF-8; exported"
                        " with replacement characters\n"
                    )
                out.write(row.line + "\n")
                exported += 1
    except StoreError as error:
        fail(str(error), ExitCode.USAGE)
    except sqlite3.DatabaseError as error:
        fail(f"cannot read {db} after {exported} articles: {error}", ExitCode.PARTIAL)
    except OSError as error:
        fail(f"cannot write {output or 'stdout'}: {error.strerror or error}", ExitCode.PARTIAL)
    finally:
        if output:
            out.close()
    if damaged:
        raise typer.Exit(int(ExitCode.PARTIAL))


def _iso_since(value: str) -> str:
    """`--since` in the stored dates' own form (YYYY-MM-DD or extended ISO), for comparison."""
    from datetime import date, datetime

    from scraper.exit_codes import ExitCode

    try:
        if len(value) <= 10:
            return date.fromisoformat(value).isoformat()
        return datetime.fromisoformat(value).isoformat()
    except ValueError:
        fail(f"--since {value!r} is not an ISO date (YYYY-MM-DD)", ExitCode.USAGE)
