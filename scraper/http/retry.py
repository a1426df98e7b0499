"""When to try a request again, and how long to wait first: backoff with jitter that honours
Retry-After, with a cap on the total wait."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scraper.http.errors import FetchError


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryPlan:
    """Exponential backoff with jitter for one fetch; honours Retry-After; caps the total wait."""

    def __init__(
        self, retries: int, backoff_base: float, max_wait: float, rng: random.Random | None = None
    ) -> None:
        self.retries = retries
        self.backoff_base = backoff_base
        self.max_wait = max_wait
        self.attempts = 0
        self.waited = 0.0
        self._rng = rng  # made on the first retry: seeding one costs more than most fetches

    def delay_after(self, error: FetchError) -> float | None:
        """Seconds to wait before the next attempt, or None to give up and raise `error`."""
        if not error.retryable or self.attempts >= self.retries:
            return None
        backoff = self.backoff_base * 2**self.attempts
        # "equal jitter": the wait still grows, but clients that failed together spread out
        if self._rng is None:
            self._rng = random.Random()
        delay = backoff / 2 + self._rng.uniform(0, backoff / 2)
        if error.retry_after is not None:
            delay = max(delay, error.retry_after)
        if self.waited + delay > self.max_wait:
            return None  # the server asks for longer than we may wait: fail now, not later
        self.attempts += 1
        self.waited += delay
        return delay
