"""The crawl's cleaning workers: real processes from a forkserver, fed over sockets."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from scraper.crawl.cleaner_pool import CleanerPool, WorkerLost
from scraper.crawl.cleaning import PageToClean, clean_page
from scraper.crawl.sources import Candidate
from tests.fakes.news import article_page, make_article

BASE = "http://127.0.0.1:8000"


def _page(index: int) -> PageToClean:
    article = make_article("alpha", index)
    url = BASE + article.path
    body = article_page(article, BASE).encode("utf-8")
    return PageToClean(body, url, "utf-8", "en", Candidate(url, article.title), "+07:00")


async def _clean_all(pool: CleanerPool, pages: list[PageToClean]) -> list:
    async def one(page: PageToClean):
        await pool.reserve()
        return await pool.run(clean_page, page)

    return await asyncio.gather(*(one(p) for p in pages))


def test_workers_clean_pages_and_keep_the_junk_out() -> None:
    async def run() -> list:
        pool = CleanerPool(2)
        try:
            return await _clean_all(pool, [_page(i) for i in range(6)])
        finally:
            await pool.aclose()

    results = asyncio.run(run())
    assert all(r.has_body and r.article.language == "en" for r in results)
    assert len({r.content_hash for r in results}) == 6
    assert not any("Ý kiến bạn đọc" in r.article.text for r in results)


def test_a_worker_killed_mid_page_fails_that_page_only() -> None:
    # a page big enough to take the worker seconds, killed half a second in
    sentences = "".join(
        f"<p>Paragraph {i} tells the long story of the harbour.</p>" for i in range(60_000)
    )
    slow = f"<html><body><article>{sentences}</article></body></html>".encode()

    async def run() -> tuple:
        pool = CleanerPool(1)
        try:
            await _clean_all(pool, [_page(0)])  # the worker is up
            await pool.reserve()
            page = PageToClean(slow, BASE + "/slow", "utf-8", "en", Candidate(BASE + "/slow"), "")
            held = asyncio.ensure_future(pool.run(clean_page, page))
            await asyncio.sleep(0.5)
            for process in list(pool._processes):
                os.kill(process.pid, signal.SIGKILL)
            with pytest.raises(WorkerLost) as killed:
                await asyncio.wait_for(held, 60)
            return killed.value, await asyncio.wait_for(_clean_all(pool, [_page(1)]), 60)
        finally:
            await pool.aclose()

    killed, after = asyncio.run(run())
    assert str(killed) == "the cleaner process died while it held this page"
    assert not killed.timed_out and not killed.unavailable
    assert after[0].has_body


def test_an_idle_worker_killed_is_replaced() -> None:
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
    assert all(r.has_body for r in after)


_BROKEN_FORKSERVER = """
import asyncio
from scraper.crawl.cleaner_pool import CleanerPool, WorkerLost
from scraper.crawl.cleaning import PageToClean, clean_page
from scraper.crawl.sources import Candidate

async def main():
    pool = CleanerPool(1)
    pool._context.set_forkserver_preload(["broken_preload"])  # a forkserver that dies
    try:
        await pool.reserve()
        page = PageToClean(b"<p>text</p>", "http://x/a", None, "en", Candidate("http://x/a"), "")
        try:
            await asyncio.wait_for(pool.run(clean_page, page), 60)
        except WorkerLost as lost:
            print(lost.unavailable, lost)
    finally:
        await pool.aclose()

asyncio.run(main())
"""


def test_a_worker_that_cannot_start_fails_the_page_instead_of_hanging(tmp_path: Path) -> None:
    # in a child process, as the forkserver is one per process and this one is made to die;
    # the forkserver finds its preload module through PYTHONPATH
    (tmp_path / "broken_preload.py").write_text("raise RuntimeError('broken')\n")
    path = os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))
    out = subprocess.run(
        [sys.executable, "-c", _BROKEN_FORKSERVER],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": path},
    )
    assert out.returncode == 0, out.stderr[-2000:]
    # "unavailable": the crawl leaves such a page due, without counting an attempt
    assert out.stdout.startswith("True no cleaner process could start"), out.stdout


def test_the_forkserver_preload_loads_the_cleaner_and_freezes_it() -> None:
    # what workers share: langdetect's profiles and trafilatura, hidden from the collector
    code = (
        "import gc, sys; import scraper.crawl.preload;"
        "print(gc.get_freeze_count(), 'trafilatura' in sys.modules,"
        " 'langdetect.detector_factory' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    frozen, trafilatura, langdetect = out.stdout.split()
    assert int(frozen) > 50_000  # ~120,000 objects, most of them langdetect's profiles
    assert trafilatura == langdetect == "True"
