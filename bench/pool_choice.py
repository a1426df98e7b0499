"""The cleaner pool's choice, measured: the hand-built `CleanerPool` against the same job on
`concurrent.futures.ProcessPoolExecutor` (forkserver context, the same preload, an initializer,
`max_tasks_per_child`).

    python -m bench.pool_choice [--rounds 2] [--per-host 200]

Prints, alternating the two pools so that a busy spell on the machine hits both, the pages per
second of cleaning alone (the crawl bench's `clean_only`) and of the crawl end to end (the crawl
bench's `crawl_run`, with the pool swapped in its process), on the real AEB pages.

`ExecutorPool` is as close as ProcessPoolExecutor can come to the crawl's pool, and no closer:
it cannot kill the one process that runs a job past its deadline (the executor does not say
which process runs which job), so the cleaning deadline becomes an alarm inside the worker,
which fires only when the cleaner is back in Python code; and a worker that dies breaks the
whole executor, failing every job in flight, where the crawl's pool fails the one page.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import ctypes
import functools
import multiprocessing
import os
import signal
import statistics
from collections.abc import Callable
from typing import Any

from bench import crawl_bench

PAGES_PER_WORKER = 8


def _trim_memory() -> None:
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None).malloc_trim(ctypes.c_size_t(0))


def _on_alarm(signum: int, frame: object) -> None:
    raise TimeoutError("clean_timeout")


def _init_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGALRM, _on_alarm)


def _timed(timeout: float | None, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run one job under an alarm (only Python code sees it), then hand memory back."""
    if timeout:
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return function(*args, **kwargs)
    finally:
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, 0)
        _trim_memory()


class ExecutorPool:
    """The crawl pool's interface (`start`, `reserve`, `run`, `aclose`) on ProcessPoolExecutor."""

    def __init__(self, workers: int = 0, *, job_timeout: float | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.job_timeout = job_timeout
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["scraper.crawl.preload"])
        self._executor = concurrent.futures.ProcessPoolExecutor(
            self.workers,
            mp_context=context,
            initializer=_init_worker,
            max_tasks_per_child=1000,  # a fresh process now and then, in place of a kill
        )
        self._room = asyncio.Semaphore(self.workers * PAGES_PER_WORKER)

    def start(self) -> None:
        """Processes start on the first jobs."""

    async def reserve(self) -> None:
        """Wait until a job may be handed over."""
        await self._room.acquire()

    async def run(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """`function(*args, **kwargs)` in a worker."""
        try:
            loop = asyncio.get_running_loop()
            job = functools.partial(_timed, self.job_timeout, function, *args, **kwargs)
            return await loop.run_in_executor(self._executor, job)
        finally:
            self._room.release()

    async def aclose(self) -> None:
        """Stop the workers."""
        await asyncio.to_thread(self._executor.shutdown, True, cancel_futures=True)


_CRAWL_WITH_EXECUTOR = crawl_bench._CRAWL.replace(
    "from scraper.crawl import run_crawl\n",
    "from scraper.crawl import run_crawl\nimport scraper.crawl.run\n"
    "from bench.pool_choice import ExecutorPool\n"
    "scraper.crawl.run.CleanerPool = ExecutorPool\n",
)


def main(argv: list[str] | None = None) -> int:
    """Alternate the two pools; print each one's runs and median."""
    parser = argparse.ArgumentParser(prog="python -m bench.pool_choice")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--per-host", type=int, default=200, help="pages per host (10 hosts)")
    args = parser.parse_args(argv)
    if not crawl_bench.have_real_pages():
        print(f"pool choice: skipped, {crawl_bench.AEB_DIR} is not there")
        return 0
    from scraper.crawl import cleaner_pool

    pools = {"CleanerPool": cleaner_pool.CleanerPool, "ProcessPoolExecutor": ExecutorPool}
    crawls = {"CleanerPool": crawl_bench._CRAWL, "ProcessPoolExecutor": _CRAWL_WITH_EXECUTOR}
    cleaning: dict[str, list[float]] = {name: [] for name in pools}
    crawling: dict[str, list[float]] = {name: [] for name in pools}
    pages = args.per_host * crawl_bench.HOSTS
    print(f"pool choice: {pages} real pages, {crawl_bench.WORKERS} workers, {args.rounds} rounds")
    for _ in range(args.rounds):
        for name, pool in pools.items():
            rate, _cpu = crawl_bench.clean_only("real", args.per_host, pool=pool)
            cleaning[name].append(rate)
            figures = crawl_bench.crawl_run("real", args.per_host, script=crawls[name])
            crawling[name].append(figures["pages"] / figures["seconds"])
            print(f"  {name:<20} cleaning {rate:6.1f} pages/s, crawl {crawling[name][-1]:6.1f}")
    for label, runs in (("cleaning alone", cleaning), ("crawl end to end", crawling)):
        base = statistics.median(runs["CleanerPool"])
        for name, rates in runs.items():
            shown = ", ".join(f"{r:.1f}" for r in rates)
            median = statistics.median(rates)
            print(
                f"  {label:<17} {name:<20} median {median:6.1f} pages/s ({median / base:.0%});"
                f" runs {shown}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
