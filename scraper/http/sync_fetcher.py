"""The polite fetcher: one configured httpx client, retries, a body cap, robots.txt, decoding.

`Fetcher` (sync, for `newsclean get`) and `fetch_async.AsyncFetcher` (for the crawl) share every
decision (fetch_policy, fetch_body, robots, blockpage and the steps below); they differ in how
they wait for I/O, and the async one can also record every response it gets (the WARC archive).
Failures raise the `scraper.http.errors.FetchError` tree.
"""

from __future__ import annotations

import functools
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from importlib.metadata import PackageNotFoundError, version
from types import TracebackType
from typing import Self

import certifi
import httpx
from protego import Protego

from cleaners.decoding import decode_html
from scraper.http.blockpage import block_reason
from scraper.http.body import (
    ACCEPT_ENCODING,
    BodyDecoder,
    check_content_type,
    header_charset,
    media_type,
    sniff_binary,
)
from scraper.http.errors import (
    BlockedPage,
    FetchError,
    FetchTimeout,
    RobotsDisallowed,
    RobotsUnavailable,
    TooManyRedirects,
)
from scraper.http.guard import guarded, sync_transport
from scraper.http.host_scope import HostScope
from scraper.http.policy import RedirectChain, RetryPlan, error_for_status, transport_errors
from scraper.http.robots import (
    ROBOTS_MAX_BYTES,
    ROBOTS_MAX_REDIRECTS,
    RobotsCache,
    RobotsRules,
    robots_url,
    rules_from_response,
)
from scraper.redact import without_userinfo

try:
    _VERSION = version("newsclean")
except PackageNotFoundError:  # running from a source tree that was never installed
    _VERSION = "0"
PROJECT_URL = "https://pypi.org/project/newsclean/"
DEFAULT_USER_AGENT = f"newsclean/{_VERSION} (+{PROJECT_URL})"

ERROR_BODY_MAX_BYTES = 256 * 1024  # enough of an error page to recognise a block page
_ACCEPT = {
    "html": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
    "xml": "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,"
    "*/*;q=0.1",
    "any": "*/*",
}


@dataclass(frozen=True)
class FetchSettings:
    """How to fetch: timeouts (seconds), limits, user agent, retry policy, robots.txt."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0  # the longest silence between two bytes
    total_timeout: float = 30.0  # one attempt, all redirects and the whole body included
    max_redirects: int = 10
    user_agent: str = DEFAULT_USER_AGENT
    max_bytes: int = 10_000_000  # decoded body, after decompression
    retries: int = 3
    backoff_base: float = 0.5
    max_retry_wait: float = 30.0  # cap on the total time spent waiting between retries
    obey_robots: bool = True
    max_connections: int = 16


@dataclass(frozen=True)
class FetchResult:
    """One fetched page: where it ended up, the status, headers, decoded body and text."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]  # lower-case names
    content: bytes  # body after content-decoding (gzip etc.), capped
    content_type: str
    http_version: str
    not_modified: bool
    elapsed: float
    redirects: tuple[str, ...] = field(default=())  # the URLs redirected through, in order
    kind: str = "html"  # what was asked for: "html", "xml" or "any"
    charset: str | None = None  # the Content-Type header's charset parameter
    # the headers as received, repeated ones apart: what a WARC record of this answer keeps
    raw_headers: httpx.Headers | None = field(default=None, compare=False, repr=False)

    @functools.cached_property
    def text(self) -> str | None:
        """The decoded HTML (None for non-HTML kinds, or when not modified), decoded on first
        use: the crawl hands the bytes and `charset` to its cleaner processes instead."""
        if self.kind != "html" or self.not_modified:
            return None
        return decode_html(self.content, self.charset)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle costs ~60 ms; pay it once per process, not once per client.
    return ssl.create_default_context(cafile=certifi.where())


def _limits(settings: FetchSettings) -> httpx.Limits:
    return httpx.Limits(
        max_connections=settings.max_connections,
        max_keepalive_connections=settings.max_connections,
    )


