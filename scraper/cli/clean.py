"""`newsclean clean`: the cleaning library on a saved page or text file, or standard input."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from scraper.cli.output import (
    FormatOption,
    LanguageOption,
    OutputFormat,
    OutputOption,
    emit,
    fail,
    language_to_keep,
)
from scraper.exit_codes import ExitCode

if TYPE_CHECKING:
    from cleaners import Article

_PATH_HELP = "A saved page or text file (gzip'd is fine); - reads standard input."


def clean(
    path: Annotated[str, typer.Argument(help=_PATH_HELP)] = "-",
    format: FormatOption = OutputFormat.json,
    output: OutputOption = None,
    html: Annotated[bool, typer.Option("--html", help="Treat the input as HTML.")] = False,
    text: Annotated[bool, typer.Option("--text", help="Treat the input as plain text.")] = False,
    url: Annotated[str | None, typer.Option(help="The page's URL, for metadata.")] = None,
    language: LanguageOption = "en",
) -> None:
    """Clean a saved page or text and print the article; exit 65 when it has no body."""
    article = clean_input(path, html=html, text=text, url=url, language=language)
    emit(article, format, output)
    if not article.has_body:
        fail(f"no article body: {'; '.join(article.notes)}", ExitCode.NO_BODY)


def clean_input(
    path: str, *, html: bool, text: bool, url: str | None, language: str, explain: bool = False
) -> Article:
    """The article of a saved page or text; with `explain`, its trace in page order with what
    the main-text extraction left out."""
    from cleaners import clean_html, clean_text
    from cleaners.pipeline import explain_html
    from scraper.cli.read_input import InputError, looks_like_html, read_input

    if html and text:
        fail("--html and --text exclude each other", ExitCode.USAGE)
    try:
        data = read_input(path)
    except InputError as error:
        fail(str(error), ExitCode.USAGE)
    keep = language_to_keep(language)
    if html or (not text and looks_like_html(data, path)):
        return (explain_html if explain else clean_html)(data, url, language=keep)
    from cleaners.decoding import decode_html

    return clean_text(decode_html(data), language=keep)
