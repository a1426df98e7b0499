"""Host lanes: every request of the crawl goes through the lane of its host, which has its own
client, its politeness (delay, Crawl-delay, Retry-After, requests in flight), its robots.txt
(fetched once) and its down-state: a host that keeps timing out, refuses connections, has no
robots.txt answer or asks for a long Retry-After is given up for the run, and its pages stay due.

A lane only requests hosts the site's configuration names (scraper.http.host_scope); a slow or
dead host holds up no other host.
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from dataclasses import replace

from scraper.clock import Clock
from scraper.crawl.budget import Budget
from scraper.crawl.canonical import host_key
from scraper.crawl.config import CrawlSettings, Site
from scraper.crawl.politeness import HostGate
from scraper.crawl.report import Reporter
from scraper.crawl.store import Validators
from scraper.crawl.summary import Summary
from scraper.http.async_fetcher import AsyncFetcher
from scraper.http.errors import ConnectFailed, FetchError, FetchTimeout, OffsiteURL
from scraper.http.host_scope import HostScope, host_key_of
from scraper.http.result import FetchResult, ResponseRecorder
from scraper.http.robots import RobotsCache, RobotsRules
from scraper.http.settings import DEFAULT_USER_AGENT, FetchSettings
from scraper.redact import redact

HOST_FAILURE_LIMIT = 3  # consecutive timeouts or refused connections before a host is given up
INLINE_RETRY_MAX_WAIT = 30.0  # a Retry-After this short is waited out within the run


class HostDown(Exception):
    """The host was given up in this run; the page was not attempted."""


class HostLanes:
    """The lanes of every host one run requests; `aclose()` at the end."""

    def __init__(
        self,
        settings: CrawlSettings,
        sites: tuple[Site, ...],
        *,
        budget: Budget,
        reporter: Reporter,
        record: ResponseRecorder,
        clock: Clock,
    ) -> None:
        """Lanes for the hosts of `sites`; every response goes to `record` (the WARC archive)."""
        self.budget = budget
        self.reporter = reporter
        self.clock = clock
        self.user_agent = settings.user_agent or DEFAULT_USER_AGENT
        self.fetch_settings = FetchSettings(
            connect_timeout=min(5.0, settings.timeout),
            read_timeout=min(10.0, settings.timeout),
            total_timeout=settings.timeout,
            user_agent=self.user_agent,
            retries=0,  # retries are the crawl's: later runs, or after the host's Retry-After
        )
        self.robots_cache = RobotsCache()
        self.offsite = 0  # URLs not requested: their host is not one of the site's
        self._record = record
        self._global_limit = asyncio.Semaphore(settings.concurrency)
        self._scopes = {
            site.name: HostScope.for_site(
                (*site.feeds, *site.sitemaps, *site.allow), site.follow_hosts
            )
            for site in sites
        }
        self._fetchers: dict[str, AsyncFetcher] = {}
        self._gates: dict[str, HostGate] = {}
        self._robots_locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._failures: Counter[str] = Counter()
        self._down: dict[str, str] = {}  # host -> why it was given up
        self._left: Counter[str] = Counter()  # host -> pages left due
        self._offsite_hosts: set[str] = set()

    def scope(self, site: Site) -> HostScope:
        """The hosts and addresses `site` may request."""
        return self._scopes[site.name]

    def is_down(self, host: str) -> bool:
        """True when `host` was given up for this run."""
        return host in self._down

    def rules(self, url: str) -> RobotsRules | None:
        """The robots.txt rules of the host of `url`, when fetched."""
        return self.robots_cache.get(url)

    def gate(self, host: str, site: Site) -> HostGate:
        """The politeness of `host`: the longest delay any site gives it."""
        gate = self._gates.get(host)
        if gate is None:
            gate = HostGate(site.delay, site.in_flight, self.budget.deadline, self.clock)
            self._gates[host] = gate
        else:
            gate.raise_delay(site.delay)
        return gate

    async def robots(self, url: str, site: Site) -> None:
        """Fetch the host's robots.txt once, under its politeness, and apply Crawl-delay."""
        if self.robots_cache.get(url) is not None:
            return  # the usual case, once per page: no lock to take
        host = host_key(url)
        async with self._robots_locks[host]:
            if self.robots_cache.get(url) is not None or self.is_down(host):
                return
            gate = self.gate(host, site)
            async with gate.slot(self._global_limit):
                await self._fetcher(host, site).robots_for(url, self.scope(site))
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
        """Fetch `url` in its host's lane. Raises OffsiteURL (not requested), HostDown (the host
        was given up), PastDeadline (its turn comes after the run's deadline) or a FetchError."""
        scope = self.scope(site)
        if not scope.allows(url):
            self.skipped_offsite(site, url)
            raise OffsiteURL("a host this site's configuration does not name", url=url)
        host = host_key(url)
        await self.robots(url, site)
        if self.is_down(host):
            raise HostDown(host)
        gate = self.gate(host, site)
        async with gate.slot(self._global_limit):
            if self.is_down(host):
                raise HostDown(host)
            try:
                result = await self._fetcher(host, site).fetch(
                    scope.with_credentials(url),
                    kind=kind,
                    etag=validators.etag if validators else None,
                    last_modified=validators.last_modified if validators else None,
                    scope=scope,
                )
            except FetchError as error:
                self._failed(host, gate, error)
                raise
        self._failures[host] = 0
        return result

    def _failed(self, host: str, gate: HostGate, error: FetchError) -> None:
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
            self._failures[host] += 1
            if self._failures[host] >= HOST_FAILURE_LIMIT:
                why = error.summary_reason
                self.give_up(host, f"{why} {HOST_FAILURE_LIMIT} times in a row")

    def skipped_offsite(self, site: Site, url: str) -> None:
        """Count a URL not requested because its host is not the site's; note each host once."""
        self.offsite += 1
        key = host_key_of(url)
        shown = f"{key[0]}:{key[1]}" if key and key[1] else (key[0] if key else "?")
        if shown not in self._offsite_hosts:
            self._offsite_hosts.add(shown)
            self.reporter.note(
                f"{site.name}: not requesting {redact(url)}: {shown} is not one of the site's"
                " hosts (add it to follow_hosts to allow it)"
            )

    def give_up(self, host: str, why: str) -> None:
        """Request nothing more of `host` in this run."""
        if host not in self._down:
            self._down[host] = why
            self.reporter.note(f"giving up {host} for this run: {why}")

    def left(self, host: str, pages: int) -> None:
        """`pages` of `host` were left due for the next run."""
        self._left[host] += pages

    def report(self, summary: Summary) -> None:
        """Write the hosts given up, and the requests not made, to the run's summary."""
        summary.offsite += self.offsite
        for host, why in sorted(self._down.items()):
            left = self._left[host]
            summary.failed_hosts[host] = why + (
                f"; {left} pages left for the next run" if left else ""
            )

    async def aclose(self) -> None:
        """Close every lane's connections."""
        for fetcher in self._fetchers.values():
            await fetcher.aclose()

    def _fetcher(self, host: str, site: Site) -> AsyncFetcher:
        """The host's own client: its keep-alive connections are never evicted by another host's,
        and httpcore's per-request scan of the pool's connections stays as short as `in_flight`.
        All of them share one robots.txt cache, and record every response (a page's own answer
        is recorded by the page sink, just before the page's commit)."""
        fetcher = self._fetchers.get(host)
        if fetcher is None:
            # one more connection than requests in flight: a redirect to another host (and its
            # robots.txt) never has to wait for, or close, one of this host's connections
            limit = max(site.in_flight, 1) + 1
            fetcher = self._fetchers[host] = AsyncFetcher(
                replace(self.fetch_settings, max_connections=limit),
                robots=self.robots_cache,
                clock=self.clock,
                on_response=self._record,
                record_pages=False,
            )
        return fetcher
