"""The fetch policy: what happens next for one request, decided here with no I/O (as h11 does).

A driver (sync_fetcher, async_fetcher) runs one `PageFetch` or `RobotsFetch` by doing what each
step asks and telling the policy what came of it, until it is `Done` or `Fail`:

```
step = policy.start()
  Send(request, guard)   send it (under the guard: deadline, addresses) -> policy.response(r)
                         an httpx error -> policy.transport_failed(e); a FetchError -> failed(e)
  ReadBody(reader, ...)  feed the raw chunks to reader until it says stop -> policy.body()
                         an httpx error -> policy.transport_failed(e); a FetchError -> failed(e)
  NeedRobots(fetch)      the robots.txt rules of fetch.url: cached, or run `fetch` (a
                         RobotsFetch) -> policy.robots(rules)
  Wait(seconds)          sleep on the clock -> policy.waited()
  Done(value)            the FetchResult (or RobotsRules)
  Fail(error)            raise it
```

After each call, `policy.take_records()` gives the responses to record (the WARC archive).

Every decision lives here: the whole-request deadline of each attempt, redirects checked hop by
hop (scheme, URL, host scope, count), robots.txt, the body cap (the full cap for a page, a prefix
of an error page), block pages, what a status means, retries with backoff that honours
Retry-After under one overall deadline, which responses are recorded, and the FetchResult.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import httpx

from scraper.clock import SYSTEM_CLOCK, Clock
from scraper.http.answers import check_robots, error_for_status, transport_error
from scraper.http.blockpage import block_reason
from scraper.http.body import (
    ACCEPT_ENCODING,
    BodyReader,
    check_content_type,
    header_charset,
    media_type,
    sniff_binary,
)
from scraper.http.errors import BlockedPage, FetchError, TooManyRedirects
from scraper.http.guard import Guard
from scraper.http.host_scope import HostScope
from scraper.http.redirects import RedirectChain
from scraper.http.result import FetchResult, Recorded
from scraper.http.retry import RetryPlan
from scraper.http.robots import ROBOTS_MAX_BYTES, ROBOTS_MAX_REDIRECTS, RobotsRules, robots_url
from scraper.http.robots import rules_from_response as _rules
from scraper.http.settings import FetchSettings
from scraper.redact import without_userinfo

T = TypeVar("T")

ERROR_BODY_MAX_BYTES = 256 * 1024  # enough of an error page to recognise a block page
ACCEPT = {
    "html": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
    "xml": "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,"
    "*/*;q=0.1",
    "any": "*/*",
    "robots": "text/plain",
}


# --- the steps ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Send:
    """Send `request` under `guard` (its deadline and address policy), streaming the answer."""

    request: httpx.Request
    guard: Guard


@dataclass(frozen=True)
class ReadBody:
    """Read the body's raw chunks into `reader` under `guard` until `reader.feed` says stop."""

    reader: BodyReader
    guard: Guard


@dataclass(frozen=True)
class NeedRobots:
    """The robots.txt rules for the URL about to be requested: from the cache, or by running
    `fetch`."""

    fetch: RobotsFetch


@dataclass(frozen=True)
class Wait:
    """Wait `seconds` before the next attempt."""

    seconds: float


@dataclass(frozen=True)
class Done(Generic[T]):
    """The fetch is over: here is what it gave."""

    value: T


@dataclass(frozen=True)
class Fail:
    """The fetch is over: raise `error`."""

    error: FetchError


Step = Send | ReadBody | NeedRobots | Wait | Done[T] | Fail


# --- one request with its redirects, under one deadline ----------------------------------------


