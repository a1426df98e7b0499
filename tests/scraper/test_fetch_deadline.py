"""One deadline per request, headers included, in both fetchers and for robots.txt; addresses
checked on every connection. The servers are real, on 127.0.0.1, and log every request.

A server that sends one header byte at a time satisfies every read timeout; only a deadline on
the whole request ends it. Each fetch runs under a hang guard: without the deadline it would
never return, and the guard turns that into a failure instead of a stuck suite.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TypeVar

import pytest

from scraper.http.addresses import AddressPolicy
from scraper.http.async_fetcher import AsyncFetcher
from scraper.http.errors import AddressRefused, FetchError, FetchTimeout, InvalidURL, OffsiteURL
from scraper.http.host_scope import HostScope
from scraper.http.settings import FetchSettings
from scraper.http.sync_fetcher import Fetcher
from tests.fakes.clock import SkippingClock

T = TypeVar("T")
HANG_GUARD = 60.0  # far past any deadline here: only a fetch that never ends reaches it
SETTINGS = FetchSettings(connect_timeout=2.0, read_timeout=2.0, total_timeout=0.5, retries=0)
PAGE = "<html><body><p>Hello</p></body></html>"


def within_guard(call: Callable[[], T]) -> T:
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(call).result(timeout=HANG_GUARD)


def sync_fetch(url: str, settings: FetchSettings = SETTINGS, **kwargs: object):
    def run():
        with Fetcher(settings) as fetcher:
            return fetcher.fetch(url, **kwargs)

    return within_guard(run)


def async_fetch(url: str, settings: FetchSettings = SETTINGS, **kwargs: object):
    async def run():
        async with AsyncFetcher(settings) as fetcher:
            return await fetcher.fetch(url, **kwargs)

    return within_guard(lambda: asyncio.run(run()))


@pytest.mark.parametrize("fetch", [sync_fetch, async_fetch], ids=["sync", "async"])
def test_headers_sent_a_byte_at_a_time_end_at_the_deadline(server, fetch) -> None:
    server.route("/story", server.slow_headers(every=0.2))
    with pytest.raises(FetchTimeout) as caught:
        fetch(server.url("/story"))
    assert "whole request" in str(caught.value)
    assert caught.value.transient
    assert len(server.requests_to("/story")) == 1


@pytest.mark.parametrize("fetch", [sync_fetch, async_fetch], ids=["sync", "async"])
def test_robots_txt_sent_a_byte_at_a_time_ends_at_the_deadline(server, fetch) -> None:
    server.route("/robots.txt", server.slow_headers(every=0.2))
    server.route("/story", server.html(PAGE))
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/story"))
    assert "robots.txt" in str(caught.value) and caught.value.transient
    assert server.requests_to("/story") == []


def test_one_deadline_bounds_the_retries_and_their_waits(server) -> None:
    # every attempt is short, but 503s with Retry-After would go on: the deadline stops them
    server.route("/story", server.reply(503, {"Retry-After": "10"}))
    settings = replace(SETTINGS, retries=10, max_retry_wait=1000.0)
    clock = SkippingClock()

    def run():
        with Fetcher(settings, clock=clock) as fetcher:
            return fetcher.fetch(server.url("/story"), deadline=clock.monotonic() + 25.0)

    with pytest.raises(FetchError) as caught:
        within_guard(run)
    assert caught.value.status == 503
    assert clock.waits == [10.0, 10.0]  # a third wait would end past the deadline
    assert len(server.requests_to("/story")) == 3


def test_a_redirect_to_an_invalid_port_fails_as_invalid_url(server) -> None:
    for n, target in enumerate(("http://127.0.0.1:99999/x", "http://h:abc/x")):
        server.route(f"/r{n}", server.reply(302, {"Location": target}))
        with pytest.raises(InvalidURL) as caught:
            sync_fetch(server.url(f"/r{n}"), replace(SETTINGS, obey_robots=False))
        assert caught.value.reason == "invalid_url"


@pytest.mark.parametrize("fetch", [sync_fetch, async_fetch], ids=["sync", "async"])
def test_a_redirect_off_the_scope_is_not_followed(server, loopback, fetch) -> None:
    bait = loopback()
    server.route("/story", server.reply(301, {"Location": bait.url("/story")}))
    scope = HostScope.for_site([server.url("/rss.xml")])
    with pytest.raises(OffsiteURL):
        fetch(server.url("/story"), scope=scope)
    assert bait.log == []


@pytest.mark.parametrize("fetch", [sync_fetch, async_fetch], ids=["sync", "async"])
def test_an_address_outside_the_sites_ranges_is_never_connected_to(server, fetch) -> None:
    # a site that lives on the public web: 127.0.0.1 is not its range, whatever the URL says
    server.route("/story", server.html(PAGE))
    outside = HostScope(None, AddressPolicy(frozenset({"news.example"})))
    with pytest.raises(AddressRefused) as caught:
        fetch(server.url("/story"), scope=outside)
    assert "loopback" in str(caught.value)
    assert server.log == []
    # the site itself on 127.0.0.1: its own range is open
    inside = HostScope(None, AddressPolicy.for_hosts({"127.0.0.1"}))
    assert fetch(server.url("/story"), scope=inside).status == 200


def test_get_against_slow_headers_exits_75_in_one_line(server) -> None:
    server.route("/story", server.slow_headers(every=0.2))
    command = [sys.executable, "-m", "scraper", "get", server.url("/story"), "--timeout", "1"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=HANG_GUARD)
    assert done.returncode == 75, done.stderr
    assert done.stderr.count("\n") == 1 and "whole request" in done.stderr
