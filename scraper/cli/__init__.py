"""The `newsclean` command: a thin typer app over the library; one module per command.

To add a command, write `scraper/cli/NAME.py` with one function (its parameters are the
options; heavy imports inside its body, so that `newsclean --help` stays fast), add it to
COMMANDS with its one-line help, and give it an example in EXAMPLES (shown under its help).
Each command maps the library's typed errors to the exit codes of scraper.exit_codes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from scraper.cli.app import OneLineErrors, run_app
from scraper.cli.archive import archive
from scraper.cli.clean import clean
from scraper.cli.crawl import crawl
from scraper.cli.explain import explain
from scraper.cli.export import export
from scraper.cli.get import get
from scraper.cli.reclean import reclean
from scraper.cli.sources import sources
from scraper.cli.status import status

COMMANDS: tuple[tuple[Callable[..., Any], str], ...] = (
    (get, "Fetch pages, clean them and print one article each."),
    (clean, "Clean a saved page or text file (or - for stdin) and print the article."),
    (crawl, "The scheduled job: discover new articles of the configured sites and store them."),
    (status, "Show the crawl's pages by site and state: next try, last reason."),
    (sources, "Print the bundled sources.toml, a starting point for your own."),
    (explain, "Show what was kept and what was removed from a page, and why."),
    (export, "Print the stored articles as JSON Lines."),
    (archive, "Clean the HTML pages of WARC files into Parquet, locally or on Dask."),
    (reclean, "Clean the stored articles again from the crawl's WARC archive."),
)

# One example per command, shown at the end of its help (`newsclean COMMAND -h`).
EXAMPLES: dict[str, tuple[str, ...]] = {
    "get": (
        "newsclean get https://e.vnexpress.net/news/some-story.html",
        "newsclean get -i urls.txt > articles.jsonl",
    ),
    "clean": ("newsclean clean saved-page.html --format markdown",),
    "crawl": ("newsclean crawl --config sources.toml --max-runtime 1500 --log data/crawl.log",),
    "status": ("newsclean status --config sources.toml",),
    "sources": ("newsclean sources > sources.toml",),
    "explain": ("newsclean explain saved-page.html",),
    "export": ("newsclean export --site vietnam-news --since 2025-09-01 > september.jsonl",),
    "archive": ("newsclean archive data/warc/ --out corpus/",),
    "reclean": ("newsclean reclean --config sources.toml --dry-run",),
}


def _version(value: bool) -> None:
    if value:
        from scraper import __version__

        typer.echo(f"newsclean {__version__}")
        raise typer.Exit(0)


app = typer.Typer(
    name="newsclean",
    help="Scrape news articles and strip their boilerplate, Vietnamese sidebar junk above all.",
    epilog="Exit codes and examples: README.md. `newsclean COMMAND -h` for one command.",
    cls=OneLineErrors,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: flags without a <bool> type, errors in one line
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_version, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Scrape news articles and strip their boilerplate, Vietnamese sidebar junk above all."""


for command, help_text in COMMANDS:
    examples = EXAMPLES.get(command.__name__, ())
    epilog = "\b\nExample:\n" + "\n".join(f"  {line}" for line in examples) if examples else None
    app.command(help=help_text, epilog=epilog)(command)


def main() -> None:
    """Run the command line: usage errors in one line (exit 2), Ctrl-C 130, SIGTERM 143."""
    run_app(app)
