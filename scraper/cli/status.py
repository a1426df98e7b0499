"""`newsclean status`: the crawl database's pages by site and state, when the next try is due
and the last reasons, read-only (it can run while a crawl does)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from scraper.cli.crawl import ConfigOpt, DbOpt
from scraper.cli.output import crawl_database, fail

REASONS_SHOWN = 3  # the most frequent last reasons listed per row


def status(
    config: ConfigOpt = None,
    db: DbOpt = None,
    site: Annotated[str | None, typer.Option("--site", help="Only this site's pages.")] = None,
) -> None:
    """Show the pages of each site by state, with their next try and last reasons."""
    import sqlite3
    import time

    from scraper.crawl.store import Store, StoreError
    from scraper.exit_codes import ExitCode

    db = crawl_database(db, config)
    try:
        with Store(db, readonly=True) as store:
            states = [s for s in store.page_states() if site is None or s.site == site]
            articles = store.counts()["articles"]
    except (StoreError, sqlite3.DatabaseError) as error:
        fail(f"cannot read {db}: {error}", ExitCode.CONFIG)
    now = time.time()
    rows = [("site", "state", "pages", "next try", "last reasons")]
    for state in states:
        when = ""
        if state.next_try is not None:
            due = state.next_try <= now
            when = "now" if due else time.strftime("%Y-%m-%d %H:%M", time.localtime(state.next_try))
        reasons = ", ".join(f"{why} {n}" for why, n in state.reasons[:REASONS_SHOWN])
        if len(state.reasons) > REASONS_SHOWN:
            reasons += ", …"
        rows.append((state.site, state.status, str(state.pages), when, reasons))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1]), row[2].rjust(widths[2])]
        cells += [row[3].ljust(widths[3]), row[4]]
        sys.stdout.write("  ".join(cells).rstrip() + "\n")
    sys.stdout.write(f"{articles} articles stored in {db}\n")
