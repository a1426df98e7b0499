"""One run of the scheduled crawl: its parts put together, each with one job.

```
sources (feeds, sitemaps) --discovery--> store (pages due) --pages--> host lanes (fetch)
    --> cleaner pool (clean, in processes) --> page sink (WARC record, commit, JSON Lines line)
```

- `discovery.SiteDiscovery` reads each site's sources and records the new URLs;
- `pages.SitePages` fetches the due pages in their `lanes.HostLanes`, has them cleaned in the
  `cleaner_pool.CleanerPool`, and hands each outcome to the `sink.PageSink`;
- `budget.Budget` says whether to go on (pages left, the deadline, a halt);
- `summary.Summary` is only written to, and read once the run is over.

Each site goes on to its pages as soon as its own sources are read, whatever another site's are
doing. Nothing one URL does can stop the run: every error while handling a URL fails that URL
with a reason. `max_runtime` is a hard deadline: at it, whatever is in flight is abandoned and
stays due. The caller holds the crawl lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import signal
import sqlite3
import sys
from collections.abc import Callable, Coroutine, Iterator

from scraper.clock import SYSTEM_CLOCK, Clock
from scraper.crawl.budget import Budget
from scraper.crawl.cleaner_pool import CleanerPool
from scraper.crawl.config import Config, Site
from scraper.crawl.discovery import SiteDiscovery
from scraper.crawl.lanes import HostLanes
from scraper.crawl.outputs import CrawlOutputs, OutputError
from scraper.crawl.pages import SitePages
from scraper.crawl.report import Reporter, SilentReporter
from scraper.crawl.sink import PageSink
from scraper.crawl.store import Store
from scraper.crawl.summary import Summary

__all__ = ["OutputError", "run_crawl"]


def run_crawl(
    config: Config,
    reporter: Reporter | None = None,
    *,
    clock: Clock = SYSTEM_CLOCK,
    retry: tuple[str, ...] = (),
    stop_on_signals: bool = False,
) -> Summary:
    """Run one crawl of `config` and return its summary (the caller holds the lock).

    `retry` ("failed", "skipped") brings those pages back first, due now. With
    `stop_on_signals` (the command line), SIGINT and SIGTERM stop the run as its deadline
    would: what is in flight stays due, what was stored stays, `summary.interrupted` says which.
    """
    _fail_fast_without_sniffio()
    crawl = Crawl(config, reporter or SilentReporter(), clock, retry=retry)
    with asyncio.Runner(loop_factory=_event_loop_factory()) as runner:
        return runner.run(crawl.run(stop_on_signals=stop_on_signals))


class Crawl:
    """One run: opens the store, the outputs and the cleaner pool, crawls every site, closes."""

    def __init__(
        self, config: Config, reporter: Reporter, clock: Clock, *, retry: tuple[str, ...] = ()
    ) -> None:
        """Plan a run of `config`; its deadline starts now."""
        self.config = config
        self.retry = retry
        self.settings = config.crawl
        self.reporter = reporter
        self.clock = clock
        self.summary = Summary()
        self.budget = Budget(self.settings.max_pages, self.settings.max_runtime, clock)

    def halt(self, why: str) -> None:
        """Stop fetching: pages in hand are finished, the rest waits for the next run."""
        why = " ".join(why.split())  # one line, whatever the exception's message held
        if self.budget.halt(why):
            self.summary.halted.append(why)
            self.reporter.note(f"stopping: {why}")

    def database_failed(self, error: sqlite3.Error) -> None:
        """A full, read-only or broken database: stop; what was committed stays."""
        self.halt(f"cannot write the database {self.settings.db}: {error}")

    async def run(self, *, stop_on_signals: bool = False) -> Summary:
        """Crawl every site; return the summary."""
        s = self.settings
        store = Store(s.db)
        for what in self.retry:
            back = store.retry(what, [site.name for site in self.config.sites])
            self.summary.brought_back += back
            self.reporter.note(f"--retry {what}: {back} pages due again")
        outputs = CrawlOutputs(s, store, halt=self.halt, note=self.reporter.note)
        try:
            outputs.open()
        except OutputError:
            store.close()
            raise
        pool = CleanerPool(s.workers, job_timeout=s.clean_timeout)
        pool.start()  # the workers boot while robots.txt and the feeds are fetched
        lanes = HostLanes(
            s,
            self.config.sites,
            budget=self.budget,
            reporter=self.reporter,
            record=outputs.record,
            clock=self.clock,
        )
        sink = PageSink(
            s, store, outputs, summary=self.summary, reporter=self.reporter, clock=self.clock
        )
        discovery = SiteDiscovery(
            s,
            store,
            lanes,
            pool,
            budget=self.budget,
            summary=self.summary,
            reporter=self.reporter,
            clock=self.clock,
            halt=self.halt,
            database_failed=self.database_failed,
        )
        pages = SitePages(
            s,
            store,
            lanes,
            pool,
            sink,
            budget=self.budget,
            summary=self.summary,
            reporter=self.reporter,
            clock=self.clock,
            halt=self.halt,
            database_failed=self.database_failed,
        )

        async def crawl_site(site: Site) -> None:
            try:
                await discovery.run(site)
                await pages.run(site)
            except sqlite3.Error as error:
                self.database_failed(error)
            except Exception as error:  # a bug, not a page's doing: this site stops, not the run
                self.halt(f"{site.name}: unexpected error: {type(error).__name__}: {error}")

        signals = _stop_on_signals(self.budget) if stop_on_signals else contextlib.nullcontext()
        try:
            with signals:
                await self._crawl_sites(crawl_site, outputs, pages)
        finally:
            if self.budget.interrupted:
                self.summary.interrupted = self.budget.interrupted
            elif self.budget.ran_out:
                self.summary.stopped = "max-runtime"
            await pages.abandon()  # only at the deadline: pages in hand stay due
            lanes.report(self.summary)
            await lanes.aclose()
            await pool.aclose()
            outputs.close()
            store.close()
        return self.summary

    async def _crawl_sites(
        self,
        crawl_site: Callable[[Site], Coroutine[None, None, None]],
        outputs: CrawlOutputs,
        pages: SitePages,
    ) -> None:
        try:
            async with self.budget.enforced():
                outputs.catch_up()
                await asyncio.gather(*(crawl_site(site) for site in self.config.sites))
                await pages.drain()
        except sqlite3.Error as error:
            self.database_failed(error)


@contextlib.contextmanager
def _stop_on_signals(budget: Budget) -> Iterator[None]:
    """While inside, SIGINT and SIGTERM interrupt the run (as its deadline does) instead of
    killing the process mid-write; a second one of either acts at once (the default)."""
    loop = asyncio.get_running_loop()
    caught = (signal.SIGINT, signal.SIGTERM)

    def interrupt(signum: signal.Signals) -> None:
        for each in caught:
            loop.remove_signal_handler(each)
        budget.interrupt(signum.name)

    for signum in caught:
        loop.add_signal_handler(signum, interrupt, signum)
    try:
        yield
    finally:
        for signum in caught:
            loop.remove_signal_handler(signum)


def _event_loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's event loop where it is installed (not on Windows): the crawl's loop spends
    about 15% less CPU per page on it (`python -m bench.crawl_bench`). None: asyncio's own."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def _fail_fast_without_sniffio() -> None:
    """Make httpcore's per-call `import sniffio` fail at once when sniffio is not installed.

    httpcore runs `import sniffio` (inside try/except ImportError) for every lock and shield it
    creates, six times per request. Without sniffio (recent anyio no longer pulls it in) every
    one of those imports searches sys.path again: ~130 µs of stat calls each, about 1 ms of the
    event loop's time per page. A None entry makes the import fail in a microsecond, with the
    same outcome (httpcore then assumes asyncio, which is what the crawl runs on).
    """
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]