class Exchange(Generic[T]):
    """One request with its redirects under one deadline and scope, as a page fetch and a
    robots.txt fetch both are: the steps a driver runs, and the record of each response."""

    def __init__(self, settings: FetchSettings, scope: HostScope, clock: Clock) -> None:
        self.settings = settings
        self.scope = scope
        self.clock = clock
        self._records: list[Recorded] = []
        self._response: httpx.Response | None = None
        self._reader: BodyReader | None = None
        self.deadline = 0.0

    def start(self) -> Step[T]:
        """The first step."""
        raise NotImplementedError

    def response(self, response: httpx.Response) -> Step[T]:
        """Decide on a response whose head has come."""
        raise NotImplementedError

    def body(self) -> Step[T]:
        """The body has been read (whole, or up to its cap)."""
        raise NotImplementedError

    def failed(self, error: FetchError) -> Step[T]:
        """A FetchError while sending or reading, or from the address guard."""
        raise NotImplementedError

    def transport_failed(self, error: httpx.TransportError | httpx.InvalidURL) -> Step[T]:
        """An httpx exception while sending or reading."""
        raise NotImplementedError

    def robots(self, rules: RobotsRules) -> Step[T]:
        """Go on with the robots.txt rules asked for by `NeedRobots`."""
        raise NotImplementedError

    def waited(self) -> Step[T]:
        """The `Wait` is over."""
        raise NotImplementedError

    def take_records(self) -> list[Recorded]:
        """The responses to record since the last call, in the order they came."""
        records, self._records = self._records, []
        return records

    def _record(self, response: httpx.Response, body: bytes = b"", truncated: bool = False):
        self._records.append(
            Recorded(
                without_userinfo(str(response.url)),
                response.status_code,
                response.headers,
                body,
                response.http_version,
                truncated,
            )
        )

    def _allows(self) -> Callable[[str], bool] | None:
        return self.scope.allows if self.scope.hosts is not None else None

    def _request(self, url: str, accept: str, extra: dict[str, str] | None = None):
        s = self.settings
        headers = {
            "User-Agent": s.user_agent,
            "Accept": accept,
            "Accept-Encoding": ACCEPT_ENCODING,
            "Accept-Language": "en;q=1.0, *;q=0.5",
            **(extra or {}),
        }
        return httpx.Request("GET", url, headers=headers)

    def _send(self, request: httpx.Request) -> Send:
        left = max(self.deadline - self.clock.monotonic(), 0.001)
        s = self.settings
        request.extensions["timeout"] = {
            "connect": min(s.connect_timeout, left),
            "read": min(s.read_timeout, left),
            "write": min(s.read_timeout, left),
            "pool": min(s.connect_timeout, left),
        }
        return Send(request, Guard(self.deadline, self.scope.addresses, self.clock))

    def _read(self, response: httpx.Response, cap: int, truncate: bool, url: str) -> ReadBody:
        self._reader = BodyReader(
            response,
            cap,
            truncate=truncate,
            url=url,
            deadline=self.deadline,
            clock=self.clock,
            limits=self.settings.limits_text(),
        )
        return ReadBody(self._reader, Guard(self.deadline, self.scope.addresses, self.clock))

    def _refused_while_reading(self, error: FetchError) -> None:
        """Record a response whose body was refused (too large, corrupt), not one whose
        connection failed mid-body."""
        if self._response is not None and self._reader is not None and not error.transient:
            self._record(self._response)

    def _transport_error(
        self, error: httpx.TransportError | httpx.InvalidURL, url: str
    ) -> FetchError:
        passed = self.clock.monotonic() >= self.deadline
        return transport_error(
            error, url=url, limits=self.settings.limits_text(), deadline_passed=passed
        )


