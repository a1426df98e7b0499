"""The scheduled crawl: sources → new URLs → polite fetching → cleaning → the store and sinks.

One run: read every feed and sitemap of every site (conditionally, so an unchanged one costs a
304), record the new URLs, then fetch the pages that are due, host by host, each host in its own
lane so a slow or dead one holds up nobody else. Fetching runs on one asyncio loop; cleaning (and
parsing feeds and sitemaps) runs in a process pool. Each article is committed on its own, then
appended to the JSON Lines file. The caller holds the crawl lock.

Nothing one URL does can stop the run: every error while handling a URL fails that URL with a
reason. Every request stays on the hosts the site's configuration names (scraper.http.host_scope).
`max_runtime` is a hard deadline: at it, whatever is in flight is abandoned and stays due.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import sqlite3
import sys
import time
from collections import Counter, defaultdict, deque
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Protocol

from scraper.crawl.canonical import canonical_url, host_key
from scraper.crawl.cleaner_pool import Cleaned, CleanerPool, WorkerLost
from scraper.crawl.config import Config, Site
from scraper.crawl.outputs import CrawlOutputs, OutputError
from scraper.crawl.politeness import HostGate, PastDeadline
from scraper.crawl.sources import Candidate, Discovery, DiscoveryError, parse_source
from scraper.crawl.store import GONE, NO_BODY, SKIPPED_LANGUAGE, PageTask, Store, Validators
from scraper.crawl.summary import Summary
from scraper.http.async_fetcher import AsyncFetcher
from scraper.http.errors import ConnectFailed, FetchError, FetchTimeout, OffsiteURL
from scraper.http.host_scope import HostScope, host_key_of
from scraper.http.result import FetchResult
from scraper.http.robots import RobotsCache
from scraper.http.settings import DEFAULT_USER_AGENT, FetchSettings
from scraper.http.url_check import is_valid_url
from scraper.redact import redact, without_userinfo

__all__ = ["OutputError", "Reporter", "SilentReporter", "run_crawl"]

HOST_FAILURE_LIMIT = 3  # consecutive timeouts or refused connections before a host is given up
INLINE_RETRY_MAX_WAIT = 30.0  # a Retry-After this short is waited out within the run
DUE_LIMIT = 10_000  # pages taken per site per run when --max-pages is not set


class Reporter(Protocol):
    """Where the crawl tells a person how it is going (progress bar or log lines)."""

    def planned(self, pages: int) -> None:
        """The number of pages due for fetching is known."""

    def page(self, url: str, outcome: str) -> None:
        """One page is done: stored, duplicate, skipped, failed…"""

    def note(self, message: str) -> None:
        """Something worth one log line (a failed source, a host given up)."""


class SilentReporter:
    """A reporter that says nothing (library use and tests)."""

    def planned(self, pages: int) -> None:
        """Ignore."""

    def page(self, url: str, outcome: str) -> None:
        """Ignore."""

    def note(self, message: str) -> None:
        """Ignore."""


class _HostDown(Exception):
    """The host was given up in this run; the page was not attempted."""


class _Halted(Exception):
    """The run is stopping (a halt): the page was not judged and stays due."""


def utc_offset(timezone: str) -> str:
    """The zone's UTC offset now, as "+07:00" (Vietnam keeps one all year)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    delta = datetime.now(ZoneInfo(timezone)).utcoffset()
    minutes = int(delta.total_seconds() // 60) if delta else 0
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def run_crawl(config: Config, reporter: Reporter | None = None) -> Summary:
    """Run one crawl of `config` and return its summary (the caller holds the lock)."""
    _fail_fast_without_sniffio()
    with asyncio.Runner(loop_factory=_event_loop_factory()) as runner:
        return runner.run(_Crawl(config, reporter or SilentReporter()).run())


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


class _Crawl:
    def __init__(self, config: Config, reporter: Reporter) -> None:
        self.config = config
        self.settings = config.crawl
        self.reporter = reporter
        self.summary = Summary()
        self.gates: dict[str, HostGate] = {}
        self.robots_locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.host_failures: Counter[str] = Counter()
        self.retried: set[str] = set()
        self.pending: set[asyncio.Task[None]] = set()
        self.budget = self.settings.max_pages
        self.deadline = (
            time.monotonic() + self.settings.max_runtime if self.settings.max_runtime else None
        )
        self.user_agent = self.settings.user_agent or DEFAULT_USER_AGENT
        self._pool: CleanerPool | None = None
        self.robots_cache = RobotsCache()
        self.fetchers: dict[str, AsyncFetcher] = {}
        self.offsets: dict[str, str] = {}
        self.scopes = {
            site.name: HostScope.for_site(
                (*site.feeds, *site.sitemaps, *site.allow), site.follow_hosts
            )
            for site in config.sites
        }
        self.offsite_hosts: set[str] = set()
        self.planned = 0
        self.left_by_host: Counter[str] = Counter()
        self._timeout: asyncio.Timeout | None = None

    async def run(self) -> Summary:
        s = self.settings
        self.global_limit = asyncio.Semaphore(s.concurrency)
        self.store = Store(s.db)
        self.outputs = CrawlOutputs(s, self.store, halt=self.halt, note=self.reporter.note)
        try:
            self.outputs.open()
        except OutputError:
            self.store.close()
            raise
        self.pool().start()  # the workers boot while robots.txt and the feeds are fetched
        self.fetch_settings = FetchSettings(
            connect_timeout=min(5.0, s.timeout),
            read_timeout=min(10.0, s.timeout),
            total_timeout=s.timeout,
            user_agent=self.user_agent,
            retries=0,  # retries are the crawl's: later runs, or after the host's Retry-After
        )
        try:
            async with self.run_deadline():
                self.outputs.catch_up()
                await asyncio.gather(*(self.crawl_site(site) for site in self.config.sites))
                while self.pending:
                    await asyncio.gather(*self.pending)
        except sqlite3.Error as error:
            self.database_failed(error)
        finally:
            for host, left in sorted(self.left_by_host.items()):
                if host in self.summary.failed_hosts:
                    self.summary.failed_hosts[host] += f"; {left} pages left for the next run"
            for job in self.pending:
                job.cancel()  # only at the deadline: pages in hand stay due
            await asyncio.gather(*self.pending, return_exceptions=True)
            for fetcher in self.fetchers.values():
                await fetcher.aclose()
            if self._pool is not None:
                await self._pool.aclose()
            self.outputs.close()
            self.store.close()
        return self.summary

    @contextlib.asynccontextmanager
    async def run_deadline(self) -> AsyncIterator[None]:
        """Cancel everything still running at the run's deadline (`max_runtime`)."""
        if self.deadline is None:
            yield
            return
        loop = asyncio.get_running_loop()
        self._timeout = asyncio.timeout_at(loop.time() + self.deadline - time.monotonic())
        try:
            async with self._timeout:
                yield
        except TimeoutError:
            if not self._timeout.expired():
                raise
            self.summary.stopped = "max-runtime"

    def past_deadline(self) -> bool:
        """True once the run's deadline has come (its timeout fired, or the clock says so)."""
        if self._timeout is not None and self._timeout.expired():
            return True
        return self.deadline is not None and time.monotonic() >= self.deadline

    async def crawl_site(self, site: Site) -> None:
        """Discover the site's new pages, then fetch its due pages: each site goes on to its
        pages as soon as its own sources are read, whatever another site's are doing."""
        try:
            await self.discover(site)
            await self.fetch_pages(site)
        except sqlite3.Error as error:
            self.database_failed(error)
        except Exception as error:  # a bug, not a page's doing: this site stops, not the run
            self.halt(f"{site.name}: unexpected error: {type(error).__name__}: {error}")

    # --- requests, politely ---------------------------------------------------------------

    def fetcher(self, host: str, site: Site) -> AsyncFetcher:
        """The host's own client: its keep-alive connections are never evicted by another host's,
        and httpcore's per-request scan of the pool's connections stays as short as `in_flight`.
        All of them share one robots.txt cache, and write every response to the WARC archive
        (a page's own answer is written by `finish`, just before the page's commit)."""
        fetcher = self.fetchers.get(host)
        if fetcher is None:
            # one more connection than requests in flight: a redirect to another host (and its
            # robots.txt) never has to wait for, or close, one of this host's connections
            limit = max(site.in_flight, 1) + 1
            settings = replace(self.fetch_settings, max_connections=limit)
            fetcher = self.fetchers[host] = AsyncFetcher(
                settings,
                robots=self.robots_cache,
                on_response=self.outputs.record,
                record_pages=False,
            )
        return fetcher

    def gate(self, host: str, site: Site) -> HostGate:
        gate = self.gates.get(host)
        if gate is None:
            gate = self.gates[host] = HostGate(site.delay, site.in_flight, self.deadline)
        else:
            gate.raise_delay(site.delay)
        return gate

    async def robots(self, url: str, site: Site, gate: HostGate) -> None:
        """Fetch the host's robots.txt once, under its politeness, and apply Crawl-delay."""
        host = host_key(url)
        if self.robots_cache.get(url) is not None:
            return  # the usual case, once per page: no lock to take
        async with self.robots_locks[host]:
            if self.robots_cache.get(url) is not None or host in self.summary.failed_hosts:
                return
            async with gate.slot(self.global_limit):
                await self.fetcher(host, site).robots_for(url, self.scopes[site.name])
            rules = self.robots_cache.get(url)
            if rules is None:  # no answer at all: the fetcher keeps no rules, the host is down
                self.give_up(host, "no answer to robots.txt (connection failed or timed out)")
                return
            gate.raise_delay(rules.parser.crawl_delay(self.user_agent))
            if not rules.reachable:
                if rules.error is not None:
                    answer = rules.error.message
                else:
                    answer = f"HTTP {rules.status}" if rules.status else "no answer"
                self.give_up(host, f"robots.txt unreachable ({answer})")

    async def request(
        self, url: str, site: Site, *, kind: str, validators: Validators | None = None
    ) -> FetchResult:
        scope = self.scopes[site.name]
        if not scope.allows(url):
            self.skipped_offsite(site, url)
            raise OffsiteURL("a host this site's configuration does not name", url=url)
        host = host_key(url)
        gate = self.gate(host, site)
        await self.robots(url, site, gate)
        if host in self.summary.failed_hosts:
            raise _HostDown(host)
        async with gate.slot(self.global_limit):
            if host in self.summary.failed_hosts:
                raise _HostDown(host)
            try:
                result = await self.fetcher(host, site).fetch(
                    scope.with_credentials(url),
                    kind=kind,
                    etag=validators.etag if validators else None,
                    last_modified=validators.last_modified if validators else None,
                    scope=scope,
                )
            except FetchError as error:
                if error.retry_after is not None:
                    if error.retry_after > INLINE_RETRY_MAX_WAIT:
                        self.give_up(
                            host,
                            f"asked to come back in {error.retry_after:.0f} s (Retry-After);"
                            " left for a later run",
                        )
                    else:
                        gate.defer(error.retry_after)
                if isinstance(error, FetchTimeout | ConnectFailed):
                    self.host_failures[host] += 1
                    if self.host_failures[host] >= HOST_FAILURE_LIMIT:
                        self.give_up(host, f"{_reason(error)} {HOST_FAILURE_LIMIT} times in a row")
                raise
        self.host_failures[host] = 0
        return result

    def skipped_offsite(self, site: Site, url: str) -> None:
        """Count a URL not requested because its host is not the site's; note each host once."""
        self.summary.offsite += 1
        key = host_key_of(url)
        shown = f"{key[0]}:{key[1]}" if key and key[1] else (key[0] if key else "?")
        if shown not in self.offsite_hosts:
            self.offsite_hosts.add(shown)
            self.reporter.note(
                f"{site.name}: not requesting {redact(url)}: {shown} is not one of the site's"
                " hosts (add it to follow_hosts to allow it)"
            )

    def halt(self, why: str) -> None:
        """Stop fetching: pages in hand are finished, the rest waits for the next run."""
        why = " ".join(why.split())  # one line, whatever the exception's message held
        if why not in self.summary.halted:
            self.summary.halted.append(why)
            self.reporter.note(f"stopping: {why}")

    def database_failed(self, error: sqlite3.Error) -> None:
        """A full, read-only or broken database: stop; what was committed stays."""
        self.halt(f"cannot write the database {self.settings.db}: {error}")

    def give_up(self, host: str, why: str) -> None:
        if host not in self.summary.failed_hosts:
            self.summary.failed_hosts[host] = why
            self.reporter.note(f"giving up {host} for this run: {why}")

    def stop_reason(self) -> str | None:
        if self.summary.halted:
            return "halted"
        if self.budget is not None and self.budget <= 0:
            return "max-pages"
        if self.past_deadline():
            return "max-runtime"
        return None

    # --- discovery ------------------------------------------------------------------------

    async def discover(self, site: Site) -> None:
        queue: deque[tuple[str, str | None]] = deque((u, None) for u in site.feeds + site.sitemaps)
        if site.robots_sitemaps:
            queue.extend((u, None) for u in await self.robots_sitemaps(site))
        seen: set[str] = set()
        children = 0
        while queue and not self.stop_reason():
            url, parent = queue.popleft()
            if url in seen:
                continue
            seen.add(url)
            try:
                more = await self.read_source(site, url, parent)
            except sqlite3.Error as error:
                self.database_failed(error)
                return
            except _Halted:
                return
            except Exception as error:  # one source never stops the run
                self.source_failed(site, url, f"unexpected_error ({type(error).__name__}: {error})")
                continue
            except asyncio.CancelledError:
                if self.past_deadline():
                    self.source_unread(site, url, "cut off by max-runtime")
                raise
            more = more[: max(0, self.settings.max_sitemaps - children)]
            children += len(more)
            queue.extend((child, url) for child in more)

    async def robots_sitemaps(self, site: Site) -> list[str]:
        """The `Sitemap:` lines of the robots.txt of the site's hosts that stay on them."""
        found: list[str] = []
        origins = dict.fromkeys(_origin(u) for u in site.feeds + site.sitemaps + site.allow)
        for origin in origins:
            try:
                await self.robots(origin + "/", site, self.gate(host_key(origin), site))
            except (FetchError, PastDeadline):
                continue
            rules = self.robots_cache.get(origin + "/")
            for url in rules.parser.sitemaps if rules else ():
                if not is_valid_url(url):
                    self.source_failed(site, redact(url), "invalid_url (robots.txt Sitemap: line)")
                elif not self.scopes[site.name].allows(url):
                    self.skipped_offsite(site, url)
                else:
                    found.append(url)
        return found

    async def read_source(self, site: Site, url: str, parent: str | None) -> list[str]:
        """Read one feed or sitemap; return the child sitemaps to read next, in rotation order."""
        key = without_userinfo(url)
        if not is_valid_url(url):
            self.source_failed(site, key, "invalid_url")
            return []
        if not self.scopes[site.name].allows(url):
            self.skipped_offsite(site, url)
            return []
        try:
            result = await self.request(
                url, site, kind="xml", validators=self.store.source_validators(key)
            )
        except (FetchError, _HostDown, PastDeadline) as error:
            if isinstance(error, PastDeadline):  # not tried: the run ends before the host's turn
                self.source_unread(site, key, f"the host's {error}, after max-runtime")
                return []
            why = _reason(error) if isinstance(error, FetchError) else "host given up"
            self.store.source_tried(key, site.name, now=time.time(), answered=False)
            if not isinstance(error, OffsiteURL) or error.status is not None:
                self.source_failed(site, key, why)
            return []
        if result.not_modified:
            self.summary.sources_unchanged += 1
            self.store.source_tried(key, site.name, now=time.time(), answered=True)
            return self.store.children_of(key)
        try:
            found = await self.parse(result, site)
        except DiscoveryError as error:
            self.store.source_tried(key, site.name, now=time.time(), answered=False)
            self.source_failed(site, key, str(error))
            return []
        self.summary.sources_changed += 1
        fresh, other_language, invalid = self.sort_candidates(site, found.candidates)
        known = self.store.known(c.url for c in (*other_language, *invalid))
        self.summary.skipped_language += sum(c.url not in known for c in other_language)
        rejected = sum(c.url not in known for c in invalid)
        validators = Validators(result.headers.get("etag"), result.headers.get("last-modified"))
        children = [
            (without_userinfo(child), lastmod)
            for child, lastmod in zip(found.sitemaps, found.lastmods, strict=True)
        ]
        self.store.record_source(
            key,
            site.name,
            validators,
            fresh,
            other_language,
            now=time.time(),
            parent=parent,
            children=children,
            rejected=invalid,
        )
        if rejected:
            self.summary.failed["invalid_url"] += rejected
            self.reporter.note(f"{site.name} {key}: {rejected} entries with an invalid URL")
        return self.store.children_of(key)

    async def parse(self, result: FetchResult, site: Site) -> Discovery:
        """Parse a feed or sitemap in a worker process: a large one takes seconds of CPU, and a
        hostile one is stopped at the cleaning deadline like a page."""
        pool = self.pool()
        await pool.reserve()
        try:
            return await pool.run(
                parse_source, result.content, result.final_url, timezone=site.timezone
            )
        except WorkerLost as lost:
            if lost.unavailable:
                self.halt(f"no cleaning process: {lost}")
                raise _Halted from None
            raise DiscoveryError(str(lost)) from None

    def sort_candidates(
        self, site: Site, candidates: tuple[Candidate, ...]
    ) -> tuple[list[Candidate], list[Candidate], list[Candidate]]:
        """Canonical, allowed, unique candidates: those to fetch, those in another language, and
        those whose URL cannot be requested (recorded as `invalid_url`)."""
        unique: dict[str, Candidate] = {}
        invalid: dict[str, Candidate] = {}
        for candidate in candidates:
            if not is_valid_url(candidate.url):
                shown = redact(candidate.url)[:2048]
                invalid.setdefault(shown, replace(candidate, url=shown))
                continue
            url = canonical_url(candidate.url)
            if url not in unique and site.allows(url):
                unique[url] = replace(candidate, url=url)
            if len(unique) >= self.settings.max_urls_per_source:
                break
        fresh: list[Candidate] = []
        other: list[Candidate] = []
        for candidate in unique.values():
            foreign = candidate.language and candidate.language != site.language
            (other if foreign else fresh).append(candidate)
        return fresh, other, list(invalid.values())

    def source_unread(self, site: Site, url: str, why: str) -> None:
        """A source the run's deadline kept from being read; the next run reads it."""
        url = redact(url)
        self.summary.unread_sources.append(f"{site.name} {url}: {why}")
        self.reporter.note(f"source not read: {site.name} {url}: {why}")

    def source_failed(self, site: Site, url: str, why: str) -> None:
        url = redact(url)
        self.summary.failed_sources.append(f"{site.name} {url}: {why}")
        self.reporter.note(f"source failed: {site.name} {url}: {why}")

    # --- pages ----------------------------------------------------------------------------

    async def fetch_pages(self, site: Site) -> None:
        """Fetch the site's due pages, each host in its own lanes."""
        if self.stop_reason():
            return
        limit = self.budget if self.budget is not None else DUE_LIMIT
        lanes: dict[str, deque[tuple[Site, PageTask]]] = defaultdict(deque)
        due = self.store.due(
            site.name, now=time.time(), max_attempts=self.settings.max_attempts, limit=limit
        )
        for task in due:
            lanes[host_key(task.url)].append((site, task))
        if due or not self.planned:
            self.planned += len(due)
            self.reporter.planned(self.planned)
        workers = [
            self.lane_worker(host, queue)
            for host, queue in lanes.items()
            for _ in range(site.in_flight)
        ]
        await asyncio.gather(*workers)
        if (reason := self.stop_reason()) and any(lanes.values()):
            self.summary.stopped = reason
        for host, queue in lanes.items():
            self.left_by_host[host] += len(queue)

    async def lane_worker(self, host: str, queue: deque[tuple[Site, PageTask]]) -> None:
        while queue and host not in self.summary.failed_hosts and not self.stop_reason():
            site, task = queue.popleft()
            try:
                if not await self.visit(host, site, task, queue):
                    return
            except sqlite3.Error as error:
                self.database_failed(error)
                return
            except Exception as error:  # one page never stops the run
                self.page_crashed(task, error)

    async def visit(
        self, host: str, site: Site, task: PageTask, queue: deque[tuple[Site, PageTask]]
    ) -> bool:
        """Take one page through robots.txt to its fetch; False when this lane must stop."""
        if not is_valid_url(task.url):
            self.page_failed(task, "invalid_url", transient=False)
            return True
        try:
            await self.robots(task.url, site, self.gate(host, site))
        except (_HostDown, PastDeadline):
            queue.appendleft((site, task))
            return False
        rules = self.robots_cache.get(task.url)
        if rules is not None and not rules.parser.can_fetch(task.url, self.user_agent):
            if rules.reachable:
                self.store.mark(task.url, GONE, "robots.txt disallows")
                self.summary.skipped_robots += 1
                self.reporter.page(task.url, "robots")
                return True
            queue.appendleft((site, task))
            return False
        if self.budget is not None:
            self.budget -= 1
        return await self.fetch_page(site, task, queue)

    async def fetch_page(
        self, site: Site, task: PageTask, queue: deque[tuple[Site, PageTask]]
    ) -> bool:
        try:
            result = await self.request(task.url, site, kind="html")
        except (_HostDown, PastDeadline):
            queue.appendleft((site, task))
            if self.budget is not None:
                self.budget += 1
            return False
        except FetchError as error:
            ra = error.retry_after
            if error.transient and ra is not None and ra > INLINE_RETRY_MAX_WAIT:
                self.store.defer(task.url, time.time() + ra)  # the host's fault: no attempt
                if self.budget is not None:
                    self.budget += 1
                return False
            short = ra is not None and ra <= INLINE_RETRY_MAX_WAIT
            if error.transient and short and task.url not in self.retried:
                self.retried.add(task.url)  # the host gate waits out Retry-After first
                queue.append((site, task))
                if self.budget is not None:
                    self.budget += 1
                return True
            self.page_failed(task, _reason(error), transient=error.transient)
            return True
        self.summary.fetched += 1
        pool = self.pool()
        await pool.reserve()
        job = asyncio.create_task(self.finish(site, task, result, pool))
        self.pending.add(job)
        job.add_done_callback(self.pending.discard)
        return True

    async def finish(
        self, site: Site, task: PageTask, result: FetchResult, pool: CleanerPool
    ) -> None:
        try:
            await self.judge(site, task, result, pool)
        except _Halted:
            pass
        except sqlite3.Error as error:
            self.database_failed(error)
        except Exception as error:  # one page never stops the run
            self.page_crashed(task, error)

    async def judge(
        self, site: Site, task: PageTask, result: FetchResult, pool: CleanerPool
    ) -> None:
        """Clean a fetched page and commit what it is (article, duplicate, skipped, failed)."""
        # the bytes, not the text: the worker decodes them (and pickling bytes costs nothing)
        cleaned = await pool.clean(
            result.content,
            result.final_url,
            site.language,
            task.hint,
            self.offset(site.timezone),
            result.charset,
        )
        if cleaned.unavailable:  # the page was never judged: it stays due, no attempt counted
            self.halt(f"no cleaning: {cleaned.error}")
            return
        # from here to the commit nothing awaits: a kill leaves the record last in its file
        warc_record = self.record_page(result, task)
        if cleaned.timed_out:
            self.page_failed(task, "clean_timeout", transient=True, warc_record=warc_record)
            self.reporter.note(f"clean_timeout on {task.url}: {cleaned.error}")
            return
        if cleaned.error:
            self.page_failed(task, "cleaner_error", transient=True, warc_record=warc_record)
            self.reporter.note(f"cleaner error on {task.url}: {cleaned.error}")
            return
        if not cleaned.has_body:
            self.no_article(site, task, cleaned, warc_record)
            return
        stored = self.store.store_article(
            task.url,
            site.name,
            cleaned.article,
            content_hash=cleaned.content_hash,
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            validators=Validators(result.headers.get("etag"), result.headers.get("last-modified")),
            also=self.same_page_urls(task, cleaned),
            warc_record=warc_record,
        )
        if stored is None:
            self.summary.duplicates += 1
            self.reporter.page(task.url, "duplicate")
            return
        self.summary.new += 1
        self.outputs.article_stored(*stored)  # only after the commit
        self.reporter.page(task.url, "stored")

    def record_page(self, result: FetchResult, task: PageTask) -> str | None:
        """Write the page's answer to the WARC archive, just before its commit."""
        may_commit, record_id = self.outputs.record_page(result, task.url)
        if not may_commit:
            raise _Halted  # not archived: leave the page due, for a run that can archive it
        return record_id

    def no_article(
        self, site: Site, task: PageTask, cleaned: Cleaned, warc_record: str | None
    ) -> None:
        if cleaned.language and cleaned.language != site.language:
            self.store.mark(
                task.url,
                SKIPPED_LANGUAGE,
                f"page language {cleaned.language}",
                warc_record=warc_record,
            )
            self.summary.skipped_language += 1
            self.reporter.page(task.url, "skipped: language")
        else:
            self.store.mark(task.url, NO_BODY, "no article body", warc_record=warc_record)
            self.summary.no_body += 1
            self.reporter.page(task.url, "no body")

    def same_page_urls(self, task: PageTask, cleaned: Cleaned) -> list[str]:
        """The page's canonical link, when it names another URL on the page's own host: that
        URL is recorded as the same page. One on another host is ignored, so a page can never
        mark another site's article as already seen."""
        if not cleaned.canonical or not is_valid_url(cleaned.canonical):
            return []
        canonical = canonical_url(cleaned.canonical)
        if canonical == task.url or host_key_of(canonical) != host_key_of(task.url):
            return []
        return [canonical]

    def page_failed(
        self, task: PageTask, why: str, *, transient: bool, warc_record: str | None = None
    ) -> None:
        if transient:
            given_up = self.store.mark_failed(
                task.url,
                why,
                now=time.time(),
                backoff=self.settings.retry_backoff,
                max_attempts=self.settings.max_attempts,
                warc_record=warc_record,
            )
            if given_up:
                self.summary.given_up[why] += 1
        else:
            self.store.mark(task.url, GONE, why, warc_record=warc_record)
        self.summary.failed[why] += 1
        self.reporter.page(task.url, f"failed: {why}")

    def page_crashed(self, task: PageTask, error: Exception) -> None:
        """An error no rule foresaw while handling one page: fail that page, say what it was."""
        self.reporter.note(
            f"unexpected error on {redact(task.url)}: {type(error).__name__}: {redact(str(error))}"
        )
        try:
            self.page_failed(task, "unexpected_error", transient=True)
        except sqlite3.Error as db_error:
            self.database_failed(db_error)

    def offset(self, timezone: str) -> str:
        """The zone's UTC offset, computed once per run (a run lasts minutes, not seasons)."""
        offset = self.offsets.get(timezone)
        if offset is None:
            offset = self.offsets[timezone] = utc_offset(timezone)
        return offset

    def pool(self) -> CleanerPool:
        if self._pool is None:
            self._pool = CleanerPool(self.settings.workers, job_timeout=self.settings.clean_timeout)
        return self._pool


def _reason(error: FetchError) -> str:
    """A short, stable token for why a fetch failed, for the summary's counts."""
    return error.summary_reason


def _origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
