"""Retry arithmetic and Retry-After parsing (pure; no server needed)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from scraper.http.errors import ClientError, ConnectFailed, RobotsUnavailable, ServerError
from scraper.http.policy import RetryPlan, error_for_status, parse_retry_after

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
