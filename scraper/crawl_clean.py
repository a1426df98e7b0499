"""Cleaning in worker processes, so fetching (one core, asyncio) and cleaning (CPU) overlap.

Each worker is a process started from a forkserver that has loaded the cleaner once (see
crawl_preload), joined to the event loop by one socket pair: the page goes over as one
length-prefixed pickle of plain data (the body's bytes and HTTP charset, URL, language, feed
hint; the worker decodes), the answer comes back the same way. The loop writes and reads those
sockets itself, so the main process runs no helper threads to contend with it for the GIL
(ProcessPoolExecutor keeps two), and each worker always has its next page waiting in its
socket, so it never sits idle between pages.

The worker returns plain data: the article's JSON dict, its content hash and the facts the crawl
needs to decide what to do with it, so the parent never re-parses anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import functools
import hashlib
import multiprocessing
import os
import pickle
import re
import signal
import socket
import struct
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scraper.discover import Candidate

PAGES_PER_WORKER = 8  # pages handed over but not cleaned yet, per worker: memory stays bounded
IN_WORKER = 2  # of those, sent to a worker at once: the one it cleans and the next one
BROKEN_RETRY_SECONDS = 5.0  # when no worker can start, fail pages this long, then try again
_HEADER = struct.Struct("!I")


@dataclass(frozen=True)
class Cleaned:
    """What the cleaner made of one page."""

    article: dict[str, Any]  # Article.to_dict(), hints filled in
    content_hash: str  # of the body text, whitespace-normalised: the same story under two URLs
    has_body: bool
    language: str | None
    canonical: str | None  # the page's own canonical URL, when it names one
    error: str | None = None  # the cleaner failed on this page (a bug, reported, not fatal)
    unavailable: bool = False  # no cleaner was there to judge the page: not the page's fault


def clean_page(
    html: str | bytes,
    url: str,
    language: str,
    hint: Candidate,
    offset: str | None = None,
    charset: str | None = None,
) -> Cleaned:
    """Clean one page and fill date and title from the feed or sitemap when the page lacks them.

    `html` is the text, or the body's bytes with `charset`, the HTTP header's charset (decoded
    here, in the worker, by BOM, that charset, <meta charset>, then detection).
    `offset` is the site's UTC offset ("+07:00") for times the page prints without one.
    """
    from dataclasses import replace

    from cleaners import clean_html
    from cleaners.decoding import decode_html

    try:
        if not isinstance(html, str):
            html = decode_html(bytes(html), charset)
        article = clean_html(html, url, language=language, default_offset=offset or "auto")
    except Exception as exc:  # the cleaner promises not to raise; keep the crawl alive if it does
        return _failed(f"{type(exc).__name__}: {exc}")
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


def _failed(error: str, *, unavailable: bool = False) -> Cleaned:
    return Cleaned({}, "", False, None, None, error=error, unavailable=unavailable)


def _memory_trimmer() -> Callable[[], object]:
    """glibc's malloc_trim(0), or a no-op where the C library has none (macOS)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return lambda: None
    trim.argtypes = [ctypes.c_size_t]
    return functools.partial(trim, 0)


