"""`newsclean get URL`: fetch one page, clean it, print the article; typed errors to exit codes.

httpx and the cleaner are imported inside the command, so `newsclean --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scraper.cli.output import (
    FormatOption,
    LanguageOption,
    OutputFormat,
    OutputOption,
    emit,
    fail,
    language_to_keep,
    write_file,
)
from scraper.exit_codes import ExitCode


def get(
    url: Annotated[str, typer.Argument(help="The http(s) URL of the article page.")],
    format: FormatOption = OutputFormat.json,
    output: OutputOption = None,
    timeout: Annotated[
        float,
        typer.Option(
            help="Seconds the whole fetch may take: connect, headers, body, redirects, "
            "robots.txt, retries and their waits.",
            min=0.1,
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
    language: LanguageOption = "en",
) -> None:
    """Fetch one page, clean it and print the article."""
    import time

    deadline = time.monotonic() + timeout  # before the imports: they count too
    from scraper.http.errors import FetchError
    from scraper.http.settings import FetchSettings
    from scraper.http.sync_fetcher import Fetcher
    from scraper.http.url_check import check_url
    from scraper.scrape_page import fetch_and_clean

    try:
        check_url(url)
    except FetchError as error:
        fail(str(error), ExitCode.USAGE)
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
            page, article = fetch_and_clean(
                fetcher, url, language=language_to_keep(language), deadline=deadline
            )
    except FetchError as error:
        fail(str(error), error.exit_code)
    if save_html is not None:
        write_file(save_html, page.content)
    emit(article, format, output)
    if not article.has_body:
        fail(f"no English article body: {page.final_url}", ExitCode.NO_BODY)
