"""robots.txt: fetched once per host, obeyed by default, 4xx allows, 5xx disallows (RFC 9309)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from scraper.exit_codes import ExitCode
from scraper.http.errors import FetchError, RobotsDisallowed, RobotsUnavailable
from scraper.http.robots import RobotsCache
from scraper.http.settings import FetchSettings
from scraper.http.sync_fetcher import Fetcher

FAST = FetchSettings(connect_timeout=2.0, read_timeout=2.0, total_timeout=5.0, backoff_base=0.01)
PAGE = "<html><body><p>Hello</p></body></html>"
ROBOTS = (
    "User-agent: newsclean\nDisallow: /private/\nCrawl-delay: 2\n\nUser-agent: *\nDisallow: /\n"
)


def robots_reply(server, text: str = ROBOTS, status: int = 200):
    return server.reply(status, {"Content-Type": "text/plain"}, text.encode())


def test_a_disallowed_path_is_never_requested(server) -> None:
    server.route("/robots.txt", robots_reply(server))
    server.route("/private/a", server.html(PAGE))
    with Fetcher(FAST) as fetcher, pytest.raises(RobotsDisallowed) as caught:
        fetcher.fetch(server.url("/private/a"))
    assert caught.value.exit_code == ExitCode.PERMANENT
    assert server.requests_to("/private/a") == []


def test_robots_is_fetched_once_per_host_and_allowed_paths_are_fetched(server, loopback) -> None:
    other = loopback()
    for host in (server, other):
        host.route("/robots.txt", robots_reply(host))
        host.route("/news/a", host.html(PAGE))
    with Fetcher(FAST) as fetcher:
        for _ in range(3):
            fetcher.fetch(server.url("/news/a"))
            fetcher.fetch(other.url("/news/a"))
        assert fetcher.robots_for(server.url("/x")).crawl_delay("newsclean") == 2
    for host in (server, other):
        assert len(host.requests_to("/robots.txt")) == 1
        assert len(host.requests_to("/news/a")) == 3


def test_the_rules_of_the_user_agent_are_the_ones_obeyed(server) -> None:
    server.route("/robots.txt", robots_reply(server))
    server.route("/news/a", server.html(PAGE))
    settings = replace(FAST, user_agent="otherbot/1.0")
    with Fetcher(settings) as fetcher, pytest.raises(RobotsDisallowed):
        fetcher.fetch(server.url("/news/a"))


def test_robots_answering_404_allows_everything(server) -> None:
    server.route("/a", server.html(PAGE))
    with Fetcher(FAST) as fetcher:
        assert fetcher.fetch(server.url("/a")).text == PAGE
    assert len(server.requests_to("/robots.txt")) == 1


def test_robots_answering_500_disallows_everything_without_retrying_the_page(server) -> None:
    server.route("/robots.txt", robots_reply(server, "oops", status=500))
    server.route("/a", server.html(PAGE))
    with Fetcher(FAST) as fetcher:
        with pytest.raises(RobotsUnavailable) as caught:
            fetcher.fetch(server.url("/a"))
        with pytest.raises(RobotsUnavailable):
            fetcher.fetch(server.url("/a"))
    assert "robots.txt" in str(caught.value)
    assert caught.value.exit_code == ExitCode.TEMPORARY
    assert server.requests_to("/a") == []
    assert len(server.requests_to("/robots.txt")) == 1


def test_ignoring_robots_never_asks_for_it(server) -> None:
    server.route("/robots.txt", robots_reply(server))
    server.route("/private/a", server.html(PAGE))
    with Fetcher(replace(FAST, obey_robots=False)) as fetcher:
        assert fetcher.fetch(server.url("/private/a")).text == PAGE
    assert server.requests_to("/robots.txt") == []


def test_a_redirect_into_a_disallowed_path_is_not_followed(server) -> None:
    server.route("/robots.txt", robots_reply(server))
    server.route("/news/a", server.reply(301, {"Location": "/private/a"}))
    server.route("/private/a", server.html(PAGE))
    with Fetcher(FAST) as fetcher, pytest.raises(RobotsDisallowed):
        fetcher.fetch(server.url("/news/a"))
    assert server.requests_to("/private/a") == []


def test_a_shared_cache_serves_several_fetchers(server) -> None:
    server.route("/robots.txt", robots_reply(server))
    server.route("/news/a", server.html(PAGE))
    cache = RobotsCache()
    for _ in range(2):
        with Fetcher(FAST, robots=cache) as fetcher:
            fetcher.fetch(server.url("/news/a"))
    assert len(server.requests_to("/robots.txt")) == 1


def test_an_unreachable_host_fails_as_a_connection_error_and_is_asked_again(
    closed_port: int,
) -> None:
    url = f"http://127.0.0.1:{closed_port}/a"
    with Fetcher(replace(FAST, retries=0)) as fetcher:
        with pytest.raises(FetchError) as caught:
            fetcher.fetch(url)
        assert fetcher.robots.get(url) is None  # not cached as "disallowed"
    assert caught.value.transient
    assert "robots.txt" in str(caught.value)
