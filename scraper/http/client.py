"""The httpx clients the drivers send with: our TLS context, connection limits, no cookies, the
guarded network layer (scraper.http.guard), and the proxies the environment names.

Redirects are never followed by httpx (the policy follows them, hop by hop), and no default
header is set here: the policy builds each request whole.
"""

from __future__ import annotations

import functools
import ssl
from http.cookiejar import CookieJar

import certifi
import httpx
from httpx._utils import get_environment_proxies  # httpx's own reading of *_PROXY and NO_PROXY

from scraper.http.guard import async_transport, sync_transport
from scraper.http.settings import FetchSettings


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The CA bundle's context; loading it costs ~60 ms, so once per process, not per client."""
    return ssl.create_default_context(cafile=certifi.where())


class NoCookies(CookieJar):
    """A jar that keeps and sends nothing: news pages need no cookies, and a crawl that kept
    them would look like one long session to the site (and pay ~0.3 ms a response for it)."""

    def extract_cookies(self, response: object, request: object) -> None:
        """Keep nothing."""

    def add_cookie_header(self, request: object) -> None:
        """Send nothing."""


def _limits(settings: FetchSettings) -> httpx.Limits:
    return httpx.Limits(
        max_connections=settings.max_connections,
        max_keepalive_connections=settings.max_connections,
    )


def environment_proxies() -> dict[str, str | None]:
    """URL patterns and their proxy from HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY, as
    httpx reads them (None: no proxy for that pattern)."""
    return get_environment_proxies()


def sync_client(
    settings: FetchSettings, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """The client of a sync fetcher; `transport` replaces the network (tests of arithmetic)."""
    mounts: dict[str, httpx.BaseTransport | None] = {}
    if transport is None:
        transport = sync_transport(tls_context(), _limits(settings))
        for pattern, proxy in environment_proxies().items():
            mounts[pattern] = (
                sync_transport(tls_context(), _limits(settings), proxy) if proxy else None
            )
    return httpx.Client(
        transport=transport, mounts=mounts, follow_redirects=False, cookies=NoCookies()
    )


def async_client(
    settings: FetchSettings, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """The client of an async fetcher (see `sync_client`)."""
    mounts: dict[str, httpx.AsyncBaseTransport | None] = {}
    if transport is None:
        transport = async_transport(tls_context(), _limits(settings))
        for pattern, proxy in environment_proxies().items():
            mounts[pattern] = (
                async_transport(tls_context(), _limits(settings), proxy) if proxy else None
            )
    return httpx.AsyncClient(
        transport=transport, mounts=mounts, follow_redirects=False, cookies=NoCookies()
    )
