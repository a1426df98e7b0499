"""`newsclean explain`: every block of a page (fetched, or saved in a file) in page order, kept or
removed, and the rule that removed it; `--html FILE` writes the same as a self-contained page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from scraper.cli.clean import clean_input
from scraper.cli.output import LanguageOption, fail, language_to_keep, write_file
from scraper.exit_codes import ExitCode

if TYPE_CHECKING:
    from cleaners import Article


def explain(
    source: Annotated[str, typer.Argument(help="A URL to fetch, or a saved page or text file.")],
    html_page: Annotated[
        Path | None,
        typer.Option(
            "--html",
            help="Also write the explanation as a self-contained HTML page to this file.",
        ),
    ] = None,
    as_html: Annotated[bool, typer.Option("--as-html", help="Treat the input as HTML.")] = False,
    text: Annotated[bool, typer.Option("--text", help="Treat the input as plain text.")] = False,
    language: LanguageOption = "en",
) -> None:
    """Show every block of the page in page order, kept or removed, with the rule that removed
    it, and the text the main-text extraction left out (not_main_text)."""
    if as_html and text:
        fail("--as-html and --text exclude each other", ExitCode.USAGE)
    if source.startswith(("http://", "https://")):
        article = _fetch(source, language)
    else:
        article = clean_input(
            source, html=as_html, text=text, url=None, language=language, explain=True
        )
    if html_page is not None:
        from scraper.cli.explain_page import render_page

        write_file(html_page, render_page(article).encode("utf-8"))
    from scraper.cli.explain_view import print_explanation

    print_explanation(article)


def _fetch(url: str, language: str) -> Article:
    from cleaners.pipeline import explain_html
    from scraper.http.errors import FetchError
    from scraper.http.settings import FetchSettings
    from scraper.http.sync_fetcher import Fetcher
    from scraper.http.url_check import check_url

    try:
        check_url(url)
    except FetchError as error:
        fail(str(error), ExitCode.USAGE)
    try:
        with Fetcher(FetchSettings()) as fetcher:
            page = fetcher.fetch(url, kind="html")
    except FetchError as error:
        fail(str(error), error.exit_code)
    return explain_html(page.text or "", page.final_url, language=language_to_keep(language))