class PageFetch(Exchange[FetchResult]):
    """One fetch of a page, feed or sitemap: every attempt, redirect and wait, and the result."""

    def __init__(
        self,
        url: str,
        *,
        kind: str,
        settings: FetchSettings,
        scope: HostScope,
        clock: Clock = SYSTEM_CLOCK,
        etag: str | None = None,
        last_modified: str | None = None,
        deadline: float | None = None,
        record_success: bool = True,
    ) -> None:
        """Fetch `url` as `kind` ("html", "xml" or "any"), by `deadline` (clock.monotonic(),
        retries and waits included), within `scope`. With `record_success=False` the final
        answer of a successful "html" fetch is not recorded (the crawl records it itself,
        just before the page's commit)."""
        super().__init__(settings, scope, clock)
        self.url = url
        self.kind = kind
        self.overall_deadline = deadline
        self.record_success = record_success
        self._conditional: dict[str, str] = {}
        if etag:
            self._conditional["If-None-Match"] = etag
        if last_modified:
            self._conditional["If-Modified-Since"] = last_modified
        self._plan = RetryPlan(settings.retries, settings.backoff_base, settings.max_retry_wait)
        self._started = 0.0
        self._chain: RedirectChain | None = None
        self._next: httpx.Request | None = None

    def start(self) -> Step[FetchResult]:
        """Begin an attempt."""
        self._started = now = self.clock.monotonic()
        own = now + self.settings.total_timeout
        self.deadline = own if self.overall_deadline is None else min(own, self.overall_deadline)
        self._response = self._reader = None
        try:
            self._chain = RedirectChain(self.url, self.settings.max_redirects, self._allows())
        except FetchError as error:
            return self.failed(error)
        accept = ACCEPT.get(self.kind, "*/*")
        return self._hop(self._request(self.url, accept, self._conditional))

    def _hop(self, request: httpx.Request) -> Step[FetchResult]:
        self._next = request
        if self.settings.obey_robots:
            robots = RobotsFetch(
                str(request.url),
                settings=self.settings,
                scope=self.scope,
                clock=self.clock,
                deadline=self.deadline,
            )
            return NeedRobots(robots)
        return self._send(request)

    def robots(self, rules: RobotsRules) -> Step[FetchResult]:
        """Go on with the robots.txt rules of the URL about to be requested."""
        assert self._next is not None
        try:
            check_robots(str(self._next.url), rules, self.settings.user_agent)
        except FetchError as error:
            return self.failed(error)
        return self._send(self._next)

    def response(self, response: httpx.Response) -> Step[FetchResult]:
        """Decide on a response whose head has come."""
        assert self._chain is not None
        self._response, self._reader = response, None
        if response.next_request is not None:
            self._record(response)
            try:
                request = self._chain.follow(response)
            except FetchError as error:
                return self.failed(error)
            return self._hop(request)
        if response.is_success:
            try:  # a non-HTML type fails before its bytes are downloaded
                content_type = response.headers.get("content-type", "")
                check_content_type(
                    content_type, self.kind, url=self.url, status=response.status_code
                )
            except FetchError as error:
                self._record(response)
                return self.failed(error)
        if response.status_code == 304:
            return self._finish(response, b"", False)
        cap, truncate = (
            (self.settings.max_bytes, False)
            if response.is_success
            else (ERROR_BODY_MAX_BYTES, True)
        )
        try:
            return self._read(response, cap, truncate, self.url)
        except FetchError as error:
            self._record(response)
            return self.failed(error)

    def body(self) -> Step[FetchResult]:
        """The body has been read (whole, or up to its cap)."""
        assert self._response is not None and self._reader is not None
        return self._finish(self._response, self._reader.body, self._reader.truncated)

    def transport_failed(self, error: httpx.TransportError | httpx.InvalidURL) -> Step[FetchResult]:
        """An httpx exception while sending or reading."""
        return self.failed(self._transport_error(error, self.url))

    def failed(self, error: FetchError) -> Step[FetchResult]:
        """A FetchError: retry after a wait, or fail."""
        self._refused_while_reading(error)
        self._response = self._reader = None
        delay = self._plan.delay_after(error)
        end = self.overall_deadline
        if delay is None or (end is not None and self.clock.monotonic() + delay >= end):
            return Fail(error)
        return Wait(delay)

    def waited(self) -> Step[FetchResult]:
        """The wait before the next attempt is over."""
        return self.start()

    def _finish(self, response: httpx.Response, body: bytes, truncated: bool) -> Step[FetchResult]:
        try:
            result = self._result(response, body)
        except FetchError as error:
            self._record(response, body, truncated)
            self._reader = None
            return self.failed(error)
        if self.record_success or self.kind != "html" or result.not_modified:
            self._record(response, body, truncated)
        return Done(result)

    def _result(self, response: httpx.Response, body: bytes) -> FetchResult:
        """Judge the full answer (status, block page, binary) and build the result."""
        url, status = self.url, response.status_code
        headers = {name.lower(): value for name, value in response.headers.items()}
        content_type = headers.get("content-type", "")
        if status != 304:
            reason = block_reason(headers, body) if self.kind == "html" or status >= 400 else None
            if reason:
                raise BlockedPage(f"blocked by the site: {reason}", url=url, status=status)
            error = error_for_status(url, status, headers)
            if error is not None:
                raise error
            if self.kind == "html":
                sniff_binary(body, url=url, status=status)
        assert self._chain is not None
        return FetchResult(
            url=without_userinfo(url),
            final_url=without_userinfo(str(response.url)),
            status=status,
            headers=headers,
            content=body,
            content_type=media_type(content_type),
            http_version=response.http_version,
            not_modified=status == 304,
            elapsed=self.clock.monotonic() - self._started,
            redirects=tuple(without_userinfo(hop) for hop in self._chain.hops[1:]),
            kind=self.kind,
            charset=header_charset(content_type),
            raw_headers=response.headers,
        )


