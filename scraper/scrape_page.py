"""One page from URL to Article: fetch it politely, then clean it; `scraper.scrape` and
`scraper.ascrape` are here.

Not named `scrape.py`: importing a submodule `scraper.scrape` would shadow the function
`scraper.scrape` on the package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cleaners import Article, clean_html
from cleaners.language_option import language_to_keep
from scraper.http.result import FetchResult
from scraper.http.settings import FetchSettings
from scraper.http.sync_fetcher import Fetcher

if TYPE_CHECKING:
    from scraper.http.async_fetcher import AsyncFetcher


def fetch_and_clean(
    fetcher: Fetcher, url: str, *, language: str | None = "en", deadline: float | None = None
) -> tuple[FetchResult, Article]:
    """Fetch `url` with `fetcher` (by `deadline`, a time.monotonic(), when given) and clean it;
    raises a FetchError when the fetch fails."""
    page = fetcher.fetch(url, kind="html", deadline=deadline)
    article = clean_html(page.text or "", page.final_url, language=language)
    return page, article


def scrape(
    url: str, settings: FetchSettings | None = None, *, language: str | None = "en"
) -> Article:
    """Fetch `url` and return its cleaned Article; raises a scraper.http.errors.FetchError on
    failure, and ValueError before any request for a `language` that is neither an ISO 639-1
    code nor "auto"."""
    language = language_to_keep(language)
    with Fetcher(settings or FetchSettings()) as fetcher:
        return fetch_and_clean(fetcher, url, language=language)[1]


async def afetch_and_clean(
    fetcher: AsyncFetcher, url: str, *, language: str | None = "en"
) -> tuple[FetchResult, Article]:
    """`fetch_and_clean` for asyncio: the cleaning runs in a thread, off the event loop."""
    import asyncio

    page = await fetcher.fetch(url, kind="html")
    article = await asyncio.to_thread(
        clean_html, page.text or "", page.final_url, language=language
    )
    return page, article


async def ascrape(
    url: str, settings: FetchSettings | None = None, *, language: str | None = "en"
) -> Article:
    """`scrape` for asyncio: fetch `url` without blocking the event loop and return its cleaned
    Article; raises a scraper.http.errors.FetchError on failure."""
    from scraper.http.async_fetcher import AsyncFetcher

    async with AsyncFetcher(settings or FetchSettings()) as fetcher:
        return (await afetch_and_clean(fetcher, url, language=language))[1]
