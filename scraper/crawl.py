"""The scheduled crawl: sources → new URLs → polite fetching → cleaning → the store and sinks.

One run: read every feed and sitemap of every site (conditionally, so an unchanged one costs a
304), record the new URLs, then fetch the pages that are due, host by host, each host in its own
lane so a slow or dead one holds up nobody else. Fetching runs on one asyncio loop; cleaning runs
in a process pool. Each article is committed on its own, then appended to the JSON Lines file.
The caller holds the crawl lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import re
import sys
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Protocol

from scraper.canonical import canonical_url, host_key
from scraper.config import Config, Site
from scraper.crawl_clean import CleanerPool
from scraper.crawl_polite import HostGate
from scraper.crawl_summary import Summary
from scraper.discover import Candidate, DiscoveryError, parse_source
from scraper.errors import ConnectFailed, FetchError, FetchTimeout
from scraper.fetch import DEFAULT_USER_AGENT, FetchResult, FetchSettings
from scraper.fetch_async import AsyncFetcher
from scraper.jsonl_sink import JsonlSink
from scraper.robots import RobotsCache
from scraper.store import GONE, NO_BODY, SKIPPED_LANGUAGE, PageTask, Store, Validators
from scraper.warc_archive import WarcArchive

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


class OutputError(Exception):
    """The JSON Lines file or the WARC archive cannot be opened where the settings say."""


class _HostDown(Exception):
    """The host was given up in this run; the page was not attempted."""


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

    async def run(self) -> Summary:
        s = self.settings
        self.global_limit = asyncio.Semaphore(s.concurrency)
        self.store = Store(s.db)
        self.warc: WarcArchive | None = None
        self.jsonl: JsonlSink | None = None
        try:
            self.warc = WarcArchive(s.warc, max_bytes=s.warc_max_bytes) if s.warc else None
            self.jsonl = JsonlSink(s.jsonl) if s.jsonl else None
        except OSError as error:
            self.store.close()
            if self.warc:
                self.warc.close()
            raise OutputError(f"cannot write {error.filename}: {error.strerror}") from None
        self.fetch_settings = FetchSettings(
            connect_timeout=min(5.0, s.timeout),
            read_timeout=min(10.0, s.timeout),
            total_timeout=s.timeout,
            user_agent=self.user_agent,
            retries=0,  # retries are the crawl's: later runs, or after the host's Retry-After
        )
        try:
            await asyncio.gather(*(self.discover(site) for site in self.config.sites))
            await self.fetch_pages()
            if self.pending:
                await asyncio.gather(*self.pending)
        finally:
            for fetcher in self.fetchers.values():
                await fetcher.aclose()
            if self._pool is not None:
                await self._pool.aclose()
            self.store.close()
            self.close_outputs()
        return self.summary

    def close_outputs(self) -> None:
        """Close the WARC archive and the JSON Lines file; a failure is in the summary."""
        if self.warc:
            try:
                self.warc.close()
            except OSError as error:
                self.output_failed(f"the WARC archive in {self.settings.warc}", error)
        if self.jsonl:
            try:
                self.jsonl.close()
            except OSError as error:
                self.output_failed(str(self.settings.jsonl), error)

    # --- requests, politely ---------------------------------------------------------------

    def fetcher(self, host: str, site: Site) -> AsyncFetcher:
        """The host's own client: its keep-alive connections are never evicted by another host's,
        and httpcore's per-request scan of the pool's connections stays as short as `in_flight`.
        All of them share one robots.txt cache, and write every response to the WARC archive."""
        fetcher = self.fetchers.get(host)
        if fetcher is None:
            # one more connection than requests in flight: a redirect to another host (and its
            # robots.txt) never has to wait for, or close, one of this host's connections
            limit = max(site.in_flight, 1) + 1
            settings = replace(self.fetch_settings, max_connections=limit)
            fetcher = self.fetchers[host] = AsyncFetcher(
                settings,
                robots=self.robots_cache,
                on_response=self.archive if self.warc else None,
            )
        return fetcher

    def gate(self, host: str, site: Site) -> HostGate:
        gate = self.gates.get(host)
        if gate is None:
            gate = self.gates[host] = HostGate(site.delay, site.in_flight)
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
                await self.fetcher(host, site).robots_for(url)
            rules = self.robots_cache.get(url)
            if rules is None:  # no answer at all: the fetcher keeps no rules, the host is down
                self.give_up(host, "no answer to robots.txt (connection failed or timed out)")
                return
            gate.raise_delay(rules.parser.crawl_delay(self.user_agent))
            if not rules.reachable:
                answer = f"HTTP {rules.status}" if rules.status else "no answer"
                self.give_up(host, f"robots.txt unreachable ({answer})")

    async def request(
        self, url: str, site: Site, *, kind: str, validators: Validators | None = None
    ) -> FetchResult:
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
                    url,
                    kind=kind,
                    etag=validators.etag if validators else None,
                    last_modified=validators.last_modified if validators else None,
                )
            except FetchError as error:
                if error.retry_after is not None:
                    gate.defer(error.retry_after)
                if isinstance(error, FetchTimeout | ConnectFailed):
                    self.host_failures[host] += 1
                    if self.host_failures[host] >= HOST_FAILURE_LIMIT:
                        self.give_up(host, f"{_reason(error)} {HOST_FAILURE_LIMIT} times in a row")
                raise
        self.host_failures[host] = 0
        return result

    def archive(self, *response: object, **details: object) -> None:
        """Write one response to the WARC archive (a fetch_async.ResponseRecorder)."""
        if self.warc is None:
            return
        try:
            self.warc.write_response(*response, **details)  # type: ignore[arg-type]
        except OSError as error:
            with contextlib.suppress(OSError):
                self.warc.close()
            self.warc = None
            self.output_failed(f"the WARC archive in {self.settings.warc}", error)

    def output_failed(self, what: str, error: OSError) -> None:
        """A full disk or a vanished folder: stop this run cleanly; what is stored stays."""
        self.halt(f"cannot write {what}: {error.strerror or error}")

    def halt(self, why: str) -> None:
        """Stop fetching: pages in hand are finished, the rest waits for the next run."""
        if why not in self.summary.halted:
            self.summary.halted.append(why)
            self.reporter.note(f"stopping: {why}")

    def give_up(self, host: str, why: str) -> None:
        if host not in self.summary.failed_hosts:
            self.summary.failed_hosts[host] = why
            self.reporter.note(f"giving up {host} for this run: {why}")

    def stop_reason(self) -> str | None:
        if self.summary.halted:
            return "halted"
        if self.budget is not None and self.budget <= 0:
            return "max-pages"
        if self.deadline is not None and time.monotonic() >= self.deadline:
            return "max-runtime"
        return None

    # --- discovery ------------------------------------------------------------------------

    async def discover(self, site: Site) -> None:
        queue: deque[tuple[str, str | None]] = deque((u, None) for u in site.feeds + site.sitemaps)
        if site.robots_sitemaps:
            for origin in dict.fromkeys(
                _origin(u) for u in site.feeds + site.sitemaps + site.allow
            ):
                try:
                    await self.robots(origin + "/", site, self.gate(host_key(origin), site))
                except FetchError:
                    continue
                rules = self.robots_cache.get(origin + "/")
                queue.extend((u, None) for u in (rules.parser.sitemaps if rules else ()))
        seen: set[str] = set()
        children = 0
        while queue and not self.stop_reason():
            url, parent = queue.popleft()
            if url in seen:
                continue
            seen.add(url)
            more = await self.read_source(site, url, parent)
            more = more[: max(0, self.settings.max_sitemaps - children)]
            children += len(more)
            queue.extend((child, url) for child in more)

    async def read_source(self, site: Site, url: str, parent: str | None) -> list[str]:
        """Read one feed or sitemap; return the child sitemaps to read next."""
        try:
            result = await self.request(
                url, site, kind="xml", validators=self.store.source_validators(url)
            )
        except (FetchError, _HostDown) as error:
            why = _reason(error) if isinstance(error, FetchError) else "host given up"
            self.source_failed(site, url, why)
            return []
        if result.not_modified:
            self.summary.sources_unchanged += 1
            return self.store.children_of(url)
        try:
            found = parse_source(result.content, result.final_url, timezone=site.timezone)
        except DiscoveryError as error:
            self.source_failed(site, url, str(error))
            return []
        self.summary.sources_changed += 1
        fresh, other_language = self.sort_candidates(site, found.candidates)
        known = self.store.known(c.url for c in other_language)
        self.summary.skipped_language += sum(c.url not in known for c in other_language)
        validators = Validators(result.headers.get("etag"), result.headers.get("last-modified"))
        self.store.record_source(
            url,
            site.name,
            validators,
            fresh,
            other_language,
            now=time.time(),
            parent=parent,
            children=found.sitemaps,
        )
        return list(found.sitemaps)

    def sort_candidates(
        self, site: Site, candidates: tuple[Candidate, ...]
    ) -> tuple[list[Candidate], list[Candidate]]:
        """Canonical, allowed, unique candidates: those to fetch, and those in another language."""
        unique: dict[str, Candidate] = {}
        for candidate in candidates:
            url = canonical_url(candidate.url)
            if url not in unique and site.allows(url):
                unique[url] = replace(candidate, url=url)
            if len(unique) >= self.settings.max_urls_per_source:
                break
        fresh, other = [], []
        for candidate in unique.values():
            foreign = candidate.language and candidate.language != site.language
            (other if foreign else fresh).append(candidate)
        return fresh, other

    def source_failed(self, site: Site, url: str, why: str) -> None:
        self.summary.failed_sources.append(f"{site.name} {url}: {why}")
        self.reporter.note(f"source failed: {site.name} {url}: {why}")

    # --- pages ----------------------------------------------------------------------------

    async def fetch_pages(self) -> None:
        limit = self.budget if self.budget is not None else DUE_LIMIT
        lanes: dict[str, deque[tuple[Site, PageTask]]] = defaultdict(deque)
        sites: dict[str, Site] = {}
        for site in self.config.sites:
            due = self.store.due(
                site.name, now=time.time(), max_attempts=self.settings.max_attempts, limit=limit
            )
            for task in due:
                lanes[host_key(task.url)].append((site, task))
                sites.setdefault(host_key(task.url), site)
        self.reporter.planned(sum(len(q) for q in lanes.values()))
        workers = [
            self.lane_worker(host, queue)
            for host, queue in lanes.items()
            for _ in range(sites[host].in_flight)
        ]
        await asyncio.gather(*workers)
        if (reason := self.stop_reason()) and any(lanes.values()):
            self.summary.stopped = reason
        for host, queue in lanes.items():
            if queue and host in self.summary.failed_hosts:
                self.summary.failed_hosts[host] += f"; {len(queue)} pages left for the next run"

    async def lane_worker(self, host: str, queue: deque[tuple[Site, PageTask]]) -> None:
        while queue and host not in self.summary.failed_hosts and not self.stop_reason():
            site, task = queue.popleft()
            try:
                await self.robots(task.url, site, self.gate(host, site))
            except _HostDown:
                queue.appendleft((site, task))
                return
            rules = self.robots_cache.get(task.url)
            if rules is not None and not rules.parser.can_fetch(task.url, self.user_agent):
                if rules.reachable:
                    self.store.mark(task.url, GONE, "robots.txt disallows")
                    self.summary.skipped_robots += 1
                    self.reporter.page(task.url, "robots")
                    continue
                queue.appendleft((site, task))
                return
            if self.budget is not None:
                self.budget -= 1
            await self.fetch_page(site, task, queue)

    async def fetch_page(
        self, site: Site, task: PageTask, queue: deque[tuple[Site, PageTask]]
    ) -> None:
        try:
            result = await self.request(task.url, site, kind="html")
        except _HostDown:
            queue.appendleft((site, task))
            if self.budget is not None:
                self.budget += 1
            return
        except FetchError as error:
            short = error.retry_after is not None and error.retry_after <= INLINE_RETRY_MAX_WAIT
            if error.transient and short and task.url not in self.retried:
                self.retried.add(task.url)  # the host gate waits out Retry-After first
                queue.append((site, task))
                if self.budget is not None:
                    self.budget += 1
                return
            self.page_failed(task, _reason(error), transient=error.transient)
            return
        self.summary.fetched += 1
        pool = self.pool()
        await pool.reserve()
        job = asyncio.create_task(self.finish(site, task, result, pool))
        self.pending.add(job)
        job.add_done_callback(self.pending.discard)

    async def finish(
        self, site: Site, task: PageTask, result: FetchResult, pool: CleanerPool
    ) -> None:
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
        if cleaned.error:
            self.page_failed(task, "cleaner error", transient=True)
            self.reporter.note(f"cleaner error on {task.url}: {cleaned.error}")
            return
        if not cleaned.has_body:
            if cleaned.language and cleaned.language != site.language:
                self.store.mark(task.url, SKIPPED_LANGUAGE, f"page language {cleaned.language}")
                self.summary.skipped_language += 1
                self.reporter.page(task.url, "skipped: language")
            else:
                self.store.mark(task.url, NO_BODY, "no article body")
                self.summary.no_body += 1
                self.reporter.page(task.url, "no body")
            return
        also = [canonical_url(cleaned.canonical)] if cleaned.canonical else []
        stored = self.store.store_article(
            task.url,
            site.name,
            cleaned.article,
            content_hash=cleaned.content_hash,
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            validators=Validators(result.headers.get("etag"), result.headers.get("last-modified")),
            also=[u for u in also if u != task.url],
        )
        if stored is None:
            self.summary.duplicates += 1
            self.reporter.page(task.url, "duplicate")
            return
        self.summary.new += 1
        if self.jsonl:  # only after the commit: the file never holds an article the db lacks
            try:
                self.jsonl.write(stored)
            except OSError as error:
                with contextlib.suppress(OSError):
                    self.jsonl.close()
                self.jsonl = None
                self.output_failed(f"{self.settings.jsonl} (the article is in the database)", error)
        self.reporter.page(task.url, "stored")

    def page_failed(self, task: PageTask, why: str, *, transient: bool) -> None:
        if transient:
            self.store.mark_failed(
                task.url,
                why,
                now=time.time(),
                backoff=self.settings.retry_backoff,
                max_attempts=self.settings.max_attempts,
            )
        else:
            self.store.mark(task.url, GONE, why)
        self.summary.failed[why] += 1
        self.reporter.page(task.url, f"failed: {why}")

    def offset(self, timezone: str) -> str:
        """The zone's UTC offset, computed once per run (a run lasts minutes, not seasons)."""
        offset = self.offsets.get(timezone)
        if offset is None:
            offset = self.offsets[timezone] = utc_offset(timezone)
        return offset

    def pool(self) -> CleanerPool:
        if self._pool is None:
            self._pool = CleanerPool(self.settings.workers)
        return self._pool


def _reason(error: FetchError) -> str:
    """A short, stable name for why a fetch failed, for the summary's counts."""
    if isinstance(error, FetchTimeout):
        return "timeout"
    if isinstance(error, ConnectFailed):
        return "connection failed"
    if error.status and error.status >= 400:
        return f"HTTP {error.status}"
    return re.sub(r"(?<!^)(?=[A-Z])", " ", type(error).__name__).lower()


def _origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
