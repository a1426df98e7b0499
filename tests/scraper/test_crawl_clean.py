"""The crawl's cleaning workers: real processes from a forkserver, fed over sockets."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys

from scraper.crawl_clean import CleanerPool
from scraper.crawl_fakenews import article_page, make_article
from scraper.discover import Candidate

BASE = "http://127.0.0.1:8000"


def _page(index: int) -> tuple[bytes, str, Candidate]:
    article = make_article("alpha", index)
    url = BASE + article.path
    return article_page(article, BASE).encode("utf-8"), url, Candidate(url, article.title)


async def _clean_all(pool: CleanerPool, pages: list[tuple[bytes, str, Candidate]]) -> list:
    async def one(page: tuple[bytes, str, Candidate]):
        await pool.reserve()
        return await pool.clean(page[0], page[1], "en", page[2], charset="utf-8")

    return await asyncio.gather(*(one(p) for p in pages))


def test_workers_clean_pages_and_keep_the_junk_out() -> None:
    async def run() -> list:
        pool = CleanerPool(2)
        try:
            return await _clean_all(pool, [_page(i) for i in range(6)])
        finally:
            await pool.aclose()

    results = asyncio.run(run())
    assert [r.error for r in results] == [None] * 6
    assert all(r.has_body and r.language == "en" for r in results)
    assert len({r.content_hash for r in results}) == 6
    assert not any("Ý kiến bạn đọc" in r.article["text"] for r in results)


def test_a_killed_worker_fails_only_its_pages_and_is_replaced() -> None:
    async def run() -> tuple[list, list]:
        pool = CleanerPool(1)
        try:
            first = await _clean_all(pool, [_page(0)])
            for process in list(pool._processes):
                os.kill(process.pid, signal.SIGKILL)
            await asyncio.sleep(0.2)
            return first, await asyncio.wait_for(_clean_all(pool, [_page(1), _page(2)]), 60)
        finally:
            await pool.aclose()

    first, after = asyncio.run(run())
    assert first[0].has_body
    assert all(r.has_body for r in after), [r.error for r in after]


def test_the_forkserver_preload_loads_the_cleaner_and_freezes_it() -> None:
    # what workers share: langdetect's profiles and trafilatura, hidden from the collector
    code = (
        "import gc, sys; import scraper.crawl_preload;"
        "print(gc.get_freeze_count(), 'trafilatura' in sys.modules,"
        " 'langdetect.detector_factory' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    frozen, trafilatura, langdetect = out.stdout.split()
    assert int(frozen) > 100_000  # the profiles alone are ~175,000 objects
    assert trafilatura == langdetect == "True"
