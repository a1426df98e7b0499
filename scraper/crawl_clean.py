"""Cleaning in a process pool, so fetching (one core, asyncio) and cleaning (CPU) overlap.

The worker returns plain data: the article's JSON dict, its content hash and the facts the crawl
needs to decide what to do with it, so the parent never re-parses anything.
"""

from __future__ import annotations

import asyncio
import hashlib
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from scraper.discover import Candidate


@dataclass(frozen=True)
class Cleaned:
    """What the cleaner made of one page."""

    article: dict[str, Any]  # Article.to_dict(), hints filled in
    content_hash: str  # of the body text, whitespace-normalised: the same story under two URLs
    has_body: bool
    language: str | None
    canonical: str | None  # the page's own canonical URL, when it names one
    error: str | None = None  # the cleaner failed on this page (a bug, reported, not fatal)


def clean_page(html: str, url: str, language: str, hint: Candidate) -> Cleaned:
    """Clean one page and fill date and title from the feed or sitemap when the page lacks them."""
    from dataclasses import replace

    from cleaners import clean_html

    try:
        article = clean_html(html, url, language=language)
    except Exception as exc:  # the cleaner promises not to raise; keep the crawl alive if it does
        return Cleaned({}, "", False, None, None, error=f"{type(exc).__name__}: {exc}")
    if not article.date and hint.date:
        article = replace(article, date=hint.date, date_source=hint.date_source)
    if not article.title and hint.title:
        article = replace(article, title=hint.title)
    normal = re.sub(r"\s+", " ", article.text).strip()
    return Cleaned(
        article=article.to_dict(),
        content_hash=hashlib.sha256(normal.encode("utf-8")).hexdigest(),
        has_body=article.has_body,
        language=article.language,
        canonical=article.url if article.url and article.url != url else None,
    )


class CleanerPool:
    """A process pool with a bounded number of pages waiting, so memory does not grow."""

    def __init__(self, workers: int = 0) -> None:
        """Start `workers` processes (0: one per CPU); at most twice that many pages wait."""
        self.workers = workers or os.cpu_count() or 1
        # forkserver: workers start from a clean process that has imported the cleaner once,
        # not from a fork of the event loop with its sockets and database handles.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["cleaners"])
        self._pool = ProcessPoolExecutor(self.workers, mp_context=context)
        self._room = asyncio.Semaphore(self.workers * 2)

    async def reserve(self) -> None:
        """Wait until a page may be handed over; pair with one `clean` call."""
        await self._room.acquire()

    async def clean(self, html: str, url: str, language: str, hint: Candidate) -> Cleaned:
        """Clean a page in a worker (after `reserve`); a crashed worker is reported, not raised."""
        try:
            future = self._pool.submit(clean_page, html, url, language, hint)
            return await asyncio.wrap_future(future)
        except BrokenProcessPool as exc:
            return Cleaned({}, "", False, None, None, error=f"cleaner process died: {exc}")
        finally:
            self._room.release()

    def close(self) -> None:
        """Stop the workers."""
        self._pool.shutdown(wait=True, cancel_futures=True)
