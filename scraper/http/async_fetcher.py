"""The crawl's fetcher: `Fetcher`'s policy on one httpx.AsyncClient, safe for many tasks at once.

Every decision (redirects, robots.txt, body cap, block pages, retries) is shared with the sync
`sync_fetcher.Fetcher`; only the waiting differs. It also tells an optional recorder of every
response it reads, which is how the crawl's WARC archive sees robots.txt, 304s and errors.
"""

from __future__ import annotations

import asyncio
import time
from types import TracebackType
from typing import Protocol, Self

import httpx
from protego import Protego

from scraper.http.body import BodyDecoder
from scraper.http.errors import FetchError, FetchTimeout, TooManyRedirects
from scraper.http.guard import async_transport, guarded
from scraper.http.host_scope import HostScope
from scraper.http.policy import RedirectChain, RetryPlan, transport_errors
from scraper.http.robots import (
    ROBOTS_MAX_BYTES,
    ROBOTS_MAX_REDIRECTS,
    RobotsCache,
    RobotsRules,
    robots_url,
    rules_from_response,
)
from scraper.http.sync_fetcher import (
    FetchResult,
    FetchSettings,
    _allows,
    _before_body,
    _body_cap,
    _check_robots,
    _client_options,
    _limits,
    _limits_text,
    _NoCookies,
    _request,
    _result,
    _set_timeout,
    _tls_context,
    attempt_deadline,
)
from scraper.redact import without_userinfo


class ResponseRecorder(Protocol):
    """Told of every response the async fetcher gets: pages, feeds, redirects, 304s, errors
    and robots.txt (the crawl's WARC archive). `body` is what was read of it after
    Content-Encoding: empty for redirects and for answers refused before or while their body
    was read (wrong type, too large, corrupt); `truncated` when a cap cut it (error pages and
    robots.txt keep a prefix). A response whose connection fails mid-body is not recorded."""

    def __call__(
        self,
        url: str,
        status: int,
        headers: httpx.Headers,
        body: bytes,
        *,
        http_version: str,
        truncated: bool = False,
    ) -> None:
        """Record one response."""


