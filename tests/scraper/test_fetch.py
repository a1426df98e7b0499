"""Fetcher against a real loopback server: statuses, retries, redirects, timeouts, connections.

The server's own request log is the witness of how many requests were made, and when.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from scraper.exit_codes import ExitCode
from scraper.http.errors import (
    ClientError,
    ConnectFailed,
    FetchError,
    FetchTimeout,
    ServerError,
    TooManyRedirects,
    UnsupportedScheme,
)
from scraper.http.settings import DEFAULT_USER_AGENT, FetchSettings
from scraper.http.sync_fetcher import Fetcher
from tests.fakes.clock import SkippingClock

FAST = FetchSettings(
    connect_timeout=2.0, read_timeout=2.0, total_timeout=5.0, backoff_base=0.01, retries=3
)
PAGE = "<html><head><title>Hi</title></head><body><p>Hello from Hà Nội</p></body></html>"


def fetch(url: str, settings: FetchSettings = FAST, **kwargs: object):
    with Fetcher(settings) as fetcher:
        return fetcher.fetch(url, **kwargs)


def fail(url: str, settings: FetchSettings = FAST, **kwargs: object) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch(url, settings, **kwargs)
    return caught.value


def test_a_page_comes_back_decoded_with_its_metadata(server) -> None:
    server.route("/a", server.html(PAGE))
    result = fetch(server.url("/a"))
    assert (result.status, result.final_url, result.not_modified) == (200, server.url("/a"), False)
    assert result.text == PAGE
    assert result.content == PAGE.encode()
    assert result.content_type == "text/html"
    assert result.headers["content-type"] == "text/html; charset=utf-8"
    assert result.http_version == "HTTP/1.1"


def test_the_user_agent_names_newsclean_and_can_be_overridden(server) -> None:
    server.route("/a", server.html(PAGE))
    fetch(server.url("/a"))
    fetch(server.url("/a"), replace(FAST, user_agent="my-bot/2"))
    agents = [r.headers["User-Agent"] for r in server.requests_to("/a")]
    assert agents == [DEFAULT_USER_AGENT, "my-bot/2"]
    assert DEFAULT_USER_AGENT.startswith("newsclean/")


def test_429_with_retry_after_is_retried_after_waiting_that_long(server) -> None:
    server.route("/a", [server.reply(429, {"Retry-After": "20"}), server.html(PAGE)])
    clock = SkippingClock()
    server.clock = clock.monotonic
    with Fetcher(FAST, clock=clock) as fetcher:
        assert fetcher.fetch(server.url("/a")).text == PAGE
    first, second = server.requests_to("/a")
    assert second.at - first.at >= 20.0 and clock.waits == [20.0]


def test_503_three_times_then_200_succeeds_on_the_fourth_request(server) -> None:
    server.route("/a", [server.reply(503)] * 3 + [server.html(PAGE)])
    assert fetch(server.url("/a")).text == PAGE
    assert len(server.requests_to("/a")) == 4


def test_503_forever_gives_up_after_the_retries_as_a_transient_error(server) -> None:
    server.route("/a", server.reply(503))
    error = fail(server.url("/a"))
    assert isinstance(error, ServerError)
    assert (error.status, error.transient, error.exit_code) == (503, True, ExitCode.TEMPORARY)
    assert len(server.requests_to("/a")) == 1 + FAST.retries


def test_a_retry_after_longer_than_the_wait_cap_fails_at_once(server) -> None:
    server.route("/a", server.reply(503, {"Retry-After": "120"}))
    error = fail(server.url("/a"))
    assert isinstance(error, ServerError)
    assert error.retry_after == 120
    assert len(server.requests_to("/a")) == 1


def test_404_is_permanent_and_requested_once(server) -> None:
    error = fail(server.url("/missing"))
    assert isinstance(error, ClientError)
    assert (error.status, error.transient, error.exit_code) == (404, False, ExitCode.PERMANENT)
    assert error.url == server.url("/missing")
    assert len(server.requests_to("/missing")) == 1


def test_redirects_are_followed_and_recorded(server) -> None:
    server.route("/old", server.reply(301, {"Location": "/new"}))
    server.route("/new", server.html(PAGE))
    result = fetch(server.url("/old"))
    assert (result.url, result.final_url) == (server.url("/old"), server.url("/new"))
    assert result.redirects == (server.url("/new"),)


def test_a_redirect_loop_stops_at_the_redirect_cap(server) -> None:
    server.route("/loop", server.reply(302, {"Location": "/loop"}))
    error = fail(server.url("/loop"), replace(FAST, max_redirects=4))
    assert isinstance(error, TooManyRedirects)
    assert error.exit_code == ExitCode.PERMANENT
    assert len(server.requests_to("/loop")) == 5  # the first request and four redirects


def test_a_redirect_to_file_is_refused(server) -> None:
    server.route("/a", server.reply(302, {"Location": "file:///etc/passwd"}))
    error = fail(server.url("/a"))
    assert isinstance(error, UnsupportedScheme)
    assert "file:///etc/passwd" in str(error)


def test_non_http_urls_are_refused_before_any_request() -> None:
    assert isinstance(fail("ftp://127.0.0.1/a"), UnsupportedScheme)


def test_a_slow_drip_fails_at_the_read_timeout(server) -> None:
    server.route("/a", server.drip(b"<p>", every=1.0))
    error = fail(server.url("/a"), replace(FAST, read_timeout=0.2, retries=0))
    assert isinstance(error, FetchTimeout)
    assert "read" in str(error)
    assert error.exit_code == ExitCode.TEMPORARY


def test_a_drip_fast_enough_for_the_read_timeout_fails_at_the_total_timeout(server) -> None:
    server.route("/a", server.drip(b"<p>", every=0.05))
    error = fail(server.url("/a"), replace(FAST, read_timeout=1.0, total_timeout=0.5, retries=0))
    assert isinstance(error, FetchTimeout)
    assert "whole request" in str(error)


def test_timeouts_are_retried(server) -> None:
    server.route("/a", [server.drip(b"<p>", every=1.0), server.html(PAGE)])
    assert fetch(server.url("/a"), replace(FAST, read_timeout=0.2)).text == PAGE
    assert len(server.requests_to("/a")) == 2


def test_connection_refused_is_transient(closed_port: int) -> None:
    url = f"http://127.0.0.1:{closed_port}/a"
    error = fail(url, replace(FAST, retries=1))
    assert isinstance(error, ConnectFailed)
    assert (error.transient, error.exit_code, error.url) == (True, ExitCode.TEMPORARY, url)


def test_conditional_request_sends_validators_and_reports_not_modified(server) -> None:
    server.route("/a", server.reply(304, {"ETag": '"v1"'}))
    result = fetch(server.url("/a"), etag='"v1"', last_modified="Mon, 15 Sep 2025 08:00:00 GMT")
    assert (result.status, result.not_modified, result.text) == (304, True, None)
    sent = server.requests_to("/a")[0].headers
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Mon, 15 Sep 2025 08:00:00 GMT"


def test_one_fetcher_reuses_its_connection(server) -> None:
    server.route("/a", server.html(PAGE))
    with Fetcher(FAST) as fetcher:
        for _ in range(3):
            fetcher.fetch(server.url("/a"))
    assert len(server.requests_to("/a")) == 3
