"""`newsclean crawl`: the scheduled job, a thin wrapper over `scraper.crawl.run_crawl` that
holds the crawl lock and maps the outcome to an exit code.

Heavy imports stay inside the command body so `newsclean --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from scraper.cli.output import fail

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
    from scraper.crawl.config import ConfigError, load_config, with_overrides
    from scraper.crawl.lock import CrawlLock, LockHeld
    from scraper.exit_codes import ExitCode

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
    from scraper.crawl.report import BarReporter, LogReporter
    from scraper.crawl.run import OutputError, run_crawl
    from scraper.crawl.store import StoreError

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
