"""`newsclean archive`: clean the HTML responses of WARC files into Parquet or JSON Lines.

A thin layer over scraper.archive; pyarrow, fsspec, warcio and dask are imported inside the
command, so `newsclean --help` stays fast. Every check that can fail (inputs, filters, output
folder, scheduler) runs before any file is read, and fails in one line with its exit code.
"""

from __future__ import annotations

import signal
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from scraper.cli.output import LanguageOption, fail, language_to_keep
from scraper.exit_codes import ExitCode

if TYPE_CHECKING:
    from scraper.archive.engines import Engine

CC_NEWS_BASE = "https://data.commoncrawl.org"


class ArchiveFormat(StrEnum):
    """How the parts are written."""

    parquet = "parquet"
    jsonl = "jsonl"


def archive(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            help="WARC files (.warc, .warc.gz), folders, globs, or http(s):// and s3:// URLs.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        str,
        typer.Option(
            "--out",
            "-o",
            help="Output folder (local, or s3://...): one part per input. Every worker must be "
            "able to write it.",
        ),
    ] = "",
    format: Annotated[
        ArchiveFormat, typer.Option("--format", "-f", help="Parquet parts, or JSON Lines.")
    ] = ArchiveFormat.parquet,
    language: LanguageOption = "en",
    host: Annotated[
        list[str] | None,
        typer.Option(
            "--host",
            help="Keep only these sites (repeatable): vnexpress.net keeps its subdomains, "
            "*.vn is a pattern.",
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Keep records with a WARC-Date on or after this day/time.")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Keep records with a WARC-Date up to this day (included).")
    ] = None,
    cc_news: Annotated[
        str | None,
        typer.Option("--cc-news", help="Add Common Crawl's CC-NEWS files of this month (YYYY/MM)."),
    ] = None,
    cc_base: Annotated[
        str, typer.Option("--cc-base", help="Where CC-NEWS lives (its crawl-data/ is below).")
    ] = CC_NEWS_BASE,
    workers: Annotated[
        int, typer.Option("--workers", min=0, help="Local worker processes; 0 = one per core.")
    ] = 0,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Run on this Dask cluster (tcp://HOST:8786) instead of local cores."),
    ] = None,
    dask_local: Annotated[
        int | None,
        typer.Option(
            "--dask-local", min=1, help="Start a Dask LocalCluster of N worker processes."
        ),
    ] = None,
) -> None:
    """Clean every HTML response of WARC archives into a Parquet (or JSON Lines) dataset."""
    from scraper.archive.filters import FilterError, make_filters
    from scraper.archive.inputs import (
        InputError,
        InputUnreachable,
        cc_news_sources,
        expand_inputs,
        is_url,
    )

    if not out:
        fail("archive needs --out DIR (a folder every worker can write)", ExitCode.USAGE)
    if not inputs and not cc_news:
        fail("archive needs WARC inputs or --cc-news YYYY/MM", ExitCode.USAGE)
    if scheduler and dask_local:
        fail("--scheduler and --dask-local exclude each other", ExitCode.USAGE)
    try:
        filters = make_filters(host, since, until)
        sources = expand_inputs(inputs or [])
        if cc_news:
            sources += [s for s in cc_news_sources(cc_news, cc_base) if s not in sources]
    except (FilterError, InputError) as error:
        fail(str(error), ExitCode.USAGE)
    except InputUnreachable as error:
        fail(str(error), ExitCode.TEMPORARY)
    if not sources:
        fail("no WARC file to clean", ExitCode.USAGE)
    out_url = out if is_url(out) else str(Path(out).expanduser().resolve())
    _check_output(out_url)

    from cleaners import cleaner_version
    from scraper.archive.job import ArchiveJob

    job = ArchiveJob(
        out=out_url,
        format=format.value,
        language=language_to_keep(language),
        filters=filters,
        cleaner_version=cleaner_version(),
    )
    engine = _engine(workers, scheduler, dask_local)
    _run(job, sources, engine)


def _check_output(out_url: str) -> None:
    from scraper.archive.output import OutputFolder, OutputUnusable

    try:
        OutputFolder(out_url).check_writable()
    except OutputUnusable as error:
        fail(str(error), ExitCode.CONFIG)
    except (ImportError, ValueError) as error:  # s3:// without s3fs, an unknown protocol
        hint = " (pip install 'newsclean[s3]')" if out_url.startswith("s3://") else ""
        fail(f"cannot use --out {out_url}: {error}{hint}", ExitCode.CONFIG)


def _engine(workers: int, scheduler: str | None, dask_local: int | None) -> Engine:
    from scraper.archive.engines import DaskEngine, DaskMissing, LocalEngine, SchedulerUnreachable

    try:
        if scheduler:
            return DaskEngine.connect(scheduler)
        if dask_local:
            return DaskEngine.local(dask_local)
    except SchedulerUnreachable as error:
        fail(str(error), ExitCode.TEMPORARY)
    except DaskMissing as error:
        fail(str(error), ExitCode.CONFIG)
    return LocalEngine(workers)


def _run(job: Any, sources: list[str], engine: Engine) -> NoReturn:
    from scraper.archive.progress import BarProgress, LogProgress
    from scraper.archive.run import run_archive

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)  # 143: what was written stays, the next run goes on

    previous = signal.signal(signal.SIGTERM, stop)
    progress = BarProgress() if sys.stderr.isatty() else LogProgress()
    try:
        summary = run_archive(job, sources, engine, progress)
    finally:
        progress.close()
        engine.close()
        signal.signal(signal.SIGTERM, previous)
    for note in summary.notes:
        sys.stderr.write(f"newsclean archive: {note}\n")
    sys.stderr.write(f"newsclean archive: {summary.line()}\n")
    raise typer.Exit(int(summary.exit_code))