def _client_options(settings: FetchSettings) -> dict:
    return {
        "headers": {
            "User-Agent": settings.user_agent,
            "Accept-Encoding": ACCEPT_ENCODING,
            "Accept-Language": "en;q=1.0, *;q=0.5",
        },
        "timeout": _timeout(settings, settings.total_timeout),
        "follow_redirects": False,  # followed by hand: robots, URL and host checks on every hop
        "max_redirects": settings.max_redirects,
    }


def attempt_deadline(settings: FetchSettings, deadline: float | None) -> float:
    """When one attempt must end: its own whole-request timeout, or `deadline` if sooner."""
    own = time.monotonic() + settings.total_timeout
    return own if deadline is None else min(own, deadline)


def _allows(scope: HostScope | None) -> Callable[[str], bool] | None:
    return scope.allows if scope is not None and scope.hosts is not None else None


def _timeout(settings: FetchSettings, remaining: float) -> httpx.Timeout:
    remaining = max(remaining, 0.001)
    return httpx.Timeout(
        connect=min(settings.connect_timeout, remaining),
        read=min(settings.read_timeout, remaining),
        write=min(settings.read_timeout, remaining),
        pool=min(settings.connect_timeout, remaining),
    )


def _limits_text(settings: FetchSettings) -> str:
    return (
        f"connect {settings.connect_timeout:g}s, read {settings.read_timeout:g}s, "
        f"total {settings.total_timeout:g}s"
    )


def _request(
    client: httpx.Client | httpx.AsyncClient,
    url: str,
    kind: str,
    etag: str | None,
    last_modified: str | None,
) -> httpx.Request:
    headers = {"Accept": _ACCEPT.get(kind, "*/*")}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return client.build_request("GET", url, headers=headers)


def _set_timeout(request: httpx.Request, settings: FetchSettings, deadline: float) -> None:
    request.extensions["timeout"] = _timeout(settings, deadline - time.monotonic()).as_dict()


def _body_cap(response: httpx.Response, settings: FetchSettings) -> tuple[int, bool]:
    """How much of the body to read, and whether reaching the cap is fine (truncate)."""
    if response.is_success:
        return settings.max_bytes, False
    return ERROR_BODY_MAX_BYTES, True


def _before_body(url: str, response: httpx.Response, kind: str) -> None:
    """Checks that need no body: a non-HTML type fails before its bytes are downloaded."""
    if response.is_success:
        content_type = response.headers.get("content-type", "")
        check_content_type(content_type, kind, url=url, status=response.status_code)


def _result(
    url: str,
    response: httpx.Response,
    body: bytes,
    kind: str,
    started: float,
    chain: RedirectChain,
) -> FetchResult:
    """Judge the full answer (status, block page, binary) and build the result."""
    status = response.status_code
    headers = {name.lower(): value for name, value in response.headers.items()}
    content_type = headers.get("content-type", "")
    if status != 304:
        reason = block_reason(headers, body) if kind == "html" or status >= 400 else None
        if reason:
            raise BlockedPage(f"blocked by the site: {reason}", url=url, status=status)
        error = error_for_status(url, status, headers)
        if error is not None:
            raise error
        if kind == "html":
            sniff_binary(body, url=url, status=status)
    return FetchResult(
        url=without_userinfo(url),
        final_url=without_userinfo(str(response.url)),
        status=status,
        headers=headers,
        content=body,
        content_type=media_type(content_type),
        http_version=response.http_version,
        not_modified=status == 304,
        elapsed=time.monotonic() - started,
        redirects=tuple(without_userinfo(hop) for hop in chain.hops[1:]),
        kind=kind,
        charset=header_charset(content_type),
        raw_headers=response.headers,
    )


def _check_robots(url: str, rules: RobotsRules, user_agent: str) -> None:
    if rules.error is not None:
        error = rules.error
        raise type(error)(f"{error.message} (robots.txt)", url=url, status=error.status)
    if rules.parser.can_fetch(url, user_agent):
        return
    if not rules.reachable:
        status = f"HTTP {rules.status}" if rules.status else "no answer"
        raise RobotsUnavailable(
            f"robots.txt unavailable ({status}), so the site counts as disallowed", url=url
        )
    raise RobotsDisallowed("robots.txt disallows this URL for our user agent", url=url)


