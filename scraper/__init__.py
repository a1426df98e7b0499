"""newsclean's shell: fetching, crawling, storage and the command line. Imports `cleaners`.

`scraper.scrape(url)` fetches and cleans one page (`await scraper.ascrape(url)` in asyncio); they
are imported on first use, so importing `scraper` (and running `newsclean --help`) stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # type checkers see the real signatures; at run time they load on first use
    from scraper.scrape_page import ascrape, scrape

__all__ = ["__version__", "ascrape", "scrape"]

__version__ = "0.1.0"  # the one place the version is written; pyproject.toml reads it


def __getattr__(name: str) -> Any:
    """Load `scrape` and `ascrape` (and with them httpx and the cleaner) only when asked for."""
    if name in {"scrape", "ascrape"}:
        from scraper import scrape_page

        return getattr(scrape_page, name)
    raise AttributeError(f"module 'scraper' has no attribute {name!r}")
