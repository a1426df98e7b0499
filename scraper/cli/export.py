"""`newsclean export`: the stored articles as JSON Lines, CSV or Markdown, filtered by site and
date; a thin wrapper over scraper.crawl.store, which it opens read-only."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from scraper.cli.crawl import ConfigOpt, DbOpt
from scraper.cli.export_formats import ExportFormat, ExportWriter
from scraper.cli.output import crawl_database, fail


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
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="jsonl (as stored), csv (fixed columns, lists joined by '; ') or markdown.",
        ),
    ] = ExportFormat.jsonl,
) -> None:
    """Print the stored articles as JSON Lines, CSV or Markdown."""
    from scraper.crawl.store import Store, StoreError
    from scraper.exit_codes import ExitCode

    if since is not None:
        since = _iso_since(since)
    db = crawl_database(db, config)
    try:
        # newline="": the csv module writes its own line ends, "\n" on every platform
        out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}", ExitCode.USAGE)
    import sqlite3

    exported, damaged = 0, 0
    try:
        writer = ExportWriter(out, format)
        with Store(db, readonly=True) as store:
            for row in store.article_rows(site=site, since=since):
                if row.damaged:
                    damaged += 1
                    sys.stderr.write(
                        f"newsclean: article {row.id} in {db} is not valid UTF-8; exported"
                        " with replacement characters\n"
                    )
                writer.write(row.line)
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
