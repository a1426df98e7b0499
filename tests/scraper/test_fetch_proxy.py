"""The proxies the environment names (HTTP_PROXY, NO_PROXY) are used by both fetchers, and the
address guard judges each request's target, not the proxy. The proxy is a real one on 127.0.0.1.
"""

from __future__ import annotations

import asyncio

import pytest

from scraper.http.addresses import AddressPolicy
from scraper.http.async_fetcher import AsyncFetcher
from scraper.http.errors import AddressRefused
from scraper.http.host_scope import HostScope
from scraper.http.settings import FetchSettings
from scraper.http.sync_fetcher import Fetcher

SETTINGS = FetchSettings(connect_timeout=2.0, read_timeout=2.0, total_timeout=5.0, retries=0)
PAGE = "<html><body><p>Through the proxy</p></body></html>"


def sync_fetch(url: str, **kwargs: object):
    with Fetcher(SETTINGS) as fetcher:
        return fetcher.fetch(url, **kwargs)


def async_fetch(url: str, **kwargs: object):
    async def run():
        async with AsyncFetcher(SETTINGS) as fetcher:
            return await fetcher.fetch(url, **kwargs)

    return asyncio.run(run())


@pytest.fixture(autouse=True)
def no_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.mark.parametrize("fetch", [sync_fetch, async_fetch], ids=["sync", "async"])
def test_http_proxy_carries_every_request(server, proxy, monkeypatch, fetch) -> None:
    server.route("/story", server.html(PAGE))
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    assert fetch(server.url("/story")).text == PAGE
    assert proxy.log == [server.url("/robots.txt"), server.url("/story")]


@pytest.mark.parametrize("fetch", [sync_fetch, async_fetch], ids=["sync", "async"])
def test_no_proxy_sends_directly(server, proxy, monkeypatch, fetch) -> None:
    server.route("/story", server.html(PAGE))
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert fetch(server.url("/story")).text == PAGE
    assert proxy.log == [] and len(server.requests_to("/story")) == 1


@pytest.mark.parametrize("fetch", [sync_fetch, async_fetch], ids=["sync", "async"])
def test_the_address_guard_judges_the_target_not_the_proxy(
    server, proxy, monkeypatch, fetch
) -> None:
    server.route("/story", server.html(PAGE))
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    # a site on the public web: a target on loopback is refused although the proxy is there
    outside = HostScope(None, AddressPolicy(frozenset({"news.example"})))
    with pytest.raises(AddressRefused) as caught:
        fetch(server.url("/story"), scope=outside)
    assert "loopback" in str(caught.value)
    assert proxy.log == [] and server.log == []