class Fetcher:
    """Fetch pages over one synchronous httpx.Client; a context manager."""

    def __init__(
        self,
        settings: FetchSettings = FetchSettings(),
        *,
        robots: RobotsCache | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.robots = robots if robots is not None else RobotsCache()
        if transport is None:
            transport = sync_transport(_tls_context(), _limits(settings))
        self._client = httpx.Client(**_client_options(settings), transport=transport)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def fetch(
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
        `scope` limits the hosts and addresses it may reach (default: any host, and no private
        address unless `url` itself is in one).
        """
        s = self.settings
        plan = RetryPlan(s.retries, s.backoff_base, s.max_retry_wait)
        scope = scope if scope is not None else HostScope.anywhere(url)
        while True:
            try:
                return self._fetch_once(url, kind, etag, last_modified, deadline, scope)
            except FetchError as error:
                delay = plan.delay_after(error)
                if delay is None or (deadline is not None and time.monotonic() + delay >= deadline):
                    raise
                time.sleep(delay)

    def _fetch_once(
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
                    rules = self._rules(str(request.url), deadline, scope)
                    _check_robots(str(request.url), rules, s.user_agent)
                _set_timeout(request, s, deadline)
                with transport_errors(url, _limits_text(s)):
                    response = self._client.send(request, stream=True)
                try:
                    if response.next_request is not None:
                        request = chain.follow(response)
                        continue
                    _before_body(url, response, kind)
                    body = b""
                    if response.status_code != 304:
                        cap, truncate = _body_cap(response, s)
                        body = self._read(url, response, cap, truncate, deadline)
                    return _result(url, response, body, kind, started, chain)
                finally:
                    response.close()

    def _read(
        self, url: str, response: httpx.Response, cap: int, truncate: bool, deadline: float
    ) -> bytes:
        decoder = BodyDecoder(
            response.headers.get("content-encoding", ""), cap, url=url, truncate=truncate
        )
        with transport_errors(url, _limits_text(self.settings)):
            for chunk in response.iter_raw():
                if decoder.feed(chunk):
                    break
                if time.monotonic() > deadline:
                    raise FetchTimeout(
                        f"timed out (whole request; limits {_limits_text(self.settings)})", url=url
                    )
        return decoder.finish()

    def robots_for(self, url: str, scope: HostScope | None = None) -> Protego:
        """The robots.txt rules for the host of `url`, fetched once per run."""
        scope = scope if scope is not None else HostScope.anywhere(url)
        deadline = attempt_deadline(self.settings, None)
        with guarded(deadline, scope.addresses):
            return self._rules(url, deadline, scope).parser

    def _rules(self, url: str, deadline: float, scope: HostScope) -> RobotsRules:
        rules = self.robots.get(url)
        if rules is None:
            rules = self._fetch_robots(url, deadline, scope)
            self.robots.put(url, rules)
        return rules

    def _fetch_robots(self, url: str, deadline: float, scope: HostScope) -> RobotsRules:
        target = robots_url(url)
        deadline = min(deadline, attempt_deadline(self.settings, None))
        try:
            chain = RedirectChain(target, ROBOTS_MAX_REDIRECTS, _allows(scope))
            request = self._client.build_request("GET", target, headers={"Accept": "text/plain"})
            with guarded(deadline, scope.addresses):
                while True:
                    _set_timeout(request, self.settings, deadline)
                    with transport_errors(target, _limits_text(self.settings)):
                        response = self._client.send(request, stream=True)
                    if response.next_request is None:
                        break
                    response.close()
                    request = chain.follow(response)
                try:
                    body = self._read(target, response, ROBOTS_MAX_BYTES, True, deadline)
                finally:
                    response.close()
        except TooManyRedirects:
            return rules_from_response(None, b"")  # RFC 9309: unreachable, all disallowed
        except FetchError as error:
            return rules_from_response(None, b"", error)
        return rules_from_response(response.status_code, body)


class _NoCookies(CookieJar):
    """A jar that keeps and sends nothing: news pages need no cookies, and a crawl that kept
    them would look like one long session to the site (and pay ~0.3 ms a response for it)."""

    def extract_cookies(self, response: object, request: object) -> None:
        """Keep nothing."""

    def add_cookie_header(self, request: object) -> None:
        """Send nothing."""
