"""`newsclean crawl`: the scheduled job, a thin wrapper over `scraper.crawl.run_crawl` that
holds the crawl lock, stops cleanly on SIGINT and SIGTERM, and ends with one timestamped
summary line (or one JSON object) and the exit code.

Heavy imports stay inside the command body so `newsclean --help` stays fast.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from scraper.cli.output import fail

if TYPE_CHECKING:
    from scraper.crawl.summary import Summary

ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", help="sources.toml to use (default: the bundled sources)."),
]
DbOpt = Annotated[
    Path | None, typer.Option("--db", help="SQLite database (overrides the config's crawl.db).")
]


class RetryWhat(StrEnum):
    """Which pages `--retry` brings back."""

    failed = "failed"
    skipped = "skipped"


class SummaryFormat(StrEnum):
    """How the run's last line is written."""

    text = "text"
    json = "json"


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
    retry: Annotated[
        list[RetryWhat] | None,
        typer.Option(
            "--retry",
            metavar="failed|skipped",
            help="Bring these pages back first, due now: failed (failing or given up) or "
            "skipped (another language, no body, robots.txt). Repeatable.",
        ),
    ] = None,
    summary_format: Annotated[
        SummaryFormat,
        typer.Option("--summary", help="The last line: text, or one JSON object for monitoring."),
    ] = SummaryFormat.text,
    log: Annotated[
        Path | None,
        typer.Option(
            "--log",
            help="Append progress and the summary to this file instead of stderr (its folder "
            "is created).",
        ),
    ] = None,
) -> None:
    """Discover new articles of the configured sites and store them."""
    from scraper.cli.app import terminate_raises

    with _logging_to(log), terminate_raises():
        _crawl(config, db, jsonl, warc, max_pages, max_runtime, retry or [], summary_format)


def _crawl(
    config: Path | None,
    db: Path | None,
    jsonl: Path | None,
    warc: Path | None,
    max_pages: int | None,
    max_runtime: float | None,
    retry: list[RetryWhat],
    summary_format: SummaryFormat,
) -> None:
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
        summary = run_crawl(
            settings,
            reporter,
            retry=tuple(what.value for what in dict.fromkeys(retry)),
            stop_on_signals=True,
        )
    except (StoreError, OutputError) as error:
        fail(str(error), ExitCode.CONFIG)
    except Exception as error:  # a bug: still one line, and what was committed stays
        fail(f"internal error: {type(error).__name__}: {error}", ExitCode.PARTIAL)
    finally:
        if isinstance(reporter, BarReporter):
            reporter.close()
        lock.release()
    sys.stderr.write(_last_line(summary, summary_format))
    sys.stderr.flush()
    raise typer.Exit(_exit_code(summary))


def _last_line(summary: Summary, summary_format: SummaryFormat) -> str:
    """The run's summary as one line: timestamped text, or a JSON object with its time."""
    import time

    from scraper.redact import redact

    if summary_format is SummaryFormat.json:
        import json

        record: dict[str, object] = {"time": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        record["command"] = "crawl"
        record |= summary.to_dict()
        record["exit_code"] = _exit_code(summary)
        return redact(json.dumps(record, ensure_ascii=False)) + "\n"
    return f"{time.strftime('%Y-%m-%d %H:%M:%S')} newsclean crawl: {redact(summary.line())}\n"


def _exit_code(summary: Summary) -> int:
    from scraper.exit_codes import ExitCode

    if summary.interrupted == "SIGINT":
        return ExitCode.INTERRUPTED
    if summary.interrupted:
        return ExitCode.TERMINATED
    return int(summary.exit_code)


@contextlib.contextmanager
def _logging_to(path: Path | None) -> Iterator[None]:
    """With a path, sys.stderr appends to that file (its folder made) for the command's
    duration: progress, notes, the summary and any one-line error. Without, nothing changes."""
    if path is None:
        yield
        return
    from scraper.exit_codes import ExitCode

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        log = path.open("a", encoding="utf-8", buffering=1)
    except OSError as error:
        fail(f"cannot write the log {path}: {error.strerror or error}", ExitCode.CONFIG)
    saved, sys.stderr = sys.stderr, log
    try:
        yield
    except typer.Exit as stop:
        if stop.exit_code in (ExitCode.USAGE, ExitCode.CONFIG):  # the run never started: say
            saved.write(f"newsclean crawl: did not start (exit {stop.exit_code}); see {path}\n")
        raise
    finally:
        sys.stderr = saved
        log.close()
