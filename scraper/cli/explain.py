"""`newsclean explain`: every block of a page (fetched, or saved in a file), kept or removed, and
the rule that removed it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from scraper.cli.clean import clean_input
from scraper.cli.output import LanguageOption, fail, language_to_keep
from scraper.exit_codes import ExitCode

if TYPE_CHECKING:
    from cleaners import Article


def explain(
    source: Annotated[str, typer.Argument(help="A URL to fetch, or a saved page or text file.")],
    html: Annotated[bool, typer.Option("--html", help="Treat the input as HTML.")] = False,
    text: Annotated[bool, typer.Option("--text", help="Treat the input as plain text.")] = False,
    language: LanguageOption = "en",
) -> None:
    """Show every block of the page, kept or removed, with the rule that removed it."""
    if source.startswith(("http://", "https://")):
        article = _fetch(source, language)
    else:
        article = clean_input(source, html=html, text=text, url=None, language=language)
    from scraper.cli.explain_view import print_explanation

    print_explanation(article)


def _fetch(url: str, language: str) -> Article:
    from scraper.http.errors import FetchError
    from scraper.http.url_check import check_url
    from scraper.scrape_page import scrape

    try:
        check_url(url)
    except FetchError as error:
        fail(str(error), ExitCode.USAGE)
    try:
        return scrape(url, language=language_to_keep(language))
    except FetchError as error:
        fail(str(error), error.exit_code)