def _worker_main(sock: socket.socket) -> None:
    """A worker: clean each page read from `sock` and write the answer back, until EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # glibc keeps the heap a big page grew to; handing it back after each page keeps every
    # worker near its size after preload instead of its size after the largest page so far
    release_free_memory = _memory_trimmer()
    with sock, sock.makefile("rb") as inbox:
        while True:
            header = inbox.read(_HEADER.size)
            if len(header) < _HEADER.size:
                return  # the parent closed its end: the crawl is over
            payload = inbox.read(_HEADER.unpack(header)[0])
            try:
                cleaned = clean_page(*pickle.loads(payload))
            except Exception as exc:  # a page that cannot even be unpickled: report, go on
                cleaned = _failed(f"{type(exc).__name__}: {exc}")
            answer = pickle.dumps(cleaned, protocol=pickle.HIGHEST_PROTOCOL)
            sock.sendall(_HEADER.pack(len(answer)) + answer)
            release_free_memory()


class CleanerPool:
    """Worker processes with a bounded number of pages waiting, so memory does not grow.

    Use inside a running event loop: `await pool.reserve()`, then `await pool.clean(...)` once,
    and `await pool.aclose()` at the end. A worker that dies fails only the pages it held (their
    `Cleaned.error` says so) and is replaced.
    """

    def __init__(self, workers: int = 0) -> None:
        """Plan `workers` processes (0: one per CPU), started on the first `reserve`."""
        self.workers = workers or os.cpu_count() or 1
        # forkserver: workers start from a clean process that has loaded the cleaner once and
        # share its memory, not from a fork of the event loop with its sockets and database.
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["scraper.crawl_preload"])
        self._room = asyncio.Semaphore(self.workers * PAGES_PER_WORKER)
        self._jobs: asyncio.Queue[tuple[bytes, asyncio.Future[Cleaned]]] = asyncio.Queue()
        self._runners: list[asyncio.Task[None]] = []
        self._processes: set[multiprocessing.process.BaseProcess] = set()
        self._closing = False

    async def reserve(self) -> None:
        """Wait until a page may be handed over; pair with one `clean` call."""
        if not self._runners:
            self._runners = [asyncio.create_task(self._run()) for _ in range(self.workers)]
        await self._room.acquire()

    async def clean(
        self,
        html: str | bytes,
        url: str,
        language: str,
        hint: Candidate,
        offset: str | None = None,
        charset: str | None = None,
    ) -> Cleaned:
        """Clean a page in a worker (after `reserve`); a crashed worker is reported, not raised.

        `html` is text, or bytes with the HTTP `charset` (the worker decodes them)."""
        try:
            job = (html, url, language, hint, offset, charset)
            payload = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
            future: asyncio.Future[Cleaned] = asyncio.get_running_loop().create_future()
            self._jobs.put_nowait((payload, future))
            return await future
        finally:
            self._room.release()

    async def aclose(self) -> None:
        """Stop the workers (they finish the page in hand, see their socket close, and exit)."""
        self._closing = True
        for runner in self._runners:
            runner.cancel()
        await asyncio.gather(*self._runners, return_exceptions=True)
        while not self._jobs.empty():
            _, future = self._jobs.get_nowait()
            if not future.done():
                future.set_result(
                    _failed("the crawl stopped before this page was cleaned", unavailable=True)
                )
        await asyncio.to_thread(self._join_all)

    def _join_all(self) -> None:
        for process in list(self._processes):
            process.join(10.0)
            if process.is_alive():
                process.terminate()
                process.join()
            self._processes.discard(process)

    def _spawn(self) -> tuple[multiprocessing.process.BaseProcess, socket.socket]:
        mine, theirs = socket.socketpair()
        process = self._context.Process(target=_worker_main, args=(theirs,), daemon=True)
        try:
            process.start()
        except BaseException:
            mine.close()
            raise
        finally:
            theirs.close()
        self._processes.add(process)
        return process, mine

    async def _run(self) -> None:
        """Keep one worker process running and fed, replacing it when it dies."""
        while not self._closing:
            # starting a process waits for the forkserver's imports: not on the event loop
            try:
                process, sock = await asyncio.to_thread(self._spawn)
            except Exception as exc:  # no worker can start: fail the pages, never wait on them
                await self._fail_pages_while_broken(f"{type(exc).__name__}: {exc}")
                continue
            reader, writer = await asyncio.open_connection(sock=sock)
            held: deque[asyncio.Future[Cleaned]] = deque()
            turns = asyncio.Semaphore(IN_WORKER)
            feeder = asyncio.create_task(self._feed(writer, held, turns))
            try:
                while True:
                    size = _HEADER.unpack(await reader.readexactly(_HEADER.size))[0]
                    answer = pickle.loads(await reader.readexactly(size))
                    future = held.popleft()
                    turns.release()
                    if not future.done():
                        future.set_result(answer)
            except (asyncio.IncompleteReadError, ConnectionError):
                pass  # the worker died
            finally:
                feeder.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await feeder
                writer.close()
                # a worker that died may have been killed by the page it held: that counts
                why = "the crawl stopped" if self._closing else "the cleaner process died"
                while held:
                    future = held.popleft()
                    if not future.done():
                        why_held = f"{why} while it held this page"
                        future.set_result(_failed(why_held, unavailable=self._closing))
            if not self._closing:
                await asyncio.to_thread(self._reap, process)

    async def _fail_pages_while_broken(self, why: str) -> None:
        """Answer waiting pages with an error for a while, then try to start a worker again."""
        deadline = asyncio.get_running_loop().time() + BROKEN_RETRY_SECONDS
        while (left := deadline - asyncio.get_running_loop().time()) > 0:
            try:
                _, future = await asyncio.wait_for(self._jobs.get(), left)
            except TimeoutError:
                return
            if not future.done():
                future.set_result(
                    _failed(f"no cleaner process could start: {why}", unavailable=True)
                )

    def _reap(self, process: multiprocessing.process.BaseProcess) -> int | None:
        process.join(10.0)
        if process.is_alive():
            process.terminate()
            process.join()
        self._processes.discard(process)
        return process.exitcode

    async def _feed(
        self,
        writer: asyncio.StreamWriter,
        held: deque[asyncio.Future[Cleaned]],
        turns: asyncio.Semaphore,
    ) -> None:
        """Send the next pages to one worker, IN_WORKER at a time."""
        while True:
            await turns.acquire()
            payload, future = await self._jobs.get()
            if future.done():  # its caller was cancelled
                turns.release()
                continue
            held.append(future)
            writer.write(_HEADER.pack(len(payload)))
            writer.write(payload)
            await writer.drain()
