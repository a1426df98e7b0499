"""Retry arithmetic, Retry-After parsing and the fetch policy's steps (pure; no server needed)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import httpx
import pytest

from scraper.clock import Clock
from scraper.http.answers import error_for_status
from scraper.http.errors import ClientError, ConnectFailed, RobotsUnavailable, ServerError
from scraper.http.host_scope import HostScope
from scraper.http.policy import Done, Fail, NeedRobots, PageFetch, ReadBody, Send, Wait
from scraper.http.retry import RetryPlan, parse_retry_after
from scraper.http.robots import rules_from_response
from scraper.http.settings import FetchSettings

NOW = datetime(2025, 9, 15, 8, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Mon, 15 Sep 2025 08:00:30 GMT", 30.0),
        ("Mon, 15 Sep 2025 07:00:00 GMT", 0.0),  # in the past: no wait
        ("soon", None),
        ("-5", None),
        (None, None),
    ],
)
def test_retry_after_in_seconds_or_http_date(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header, NOW) == seconds


def test_backoff_grows_exponentially_with_jitter_and_stops_after_the_retries() -> None:
    plan = RetryPlan(retries=3, backoff_base=1.0, max_wait=100.0, rng=random.Random(7))
    error = ConnectFailed("refused", url="http://x/")
    delays = [plan.delay_after(error) for _ in range(4)]
    assert delays[3] is None
    for attempt, delay in enumerate(delays[:3]):
        assert 2**attempt / 2 <= delay <= 2**attempt


def test_retry_after_is_a_floor_for_the_wait() -> None:
    plan = RetryPlan(retries=3, backoff_base=0.1, max_wait=100.0)
    assert plan.delay_after(ServerError("busy", url="u", status=429, retry_after=7.0)) == 7.0


def test_the_total_wait_is_capped() -> None:
    plan = RetryPlan(retries=10, backoff_base=1.0, max_wait=5.0, rng=random.Random(1))
    error = ConnectFailed("refused", url="u")
    delays = []
    while (delay := plan.delay_after(error)) is not None:
        delays.append(delay)
    assert sum(delays) <= 5.0
    assert 2 <= len(delays) < 10


@pytest.mark.parametrize(
    "error",
    [ClientError("gone", url="u", status=410), RobotsUnavailable("robots 503", url="u")],
)
def test_permanent_errors_and_robots_outages_are_not_retried(error) -> None:
    assert RetryPlan(retries=3, backoff_base=0.1, max_wait=10.0).delay_after(error) is None


@pytest.mark.parametrize(
    ("status", "kind"),
    [(200, None), (304, None), (404, ClientError), (429, ServerError), (503, ServerError)],
)
def test_status_to_error(status: int, kind: type | None) -> None:
    error = error_for_status("http://x/", status, {})
    assert type(error) is kind if kind else error is None


# --- the fetch policy on its own: steps in, steps out, no server and no clock -----------------


class StoppedClock(Clock):
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 100.0

    def monotonic(self) -> float:
        return self.now


def answer(request: httpx.Request, status: int, **headers: str) -> httpx.Response:
    named = {name.replace("_", "-"): value for name, value in headers.items()}
    response = httpx.Response(status, headers=named, request=request)
    if "location" in headers:
        response.next_request = httpx.Request("GET", request.url.join(headers["location"]))
    return response


def page_fetch(url: str = "http://news.example/a", **options) -> tuple[PageFetch, StoppedClock]:
    clock = StoppedClock()
    chosen = {"obey_robots": False, "backoff_base": 0.2, **options.pop("settings", {})}
    scope = options.pop("scope", HostScope.anywhere(url))
    policy = PageFetch(
        url, kind="html", settings=FetchSettings(**chosen), scope=scope, clock=clock, **options
    )
    return policy, clock


def test_a_page_is_sent_read_and_judged() -> None:
    policy, _ = page_fetch()
    send = policy.start()
    assert isinstance(send, Send) and send.request.headers["Accept"].startswith("text/html")
    assert send.request.extensions["timeout"]["read"] == 10.0
    read = policy.response(answer(send.request, 200, content_type="text/html"))
    assert isinstance(read, ReadBody)
    read.reader.feed(b"<p>hello</p>")
    done = policy.body()
    assert isinstance(done, Done) and done.value.content == b"<p>hello</p>"
    assert [r.status for r in policy.take_records()] == [200]


def test_robots_txt_is_asked_for_before_each_hop_and_obeyed() -> None:
    policy, _ = page_fetch(settings={"obey_robots": True})
    need = policy.start()
    assert isinstance(need, NeedRobots) and need.fetch.target == "http://news.example/robots.txt"
    fail = policy.robots(rules_from_response(200, b"User-agent: *\nDisallow: /\n"))
    assert isinstance(fail, Fail) and fail.error.reason == "robots_disallowed"


def test_a_redirect_off_the_scope_fails_and_is_recorded() -> None:
    scope = HostScope.for_site(["http://news.example/rss"])
    policy, _ = page_fetch(scope=scope)
    send = policy.start()
    fail = policy.response(answer(send.request, 301, location="http://elsewhere.example/a"))
    assert isinstance(fail, Fail) and fail.error.reason == "offsite"
    assert [(r.status, r.body) for r in policy.take_records()] == [(301, b"")]


def test_a_503_waits_its_retry_after_then_tries_again_within_the_deadline() -> None:
    policy, clock = page_fetch(deadline=100.0 + 5.0)
    send = policy.start()
    read = policy.response(answer(send.request, 503, retry_after="2"))
    assert isinstance(read, ReadBody)
    wait = policy.body()
    assert wait == Wait(2.0)
    clock.now += 2.0
    assert isinstance(policy.waited(), Send)
    clock.now += 2.5  # the second answer comes 4.5 s in: a 2 s wait would pass the deadline
    read = policy.response(answer(send.request, 503, retry_after="2"))
    assert isinstance(read, ReadBody)
    fail = policy.body()
    assert isinstance(fail, Fail) and fail.error.status == 503
