"""`newsclean get URL...`: fetch pages politely, clean them, print the articles; typed errors to
exit codes.

One URL prints its article in the chosen format. Several (arguments, or `-i FILE` with one
per line) print one JSON line each, in order, fetched one after another with `--delay` seconds
(or the host's Crawl-delay, if longer) between two requests to the same host and robots.txt
read once per host; a URL that fails prints its one-line error on stderr and the rest go on.
The exit code is then the worst of the URLs' own: 75 over 69 over 65 over 0.

httpx and the cleaner are imported inside the command, so `newsclean --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
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
    write_file,
)
from scraper.exit_codes import ExitCode

if TYPE_CHECKING:
    from scraper.http.settings import FetchSettings
    from scraper.http.sync_fetcher import Fetcher

# The order "worst" follows when several URLs give several codes: try again later first.
_SEVERITY = (ExitCode.OK, ExitCode.NO_BODY, ExitCode.PERMANENT, ExitCode.TEMPORARY)


def get(
    urls: Annotated[
        list[str] | None,
        typer.Argument(help="The http(s) URLs of the article pages.", show_default=False),
    ] = None,
    input_file: Annotated[
        str | None,
        typer.Option("--input", "-i", help="Read URLs from this file, one per line (- for stdin)."),
    ] = None,
    format: FormatOption = OutputFormat.json,
    output: OutputOption = None,
    timeout: Annotated[
        float,
        typer.Option(
            help="Seconds one URL's fetch may take: connect, headers, body, redirects, "
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
    delay: Annotated[
        float,
        typer.Option(help="Seconds between two requests to the same host (several URLs).", min=0),
    ] = 1.0,
) -> None:
    """Fetch pages, clean them and print one article each."""
    import time

    deadline = time.monotonic() + timeout  # before the imports: they count too
    keep = language_to_keep(language)
    targets = list(urls or [])
    if input_file is not None:
        targets += _read_urls(input_file)
    if not targets:
        fail("give a URL, or -i FILE with one URL per line", ExitCode.USAGE)
    settings = _settings(timeout, user_agent, ignore_robots, retries)
    if len(targets) == 1 and input_file is None:
        _get_one(targets[0], settings, keep, deadline, format, output, save_html)
        return
    if format is not OutputFormat.json:
        fail("several URLs print one JSON line each: --format json only", ExitCode.USAGE)
    if save_html is not None:
        fail("--save-html takes one URL", ExitCode.USAGE)
    _get_many(targets, settings, keep, timeout, delay, output)


def _settings(
    timeout: float, user_agent: str | None, ignore_robots: bool, retries: int
) -> FetchSettings:
    from scraper.http.settings import FetchSettings

    base = FetchSettings()
    return FetchSettings(
        connect_timeout=min(base.connect_timeout, timeout),
        read_timeout=min(base.read_timeout, timeout),
        total_timeout=timeout,
        user_agent=user_agent or base.user_agent,
        obey_robots=not ignore_robots,
        retries=retries,
    )


def _get_one(
    url: str,
    settings: FetchSettings,
    language: str | None,
    deadline: float,
    format: OutputFormat,
    output: Path | None,
    save_html: Path | None,
) -> None:
    from scraper.http.errors import FetchError
    from scraper.http.sync_fetcher import Fetcher
    from scraper.http.url_check import check_url
    from scraper.scrape_page import fetch_and_clean

    try:
        check_url(url)
    except FetchError as error:
        fail(str(error), ExitCode.USAGE)
    try:
        with Fetcher(settings) as fetcher:
            page, article = fetch_and_clean(fetcher, url, language=language, deadline=deadline)
    except FetchError as error:
        fail(str(error), error.exit_code)
    if save_html is not None:
        write_file(save_html, page.content)
    emit(article, format, output)
    if not article.has_body:
        fail(f"{_no_body(language)}: {page.final_url}", ExitCode.NO_BODY)


def _get_many(
    urls: list[str],
    settings: FetchSettings,
    language: str | None,
    timeout: float,
    delay: float,
    output: Path | None,
) -> None:
    import json

    from scraper.http.errors import FetchError
    from scraper.http.robots import origin_of
    from scraper.http.sync_fetcher import Fetcher
    from scraper.http.url_check import check_url
    from scraper.redact import redact
    from scraper.scrape_page import fetch_and_clean

    try:
        out = output.open("w", encoding="utf-8") if output else sys.stdout
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}", ExitCode.USAGE)
    worst = ExitCode.OK
    last_request: dict[str, float] = {}  # origin -> when its last request ended
    with Fetcher(settings) as fetcher:
        clock = fetcher.clock
        for url in urls:
            code = ExitCode.OK
            try:
                check_url(url)
                origin = origin_of(url)
                wait = max(delay, _crawl_delay(fetcher, url, settings.user_agent))
                if origin in last_request:
                    clock.sleep(max(0.0, last_request[origin] + wait - clock.monotonic()))
                try:
                    page, article = fetch_and_clean(
                        fetcher, url, language=language, deadline=clock.monotonic() + timeout
                    )
                finally:
                    last_request[origin] = clock.monotonic()
            except FetchError as error:
                code = error.exit_code
                sys.stderr.write(f"newsclean: {redact(str(error))}\n")
            else:
                out.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
                out.flush()
                if not article.has_body:
                    code = ExitCode.NO_BODY
                    where = redact(page.final_url)
                    sys.stderr.write(f"newsclean: {_no_body(language)}: {where}\n")
            worst = max(worst, code, key=_SEVERITY.index)
    if output:
        out.close()
    raise typer.Exit(int(worst))


def _crawl_delay(fetcher: Fetcher, url: str, user_agent: str) -> float:
    """The Crawl-delay of the host's robots.txt, once it was read (0 before, or without)."""
    rules = fetcher.robots.get(url)
    if rules is None:
        return 0.0
    return float(rules.parser.crawl_delay(user_agent) or 0.0)


def _no_body(language: str | None) -> str:
    """'no English article body', 'no vi article body', or 'no article body' (auto)."""
    name = {"en": "English ", None: ""}.get(language, f"{language} ")
    return f"no {name}article body"


def _read_urls(source: str) -> list[str]:
    """The URLs of a file (or stdin for -), one per line; blank lines and # comments skipped."""
    from scraper.cli.read_input import InputError, read_input

    try:
        data = read_input(source)
    except InputError as error:
        fail(str(error), ExitCode.USAGE)
    lines = data.decode("utf-8", "replace").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
