"""`newsclean clean` and `newsclean explain`: the cleaning library on a saved page or text."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from scraper.cli_get import OutputFormat, render
from scraper.exit_codes import ExitCode

if TYPE_CHECKING:
    from cleaners import Article

_PATH_HELP = "A saved page or text file (gzip'd is fine); - reads standard input."
_LANGUAGE_HELP = 'The language to keep, "en" by default; "auto" keeps the page\'s own.'


def clean(
    path: Annotated[str, typer.Argument(help=_PATH_HELP)] = "-",
    format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="How to print the article.")
    ] = OutputFormat.json,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the article here, not stdout.")
    ] = None,
    html: Annotated[bool, typer.Option("--html", help="Treat the input as HTML.")] = False,
    text: Annotated[bool, typer.Option("--text", help="Treat the input as plain text.")] = False,
    url: Annotated[str | None, typer.Option(help="The page's URL, for metadata.")] = None,
    language: Annotated[str, typer.Option(help=_LANGUAGE_HELP)] = "en",
) -> None:
    """Clean a saved page or text and print the article; exit 65 when it has no body."""
    article = _clean(path, html=html, text=text, url=url, language=language)
    rendered = render(article, format)
    if output is None:
        sys.stdout.write(rendered)
    else:
        try:
            output.write_text(rendered, encoding="utf-8")
        except OSError as error:
            _fail(f"cannot write {output}: {error.strerror or error}", ExitCode.USAGE)
    if not article.has_body:
        _fail(f"no article body: {'; '.join(article.notes)}", ExitCode.NO_BODY)


def explain(
    source: Annotated[str, typer.Argument(help="A URL to fetch, or a saved page or text file.")],
    html: Annotated[bool, typer.Option("--html", help="Treat the input as HTML.")] = False,
    text: Annotated[bool, typer.Option("--text", help="Treat the input as plain text.")] = False,
    language: Annotated[str, typer.Option(help=_LANGUAGE_HELP)] = "en",
) -> None:
    """Show every block of the page, kept or removed, with the rule that removed it."""
    if source.startswith(("http://", "https://")):
        article = _fetch(source, language)
    else:
        article = _clean(source, html=html, text=text, url=None, language=language)
    from scraper.explain_view import print_explanation

    print_explanation(article)


def _clean(path: str, *, html: bool, text: bool, url: str | None, language: str) -> Article:
    from cleaners import clean_html, clean_text
    from scraper.read_input import InputError, looks_like_html, read_input

    if html and text:
        _fail("--html and --text exclude each other", ExitCode.USAGE)
    try:
        data = read_input(path)
    except InputError as error:
        _fail(str(error), ExitCode.USAGE)
    keep = None if language == "auto" else language
    if html or (not text and looks_like_html(data, path)):
        return clean_html(data, url, language=keep)
    from cleaners.decoding import decode_html

    return clean_text(decode_html(data), language=keep)


def _fetch(url: str, language: str) -> Article:
    from scraper.errors import FetchError
    from scraper.scrape_page import scrape

    try:
        return scrape(url, language=None if language == "auto" else language)
    except FetchError as error:
        _fail(str(error), error.exit_code)


def _fail(message: str, code: int) -> typer.Exit:
    sys.stderr.write(f"newsclean: {message}\n")
    raise typer.Exit(int(code))