class RobotsFetch(Exchange[RobotsRules]):
    """The fetch of one origin's robots.txt, and what its answer means (RFC 9309): never
    retried, up to five redirects on the site's hosts, a 500 KiB prefix; every failure gives
    rules (no answer: everything disallowed) rather than an error."""

    def __init__(
        self,
        url: str,
        *,
        settings: FetchSettings,
        scope: HostScope,
        clock: Clock = SYSTEM_CLOCK,
        deadline: float | None = None,
    ) -> None:
        """The robots.txt that governs `url`, by `deadline` or its own whole-request timeout."""
        super().__init__(settings, scope, clock)
        self.url = url
        self.target = robots_url(url)
        self.outer_deadline = deadline
        self._chain: RedirectChain | None = None

    def start(self) -> Step[RobotsRules]:
        """Begin the request."""
        own = self.clock.monotonic() + self.settings.total_timeout
        self.deadline = own if self.outer_deadline is None else min(own, self.outer_deadline)
        try:
            self._chain = RedirectChain(self.target, ROBOTS_MAX_REDIRECTS, self._allows())
        except FetchError as error:
            return self.failed(error)
        return self._send(self._request(self.target, ACCEPT["robots"]))

    def response(self, response: httpx.Response) -> Step[RobotsRules]:
        """Follow a redirect, or read the body."""
        assert self._chain is not None
        self._response, self._reader = response, None
        if response.next_request is not None:
            self._record(response)
            try:
                return self._send(self._chain.follow(response))
            except FetchError as error:
                return self.failed(error)
        try:
            return self._read(response, ROBOTS_MAX_BYTES, True, self.target)
        except FetchError as error:
            self._record(response)
            return self.failed(error)

    def body(self) -> Step[RobotsRules]:
        """The rules the answer gives."""
        assert self._response is not None and self._reader is not None
        body = self._reader.body
        self._record(self._response, body, self._reader.truncated)
        return Done(_rules(self._response.status_code, body))

    def transport_failed(self, error: httpx.TransportError | httpx.InvalidURL) -> Step[RobotsRules]:
        """An httpx exception while sending or reading."""
        return self.failed(self._transport_error(error, self.target))

    def failed(self, error: FetchError) -> Step[RobotsRules]:
        """No usable answer: rules that disallow everything."""
        self._refused_while_reading(error)
        if isinstance(error, TooManyRedirects):
            return Done(_rules(None, b""))  # RFC 9309: unreachable, all disallowed
        return Done(_rules(None, b"", error))