class AsyncFetcher:
    """Fetch pages over one httpx.AsyncClient; an async context manager, safe for many tasks.

    It keeps no cookies. With `record_pages=False` the recorder is not told of the final answer
    of a successful "html" fetch: the caller records it from the result (`raw_headers`), when
    it knows what became of the page (the crawl writes it just before the page's commit).
    """

    def __init__(
        self,
        settings: FetchSettings = FetchSettings(),
        *,
        robots: RobotsCache | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        on_response: ResponseRecorder | None = None,
        record_pages: bool = True,
    ) -> None:
        self.settings = settings
        self.robots = robots if robots is not None else RobotsCache()
        self.on_response = on_response
        self.record_pages = record_pages
        if transport is None:
            transport = async_transport(_tls_context(), _limits(settings))
        self._client = httpx.AsyncClient(
            **_client_options(settings), transport=transport, cookies=_NoCookies()
        )

    def _record(self, response: httpx.Response, body: bytes, truncated: bool = False) -> None:
        if self.on_response is not None:
            self.on_response(
                without_userinfo(str(response.url)),
                response.status_code,
                response.headers,
                body,
                http_version=response.http_version,
                truncated=truncated,
            )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections."""
        await self._client.aclose()

    async def fetch(
        self,
        url: str,
        *,
        kind: str = "html",
        etag: str | None = None,
        last_modified: str | None = None,
        deadline: float | None = None,
        scope: HostScope | None = None,
    ) -> FetchResult:
        """Fetch `url`, retrying transient failures; raise a FetchError when it cannot.

        `deadline` (time.monotonic()) bounds everything, retries and their waits included;
        `scope` limits the hosts and addresses it may reach, on every redirect hop too.
        """
        s = self.settings
        plan = RetryPlan(s.retries, s.backoff_base, s.max_retry_wait)
        scope = scope if scope is not None else HostScope.anywhere(url)
        while True:
            try:
                return await self._fetch_once(url, kind, etag, last_modified, deadline, scope)
            except FetchError as error:
                delay = plan.delay_after(error)
                if delay is None or (deadline is not None and time.monotonic() + delay >= deadline):
                    raise
                await asyncio.sleep(delay)

    async def _fetch_once(
        self,
        url: str,
        kind: str,
        etag: str | None,
        last_modified: str | None,
        deadline: float | None,
        scope: HostScope,
    ) -> FetchResult:
        s = self.settings
        started = time.monotonic()
        deadline = attempt_deadline(s, deadline)
        chain = RedirectChain(url, s.max_redirects, _allows(scope))
        request = _request(self._client, url, kind, etag, last_modified)
        with guarded(deadline, scope.addresses):
            while True:
                if s.obey_robots:
                    rules = await self._rules(str(request.url), deadline, scope)
                    _check_robots(str(request.url), rules, s.user_agent)
                _set_timeout(request, s, deadline)
                try:
                    async with asyncio.timeout(max(deadline - time.monotonic(), 0.001)):
                        with transport_errors(url, _limits_text(s)):
                            response = await self._client.send(request, stream=True)
                        try:
                            if response.next_request is not None:
                                self._record(response, b"")
                                request = chain.follow(response)
                                continue
                            body, truncated = b"", False
                            try:
                                _before_body(url, response, kind)
                                if response.status_code != 304:
                                    cap, truncate = _body_cap(response, s)
                                    body, truncated = await self._read(url, response, cap, truncate)
                            except FetchError:
                                self._record(response, b"")  # refused before or while reading
                                raise
                            try:
                                result = _result(url, response, body, kind, started, chain)
                            except FetchError:
                                self._record(response, body, truncated)
                                raise
                            if self.record_pages or kind != "html" or result.not_modified:
                                self._record(response, body, truncated)
                            return result
                        finally:
                            await response.aclose()
                except TimeoutError:
                    raise FetchTimeout(
                        f"timed out (whole request; limits {_limits_text(s)})", url=url
                    ) from None

    async def _read(
        self, url: str, response: httpx.Response, cap: int, truncate: bool
    ) -> tuple[bytes, bool]:
        """The decoded body, and whether `cap` cut it (only with `truncate`)."""
        decoder = BodyDecoder(
            response.headers.get("content-encoding", ""), cap, url=url, truncate=truncate
        )
        with transport_errors(url, _limits_text(self.settings)):
            async for chunk in response.aiter_raw():
                if decoder.feed(chunk):
                    break
        return decoder.finish(), decoder.full

    async def robots_for(self, url: str, scope: HostScope | None = None) -> Protego:
        """The robots.txt rules for the host of `url`, fetched once per run."""
        scope = scope if scope is not None else HostScope.anywhere(url)
        deadline = attempt_deadline(self.settings, None)
        with guarded(deadline, scope.addresses):
            return (await self._rules(url, deadline, scope)).parser

    async def _rules(self, url: str, deadline: float, scope: HostScope) -> RobotsRules:
        rules = self.robots.get(url)
        if rules is not None:
            return rules
        async with self.robots.lock(url):
            rules = self.robots.get(url)
            if rules is None:
                rules = await self._fetch_robots(url, deadline, scope)
                self.robots.put(url, rules)
        return rules

    async def _fetch_robots(self, url: str, deadline: float, scope: HostScope) -> RobotsRules:
        target = robots_url(url)
        deadline = min(deadline, attempt_deadline(self.settings, None))
        try:
            async with asyncio.timeout(max(deadline - time.monotonic(), 0.001)):
                chain = RedirectChain(target, ROBOTS_MAX_REDIRECTS, _allows(scope))
                request = self._client.build_request(
                    "GET", target, headers={"Accept": "text/plain"}
                )
                with guarded(deadline, scope.addresses):
                    while True:
                        _set_timeout(request, self.settings, deadline)
                        with transport_errors(target, _limits_text(self.settings)):
                            response = await self._client.send(request, stream=True)
                        if response.next_request is None:
                            break
                        self._record(response, b"")
                        await response.aclose()
                        request = chain.follow(response)
                    try:
                        try:
                            body, truncated = await self._read(
                                target, response, ROBOTS_MAX_BYTES, True
                            )
                        except FetchError:
                            self._record(response, b"")
                            raise
                        self._record(response, body, truncated)
                    finally:
                        await response.aclose()
        except TimeoutError:
            limits = _limits_text(self.settings)
            error = FetchTimeout(f"timed out (whole request; limits {limits})", url=target)
            return rules_from_response(None, b"", error)
        except TooManyRedirects:
            return rules_from_response(None, b"")  # RFC 9309: unreachable, all disallowed
        except FetchError as error:
            return rules_from_response(None, b"", error)
        return rules_from_response(response.status_code, body)
