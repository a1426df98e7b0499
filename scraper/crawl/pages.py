"""The page stage: a site's due pages fetched in their host lanes, within the run's budget, each
cleaned in a cleaning process and handed to the page sink.

Each host gets `in_flight` workers over its own queue, so a slow host holds up no other. A page
whose host is given up, or whose turn comes after the run's deadline, goes back to its queue and
stays due, with no attempt counted. Fetching goes on while earlier pages are being cleaned: the
cleaning of each is a task of its own (`pending`), bounded by the cleaner pool's room.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import defaultdict, deque
from collections.abc import Callable

from scraper.clock import Clock
from scraper.crawl.budget import Budget, RunHalted
from scraper.crawl.canonical import host_key
from scraper.crawl.cleaner_pool import CleanerPool, WorkerLost
from scraper.crawl.cleaning import CleanedPage, PageToClean, clean_page, utc_offset
from scraper.crawl.config import CrawlSettings, Site
from scraper.crawl.lanes import INLINE_RETRY_MAX_WAIT, HostDown, HostLanes
from scraper.crawl.politeness import PastDeadline
from scraper.crawl.report import Reporter
from scraper.crawl.sink import PageSink
from scraper.crawl.store import PageTask, Store
from scraper.crawl.summary import Summary
from scraper.http.errors import FetchError
from scraper.http.result import FetchResult
from scraper.http.url_check import is_valid_url

Queue = deque[tuple[Site, PageTask]]


class SitePages:
    """Fetches, cleans and sinks the due pages of one site after another."""

    def __init__(
        self,
        settings: CrawlSettings,
        store: Store,
        lanes: HostLanes,
        pool: CleanerPool,
        sink: PageSink,
        *,
        budget: Budget,
        summary: Summary,
        reporter: Reporter,
        clock: Clock,
        halt: Callable[[str], None],
        database_failed: Callable[[sqlite3.Error], None],
    ) -> None:
        """Fetch with these parts; `halt` stops the run, `database_failed` too."""
        self.settings = settings
        self.store = store
        self.lanes = lanes
        self.pool = pool
        self.sink = sink
        self.budget = budget
        self.summary = summary
        self.reporter = reporter
        self.clock = clock
        self.halt = halt
        self.database_failed = database_failed
        self.pending: set[asyncio.Task[None]] = set()  # pages being cleaned
        self._planned = 0
        self._retried: set[str] = set()
        self._offsets: dict[str, str] = {}

    async def run(self, site: Site) -> None:
        """Fetch the site's due pages, each host in its own lanes."""
        if self.budget.stop_reason():
            return
        due = self.store.due(
            site.name,
            now=self.clock.time(),
            limit=self.budget.due_limit(),
        )
        queues: dict[str, Queue] = defaultdict(deque)
        for task in due:
            queues[host_key(task.url)].append((site, task))
        if due or not self._planned:
            self._planned += len(due)
            self.reporter.planned(self._planned)
        await asyncio.gather(
            *(
                self._lane(host, queue)
                for host, queue in queues.items()
                for _ in range(site.in_flight)
            )
        )
        if (reason := self.budget.stop_reason()) and any(queues.values()):
            self.summary.stopped = reason
        for host, queue in queues.items():
            self.lanes.left(host, len(queue))

    async def drain(self) -> None:
        """Wait for every page being cleaned."""
        while self.pending:
            await asyncio.gather(*self.pending)

    async def abandon(self) -> None:
        """Cancel the cleaning in hand (at the run's deadline): those pages stay due."""
        for job in self.pending:
            job.cancel()
        await asyncio.gather(*self.pending, return_exceptions=True)

    async def _lane(self, host: str, queue: Queue) -> None:
        while queue and not self.lanes.is_down(host) and not self.budget.stop_reason():
            site, task = queue.popleft()
            try:
                if not await self._visit(host, site, task, queue):
                    return
            except sqlite3.Error as error:
                self.database_failed(error)
                return
            except Exception as error:  # one page never stops the run
                self._crashed(task, error)

    async def _visit(self, host: str, site: Site, task: PageTask, queue: Queue) -> bool:
        """Take one page through robots.txt to its fetch; False when this lane must stop."""
        if not is_valid_url(task.url):
            self.sink.failed(task, "invalid_url", transient=False)
            return True
        if not site.allows(task.url):  # found before its site's prefixes changed
            self.sink.not_allowed(task)
            return True
        try:
            await self.lanes.robots(task.url, site)
        except (HostDown, PastDeadline):
            queue.appendleft((site, task))
            return False
        rules = self.lanes.rules(task.url)
        if rules is not None and not rules.parser.can_fetch(task.url, self.lanes.user_agent):
            if rules.reachable:
                self.sink.disallowed(task)
                return True
            queue.appendleft((site, task))
            return False
        if not self.budget.take():
            queue.appendleft((site, task))
            return False
        return await self._fetch(site, task, queue)

    async def _fetch(self, site: Site, task: PageTask, queue: Queue) -> bool:
        try:
            result = await self.lanes.request(task.url, site, kind="html")
        except (HostDown, PastDeadline):
            queue.appendleft((site, task))
            self.budget.give_back()
            return False
        except FetchError as error:
            wait = error.retry_after
            short = wait is not None and wait <= INLINE_RETRY_MAX_WAIT
            # a page requested counts as fetched whatever the answer; the first try of an
            # inline retry does not (its retry will)
            if not (error.transient and short and task.url not in self._retried):
                self.summary.fetched += 1
            if error.transient and wait is not None and wait > INLINE_RETRY_MAX_WAIT:
                self.sink.deferred(task, wait)  # the host's fault: no attempt counted
                self.budget.give_back()
                return False
            if error.transient and short and task.url not in self._retried:
                self._retried.add(task.url)  # the host's lane waits out Retry-After first
                queue.append((site, task))
                self.budget.give_back()
                return True
            self.sink.failed(task, error.summary_reason, transient=error.transient)
            return True
        self.summary.fetched += 1
        self.summary.fetched_ok += 1
        await self.pool.reserve()
        job = asyncio.create_task(self._finish(site, task, result))
        self.pending.add(job)
        job.add_done_callback(self.pending.discard)
        return True

    async def _finish(self, site: Site, task: PageTask, result: FetchResult) -> None:
        try:
            await self._judge(site, task, result)
        except RunHalted:
            pass
        except sqlite3.Error as error:
            self.database_failed(error)
        except Exception as error:  # one page never stops the run
            self._crashed(task, error)

    async def _judge(self, site: Site, task: PageTask, result: FetchResult) -> None:
        """Clean a fetched page and commit what it is (article, duplicate, skipped, failed)."""
        page = PageToClean(
            body=result.content,  # the bytes: the worker decodes them, and bytes pickle cheaply
            url=result.final_url,
            charset=result.charset,
            language=site.language,
            hint=task.hint,
            offset=self._offset(site.timezone),
        )
        failure: tuple[str, str] | None = None
        try:
            cleaned: CleanedPage = await self.pool.run(clean_page, page)
        except WorkerLost as lost:
            if lost.unavailable:  # never judged: the page stays due, no attempt counted
                self.halt(f"no cleaning: {lost}")
                return
            failure = ("clean_timeout" if lost.timed_out else "cleaner_error", str(lost))
        except Exception as error:  # the cleaner promises not to raise; it did, on this page
            failure = ("cleaner_error", f"{type(error).__name__}: {error}")
        # from here to the commit nothing awaits: a kill leaves the record last in its file
        warc_record = self.sink.record_answer(result, task)
        if failure is not None:
            why, detail = failure
            self.sink.failed(task, why, transient=True, warc_record=warc_record)
            self.reporter.note(f"{why} on {task.url}: {detail}")
        elif cleaned.has_body:
            self.sink.article(site, task, result, cleaned, warc_record)
        else:
            self.sink.no_article(site, task, cleaned, warc_record)

    def _crashed(self, task: PageTask, error: Exception) -> None:
        try:
            self.sink.crashed(task, error)
        except sqlite3.Error as db_error:
            self.database_failed(db_error)

    def _offset(self, timezone: str) -> str:
        """The zone's UTC offset, computed once per run (a run lasts minutes, not seasons)."""
        offset = self._offsets.get(timezone)
        if offset is None:
            offset = self._offsets[timezone] = utc_offset(timezone, self.clock.time())
        return offset
