"""The `newsclean` command: a thin typer app over the library; one module per command.

To add a command, write `scraper/cli/NAME.py` with one function (its parameters are the
options; heavy imports inside its body, so that `newsclean --help` stays fast) and add it to
COMMANDS with its one-line help. Each command maps the library's typed errors to the exit codes
of scraper.exit_codes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import typer

from scraper.cli.archive import archive
from scraper.cli.clean import clean
from scraper.cli.crawl import crawl
from scraper.cli.explain import explain
from scraper.cli.export import export
from scraper.cli.get import get
from scraper.cli.reclean import reclean

COMMANDS: tuple[tuple[Callable[..., Any], str], ...] = (
    (get, "Fetch one page, clean it and print the article."),
    (clean, "Clean a saved page or text file (or - for stdin) and print the article."),
    (crawl, "The scheduled job: discover new articles of the configured sites and store them."),
    (explain, "Show what was kept and what was removed from a page, and why."),
    (export, "Print the stored articles as JSON Lines."),
    (archive, "Clean the HTML pages of WARC files into Parquet, locally or on Dask."),
    (reclean, "Clean the stored articles again from the crawl's WARC archive."),
)

app = typer.Typer(
    name="newsclean",
    help="Scrape news articles and strip their boilerplate, Vietnamese sidebar junk above all.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
for command, help_text in COMMANDS:
    app.command(help=help_text)(command)


def main() -> None:
    """Run the command line; usage errors exit 2, as click does."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("newsclean: interrupted\n")
        sys.exit(130)
