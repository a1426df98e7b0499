"""`newsclean get URL`: fetch one page, clean it, print the article; typed errors to exit codes.

httpx and the cleaner are imported inside the command, so `newsclean --help` stays fast.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from scraper.exit_codes import ExitCode

if TYPE_CHECKING:
    from cleaners import Article


class OutputFormat(StrEnum):
    """How `get` prints the article."""

    json = "json"
    text = "text"
    markdown = "markdown"


def get(
    url: Annotated[str, typer.Argument(help="The http(s) URL of the article page.")],
    format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="How to print the article.")
    ] = OutputFormat.json,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the article here, not stdout.")
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            help="Seconds one attempt may take in all (connect, read, redirects).", min=0.1
        ),
    ] = 30.0,
    user_agent: Annotated[
        str | None, typer.Option(help="The User-Agent to send (and to obey robots.txt for).")
    ] = None,
    ignore_robots: Annotated[
        bool, typer.Option("--ignore-robots", help="Fetch even where robots.txt disallows it.")
    ] = False,
    save_html: Annotated[
        Path | None, typer.Option(help="Also save the fetched page's bytes to this file.")
    ] = None,
    retries: Annotated[
        int, typer.Option(help="Retries after a timeout, connection error, 429 or 5xx.", min=0)
    ] = 3,
) -> None:
    """Fetch one page, clean it and print the article."""
    from scraper.errors import FetchError
    from scraper.fetch import Fetcher, FetchSettings
    from scraper.fetch_policy import check_scheme
    from scraper.scrape_page import fetch_and_clean

    try:
        check_scheme(url, url=url)
    except FetchError as error:
        _fail(error.message, ExitCode.USAGE)
    base = FetchSettings()
    settings = FetchSettings(
        connect_timeout=min(base.connect_timeout, timeout),
        read_timeout=min(base.read_timeout, timeout),
        total_timeout=timeout,
        user_agent=user_agent or base.user_agent,
        obey_robots=not ignore_robots,
        retries=retries,
    )
    try:
        with Fetcher(settings) as fetcher:
            page, article = fetch_and_clean(fetcher, url)
    except FetchError as error:
        _fail(str(error), error.exit_code)
    if save_html is not None:
        _write(save_html, page.content)
    rendered = render(article, format)
    if output is not None:
        _write(output, rendered.encode("utf-8"))
    else:
        sys.stdout.write(rendered)
    if not article.has_body:
        _fail(f"no English article body: {page.final_url}", ExitCode.NO_BODY)


def render(article: Article, format: OutputFormat) -> str:
    """The article as one JSON line, plain text or Markdown, ending with a newline."""
    if format is OutputFormat.json:
        import json

        return json.dumps(article.to_dict(), ensure_ascii=False) + "\n"
    if format is OutputFormat.text:
        parts = [article.title, article.text] if article.title else [article.text]
        return "\n\n".join(parts) + "\n"
    meta = [article.date, article.dateline, ", ".join(article.authors), article.url]
    line = " · ".join(item for item in meta if item)
    parts = [f"# {article.title or 'Untitled'}"]
    if line:
        parts.append(f"*{line}*")
    parts.extend(article.paragraphs)
    return "\n\n".join(parts) + "\n"


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as error:
        _fail(f"cannot write {path}: {error.strerror or error}", ExitCode.USAGE)


def _fail(message: str, code: int) -> typer.Exit:
    sys.stderr.write(f"newsclean: {message}\n")
    raise typer.Exit(int(code))
