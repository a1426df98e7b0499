"""The `newsclean` command: a thin typer app; each command lives in a light module of its own.

Command modules import their heavy dependencies inside the command body, so `--help` stays fast.
"""

from __future__ import annotations

import sys

import typer

from scraper.cli_archive import archive
from scraper.cli_clean import clean, explain
from scraper.cli_crawl import crawl, export
from scraper.cli_get import get

app = typer.Typer(
    name="newsclean",
    help="Scrape news articles and strip their boilerplate, Vietnamese sidebar junk above all.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command(help="Fetch one page, clean it and print the article.")(get)
app.command(help="Clean a saved page or text file (or - for stdin) and print the article.")(clean)
app.command(
    help="The scheduled job: discover new articles of the configured sites and store them."
)(crawl)
app.command(help="Show what was kept and what was removed from a page, and why.")(explain)
app.command(help="Print the stored articles as JSON Lines.")(export)
app.command(help="Clean the HTML pages of WARC files into Parquet, locally or on Dask.")(archive)


def main() -> None:
    """Run the command line; usage errors exit 2, as click does."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("newsclean: interrupted\n")
        sys.exit(130)
