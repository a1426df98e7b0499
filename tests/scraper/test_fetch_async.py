"""AsyncFetcher: the same policy as Fetcher, safe for many tasks at once."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from scraper.http.async_fetcher import AsyncFetcher
from scraper.http.errors import (
    BodyTooLarge,
    ClientError,
    FetchTimeout,
    RobotsDisallowed,
    ServerError,
)
from scraper.http.settings import FetchSettings

FAST = FetchSettings(
    connect_timeout=2.0, read_timeout=2.0, total_timeout=5.0, backoff_base=0.01, max_bytes=500_000
)
PAGE = "<html><body><p>Xin chào, Hà Nội</p></body></html>"


def run(coroutine):
    return asyncio.run(coroutine)


def test_concurrent_fetches_share_one_robots_request(server) -> None:
    server.route("/robots.txt", server.reply(200, {}, b"User-agent: *\nDisallow: /private/\n"))
    for n in range(8):
        server.route(f"/news/{n}", server.html(PAGE))

    async def main() -> list[str | None]:
        async with AsyncFetcher(FAST) as fetcher:
            pages = [fetcher.fetch(server.url(f"/news/{n}")) for n in range(8)]
            return [result.text for result in await asyncio.gather(*pages)]

    assert run(main()) == [PAGE] * 8
    assert len(server.requests_to("/robots.txt")) == 1


def test_errors_and_retries_match_the_sync_fetcher(server) -> None:
    server.route("/flaky", [server.reply(503), server.html(PAGE)])
    server.route("/down", server.reply(502))
    server.route("/private/a", server.html(PAGE))
    server.route("/robots.txt", server.reply(200, {}, b"User-agent: *\nDisallow: /private/\n"))

    async def main() -> None:
        async with AsyncFetcher(replace(FAST, retries=2)) as fetcher:
            assert (await fetcher.fetch(server.url("/flaky"))).text == PAGE
            with pytest.raises(ServerError):
                await fetcher.fetch(server.url("/down"))
            with pytest.raises(ClientError):
                await fetcher.fetch(server.url("/missing"))
            with pytest.raises(RobotsDisallowed):
                await fetcher.fetch(server.url("/private/a"))

    run(main())
    assert len(server.requests_to("/flaky")) == 2
    assert len(server.requests_to("/down")) == 3
    assert len(server.requests_to("/missing")) == 1
    assert server.requests_to("/private/a") == []


def test_an_endless_stream_stops_at_the_cap(server) -> None:
    server.route("/endless", server.endless_chunks())

    async def main() -> None:
        async with AsyncFetcher(FAST) as fetcher:
            await fetcher.fetch(server.url("/endless"))

    with pytest.raises(BodyTooLarge):
        run(main())


def test_a_drip_stops_at_the_total_timeout(server) -> None:
    server.route("/drip", server.drip(b"<p>", every=0.05))

    async def main() -> None:
        settings = replace(FAST, read_timeout=1.0, total_timeout=0.5, retries=0)
        async with AsyncFetcher(settings) as fetcher:
            await fetcher.fetch(server.url("/drip"))

    with pytest.raises(FetchTimeout):
        run(main())


def test_robots_for_gives_the_parsed_rules(server) -> None:
    robots = b"User-agent: *\nCrawl-delay: 3\nSitemap: http://example.com/sitemap.xml\n"
    server.route("/robots.txt", server.reply(200, {}, robots))

    async def main():
        async with AsyncFetcher(FAST) as fetcher:
            return await fetcher.robots_for(server.url("/a"))

    rules = run(main())
    assert rules.crawl_delay("newsclean") == 3
    assert list(rules.sitemaps) == ["http://example.com/sitemap.xml"]
