"""The sync and the async fetcher drive one policy, so they behave the same in every respect:
what they record for the WARC archive, cookies, the whole-request deadline while reading."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from scraper.http.async_fetcher import AsyncFetcher
from scraper.http.errors import FetchError, FetchTimeout
from scraper.http.policy import ERROR_BODY_MAX_BYTES
from scraper.http.settings import FetchSettings
from scraper.http.sync_fetcher import Fetcher

FAST = FetchSettings(
    connect_timeout=2.0, read_timeout=2.0, total_timeout=5.0, backoff_base=0.01, max_bytes=500_000
)
PAGE = "<html><body><p>Xin chào, Hà Nội</p></body></html>"


def run_sync(settings, urls, **options):
    """Fetch each URL in turn with one sync fetcher; each outcome is a result or an error."""
    outcomes = []
    with Fetcher(settings, **options) as fetcher:
        for url in urls:
            try:
                outcomes.append(fetcher.fetch(url))
            except FetchError as error:
                outcomes.append(error)
    return outcomes


def run_async(settings, urls, **options):
    async def main():
        outcomes = []
        async with AsyncFetcher(settings, **options) as fetcher:
            for url in urls:
                try:
                    outcomes.append(await fetcher.fetch(url))
                except FetchError as error:
                    outcomes.append(error)
        return outcomes

    return asyncio.run(main())


DRIVERS = pytest.mark.parametrize("run", [run_sync, run_async], ids=["sync", "async"])


@DRIVERS
def test_every_response_is_recorded_once_redirects_errors_and_robots_included(server, run) -> None:
    robots = b"User-agent: *\nDisallow: /private/\n"
    server.route("/robots.txt", server.reply(200, {}, robots))
    server.route("/old", server.reply(301, {"Location": "/news/1"}))
    server.route("/news/1", server.html(PAGE))
    server.route("/photo", server.reply(200, {"Content-Type": "image/jpeg"}, b"\xff\xd8\xff"))
    server.route("/big", server.endless_chunks())
    server.route("/gone", server.reply(410, {}, b"x" * 300_000))
    recorded = []

    def record(response):
        path = response.url.removeprefix(server.url("").rstrip("/"))
        recorded.append((path, response.status, response.body, response.truncated))

    paths = ("/old", "/missing", "/photo", "/big", "/gone", "/private/a")
    outcomes = run(FAST, [server.url(p) for p in paths], on_response=record)
    assert [type(o).__name__ for o in outcomes] == [
        "FetchResult",
        "ClientError",
        "NotHTML",
        "BodyTooLarge",
        "ClientError",
        "RobotsDisallowed",
    ]
    assert recorded == [
        ("/robots.txt", 200, robots, False),
        ("/old", 301, b"", False),
        ("/news/1", 200, PAGE.encode(), False),
        ("/missing", 404, b"not found", False),
        ("/photo", 200, b"", False),  # refused on its Content-Type, body never read
        ("/big", 200, b"", False),  # refused past the size cap
        ("/gone", 410, b"x" * ERROR_BODY_MAX_BYTES, True),  # enough of an error page
    ]  # /private/a is never requested: robots.txt says no


@DRIVERS
def test_a_successful_page_is_left_to_the_caller_to_record(server, run) -> None:
    server.route("/news/1", server.html(PAGE))
    recorded = []
    run(FAST, [server.url("/news/1")], on_response=recorded.append, record_pages=False)
    assert [r.url for r in recorded] == [server.url("/robots.txt")]


@DRIVERS
def test_cookies_are_neither_kept_nor_sent(server, run) -> None:
    server.route("/a", server.html(PAGE, set_cookie="session=s3cret; Path=/"))
    server.route("/b", server.html(PAGE))
    outcomes = run(FAST, [server.url("/a"), server.url("/b")])
    assert [o.status for o in outcomes] == [200, 200]
    assert "Cookie" not in server.requests_to("/b")[0].headers


@DRIVERS
def test_a_body_dripping_faster_than_the_read_timeout_ends_at_the_deadline(server, run) -> None:
    server.route("/drip", server.drip(b"<p>", every=0.05))
    settings = replace(FAST, read_timeout=1.0, total_timeout=0.5, retries=0)
    (outcome,) = run(settings, [server.url("/drip")])
    assert isinstance(outcome, FetchTimeout) and "whole request" in str(outcome)
