"""Discovery: read a site's feeds and sitemaps (and the `Sitemap:` lines of its robots.txt),
conditionally, so an unchanged one costs a 304, and record the new article URLs in the store.

A sitemap index's children are read in rotation, `max_sitemaps` per site and run (never read
first, then those whose <lastmod> changed, then the longest unread), so every child is reached
over successive runs. Feeds and sitemaps are parsed in the cleaning processes, under the
cleaning deadline. One source that fails, or an entry whose URL cannot be requested, fails alone.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlsplit

from scraper.clock import Clock
from scraper.crawl.budget import Budget, RunHalted
from scraper.crawl.canonical import canonical_url
from scraper.crawl.cleaner_pool import CleanerPool, WorkerLost
from scraper.crawl.config import CrawlSettings, Site
from scraper.crawl.lanes import HostDown, HostLanes
from scraper.crawl.politeness import PastDeadline
from scraper.crawl.report import Reporter
from scraper.crawl.sources import Candidate, Discovery, DiscoveryError, parse_source
from scraper.crawl.store import SKIPPED_LANGUAGE, Store, Validators
from scraper.crawl.summary import NOT_ALLOWED_EXAMPLES, Summary
from scraper.http.errors import FetchError, OffsiteURL
from scraper.http.result import FetchResult
from scraper.http.url_check import is_valid_url
from scraper.redact import redact, without_userinfo


class SiteDiscovery:
    """Reads the sources of one site after another and records what they announce."""

    def __init__(
        self,
        settings: CrawlSettings,
        store: Store,
        lanes: HostLanes,
        pool: CleanerPool,
        *,
        budget: Budget,
        summary: Summary,
        reporter: Reporter,
        clock: Clock,
        halt: Callable[[str], None],
        database_failed: Callable[[sqlite3.Error], None],
    ) -> None:
        """Discover with these parts; `halt` stops the run, `database_failed` too."""
        self.settings = settings
        self.store = store
        self.lanes = lanes
        self.pool = pool
        self.budget = budget
        self.summary = summary
        self.reporter = reporter
        self.clock = clock
        self.halt = halt
        self.database_failed = database_failed

    async def run(self, site: Site) -> None:
        """Read every source of `site`, its sitemap indexes' children in rotation."""
        self._reconsider(site)
        queue: deque[tuple[str, str | None]] = deque((u, None) for u in site.feeds + site.sitemaps)
        if site.robots_sitemaps:
            queue.extend((u, None) for u in await self._robots_sitemaps(site))
        seen: set[str] = set()
        children = 0
        while queue and not self.budget.stop_reason():
            url, parent = queue.popleft()
            if url in seen:
                continue
            seen.add(url)
            try:
                more = await self._read(site, url, parent)
            except sqlite3.Error as error:
                self.database_failed(error)
                return
            except RunHalted:
                return
            except Exception as error:  # one source never stops the run
                self._failed(site, url, f"unexpected_error ({type(error).__name__}: {error})")
                continue
            except asyncio.CancelledError:
                if self.budget.interrupted:
                    self._unread(site, url, f"interrupted by {self.budget.interrupted}")
                elif self.budget.past_deadline():
                    self._unread(site, url, "cut off by max-runtime")
                raise
            more = more[: max(0, self.settings.max_sitemaps - children)]
            children += len(more)
            queue.extend((child, url) for child in more)

    def _reconsider(self, site: Site) -> None:
        """When the site's language, prefixes, hosts, feeds or sitemaps changed since the last
        run, the pages its old settings kept out that the new ones allow are due again, and its
        feeds and sitemaps are read in full (no 304), so links the old prefixes dropped are
        seen again."""

        def allowed(url: str, status: str, language: str | None) -> bool:
            if not site.allows(url):
                return False
            return status != SKIPPED_LANGUAGE or site.language in (None, language) or not language

        back = self.store.reconsider(site.name, site.fingerprint(), allowed)
        if back is None:
            return
        self.summary.brought_back += back
        self.reporter.note(
            f"{site.name}: its configuration changed; {back} pages it had skipped (language,"
            " prefixes, hosts) are due again, and its feeds and sitemaps are read in full"
        )

    async def _robots_sitemaps(self, site: Site) -> list[str]:
        """The `Sitemap:` lines of the robots.txt of the site's hosts that stay on them."""
        found: list[str] = []
        origins = dict.fromkeys(_origin(u) for u in site.feeds + site.sitemaps + site.allow)
        for origin in origins:
            try:
                await self.lanes.robots(origin + "/", site)
            except (FetchError, PastDeadline):
                continue
            rules = self.lanes.rules(origin + "/")
            for url in rules.parser.sitemaps if rules else ():
                if not is_valid_url(url):
                    self._failed(site, redact(url), "invalid_url (robots.txt Sitemap: line)")
                elif not self.lanes.scope(site).allows(url):
                    self.lanes.skipped_offsite(site, url)
                else:
                    found.append(url)
        return found

    async def _read(self, site: Site, url: str, parent: str | None) -> list[str]:
        """Read one feed or sitemap; return the child sitemaps to read next, in rotation order."""
        key = without_userinfo(url)
        if not is_valid_url(url):
            self._failed(site, key, "invalid_url")
            return []
        if not self.lanes.scope(site).allows(url):
            self.lanes.skipped_offsite(site, url)
            return []
        try:
            result = await self.lanes.request(
                url, site, kind="xml", validators=self.store.source_validators(key)
            )
        except PastDeadline as error:  # not tried: the run ends before the host's turn
            self._unread(site, key, f"the host's {error}, after max-runtime")
            return []
        except (FetchError, HostDown) as error:
            self.store.source_tried(key, site.name, now=self.clock.time(), answered=False)
            if not isinstance(error, OffsiteURL) or error.status is not None:
                why = error.summary_reason if isinstance(error, FetchError) else "host given up"
                self._failed(site, key, why)
            return []
        if result.not_modified:
            self.summary.sources_unchanged += 1
            self.store.source_tried(key, site.name, now=self.clock.time(), answered=True)
            return self.store.children_of(key)
        try:
            found = await self._parse(result, site)
        except DiscoveryError as error:
            self.store.source_tried(key, site.name, now=self.clock.time(), answered=False)
            self._failed(site, key, str(error))
            return []
        self.summary.sources_changed += 1
        self._record(site, key, parent, result, found)
        return self.store.children_of(key)

    def _record(
        self, site: Site, key: str, parent: str | None, result: FetchResult, found: Discovery
    ) -> None:
        fresh, other_language, invalid, not_allowed = self._sort(site, key, found.candidates)
        self._count_not_allowed(site, key, found, not_allowed)
        known = self.store.known(c.url for c in (*other_language, *invalid))
        self.summary.skipped_language += sum(c.url not in known for c in other_language)
        rejected = sum(c.url not in known for c in invalid)
        self.store.record_source(
            key,
            site.name,
            Validators(result.headers.get("etag"), result.headers.get("last-modified")),
            fresh,
            other_language,
            now=self.clock.time(),
            parent=parent,
            children=[
                (without_userinfo(child), lastmod)
                for child, lastmod in zip(found.sitemaps, found.lastmods, strict=True)
            ],
            rejected=invalid,
        )
        if rejected:
            self.summary.failed["invalid_url"] += rejected
            self.reporter.note(f"{site.name} {key}: {rejected} entries with an invalid URL")

    async def _parse(self, result: FetchResult, site: Site) -> Discovery:
        """Parse a feed or sitemap in a worker process: a large one takes seconds of CPU, and a
        hostile one is stopped at the cleaning deadline like a page."""
        await self.pool.reserve()
        try:
            found: Discovery = await self.pool.run(
                parse_source, result.content, result.final_url, timezone=site.timezone
            )
        except WorkerLost as lost:
            if lost.unavailable:
                self.halt(f"no cleaning process: {lost}")
                raise RunHalted from None
            raise DiscoveryError(str(lost)) from None
        return found

    def _count_not_allowed(
        self, site: Site, key: str, found: Discovery, not_allowed: list[str]
    ) -> None:
        """Count the links the site's allow/deny prefixes drop, name a few, and say why when
        they are all of a source's links (a feed on `www.` while allow names the bare host)."""
        if not not_allowed:
            return
        known = self.store.known(not_allowed)  # counted when their page is judged
        fresh = [url for url in not_allowed if url not in known]
        self.summary.not_allowed += len(fresh)
        room = NOT_ALLOWED_EXAMPLES - len(self.summary.not_allowed_examples)
        self.summary.not_allowed_examples.extend(redact(u) for u in fresh[:room])
        if len(not_allowed) == len(found.candidates):
            hosts = sorted({urlsplit(u).netloc.rsplit("@", 1)[-1] for u in not_allowed})
            prefixes = ", ".join(redact(p) for p in site.allow) or "the feeds' hosts"
            self.reporter.note(
                f"{site.name} {redact(key)}: 0 pages to fetch: none of its {len(not_allowed)}"
                f" links is allowed (they are on {', '.join(hosts[:3])}; allow: {prefixes})"
            )

    def _sort(
        self, site: Site, key: str, candidates: tuple[Candidate, ...]
    ) -> tuple[list[Candidate], list[Candidate], list[Candidate], list[str]]:
        """Canonical, allowed, unique candidates: those to fetch, those in another language,
        those whose URL cannot be requested (recorded as `invalid_url`), and the URLs the
        site's allow/deny prefixes drop."""
        unique: dict[str, Candidate] = {}
        invalid: dict[str, Candidate] = {}
        not_allowed: dict[str, None] = {}
        for index, candidate in enumerate(candidates):
            if not is_valid_url(candidate.url):
                shown = redact(candidate.url)[:2048]
                invalid.setdefault(shown, replace(candidate, url=shown))
                continue
            url = canonical_url(candidate.url)
            if url in unique:
                continue
            if not site.allows(url):
                not_allowed[url] = None
                continue
            unique[url] = replace(candidate, url=url)
            if len(unique) >= self.settings.max_urls_per_source:
                self.summary.over_limit += len(candidates) - index - 1
                self.reporter.note(
                    f"{site.name} {redact(key)}: more than max_urls_per_source"
                    f" ({self.settings.max_urls_per_source}) article links: the other"
                    f" {len(candidates) - index - 1} were not taken"
                )
                break
        fresh: list[Candidate] = []
        other: list[Candidate] = []
        for candidate in unique.values():
            foreign = site.language and candidate.language not in (None, site.language)
            (other if foreign else fresh).append(candidate)
        return fresh, other, list(invalid.values()), list(not_allowed)

    def _unread(self, site: Site, url: str, why: str) -> None:
        """A source the run's deadline kept from being read; the next run reads it."""
        url = redact(url)
        self.summary.unread_sources.append(f"{site.name} {url}: {why}")
        self.reporter.note(f"source not read: {site.name} {url}: {why}")

    def _failed(self, site: Site, url: str, why: str) -> None:
        url = redact(url)
        self.summary.failed_sources.append(f"{site.name} {url}: {why}")
        self.reporter.note(f"source failed: {site.name} {url}: {why}")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
