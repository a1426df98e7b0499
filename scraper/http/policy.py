"""When to retry and how long to wait; which status or transport failure is which FetchError.

Pure decisions shared by the sync and the async fetcher; they do the sleeping themselves.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from scraper.http.errors import (
    ClientError,
    ConnectFailed,
    FetchError,
    FetchTimeout,
    InvalidURL,
    OffsiteURL,
    ServerError,
    TooManyRedirects,
    UnsupportedScheme,
)
from scraper.http.guard import deadline_passed
from scraper.http.url_check import SCHEMES, check_url


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


def error_for_status(url: str, status: int, headers: dict[str, str]) -> FetchError | None:
    """The error an HTTP status means (429/5xx transient, other 4xx permanent), None if fine."""
    if status == 429 or status >= 500:
        retry_after = parse_retry_after(headers.get("retry-after"))
        reason = "too many requests" if status == 429 else "server error"
        return ServerError(reason, url=url, status=status, retry_after=retry_after)
    if status >= 400:
        return ClientError("client error", url=url, status=status)
    if 300 <= status < 400 and status != 304:
        return ClientError("redirect without a usable Location", url=url, status=status)
    return None


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


class RedirectChain:
    """The hops of one fetch: counts them, refuses loops past the cap, invalid or non-http(s)
    targets, and targets on hosts `allows` refuses (a crawl's site scope)."""

    def __init__(
        self, url: str, max_redirects: int, allows: Callable[[str], bool] | None = None
    ) -> None:
        self.url = url
        self.max_redirects = max_redirects
        self.allows = allows
        self.hops: list[str] = [url]
        check_url(url)

    def follow(self, response: httpx.Response) -> httpx.Request:
        """The request for the redirect target of `response` (which has one)."""
        request = response.next_request
        assert request is not None
        location = response.headers.get("location", "").strip()
        if "://" in location or location.lower().startswith(("file:", "data:", "javascript:")):
            check_scheme(location, url=self.url)  # as sent: httpx fills in a host for file:///
        target = str(request.url)
        try:
            check_url(target)
        except FetchError as error:
            raise type(error)(f"redirect target {target}: {error.message}", url=self.url) from None
        if self.allows is not None and not self.allows(target):
            raise OffsiteURL(
                f"redirect to a host this site's configuration does not name: {target}",
                url=self.url,
                status=response.status_code,
            )
        if len(self.hops) > self.max_redirects:
            loop = " (a loop)" if target in self.hops else ""
            raise TooManyRedirects(
                f"more than {self.max_redirects} redirects{loop}",
                url=self.url,
                status=response.status_code,
            )
        self.hops.append(target)
        return request


def check_scheme(target: str, *, url: str) -> None:
    """Raise UnsupportedScheme unless `target` is an http or https URL with a host."""
    scheme, _, rest = target.partition("://")
    if scheme.lower() not in SCHEMES or not rest:
        shown = target if len(target) < 80 else target[:77] + "..."
        raise UnsupportedScheme(f"not an http(s) URL: {shown}", url=url)


@contextmanager
def transport_errors(url: str, timeouts: str) -> Iterator[None]:
    """Turn httpx's transport exceptions into our FetchErrors (usable in sync and async code)."""
    try:
        yield
    except httpx.TimeoutException as error:
        phase = "whole request" if deadline_passed() else _phase(error)
        raise FetchTimeout(f"timed out ({phase}; limits {timeouts})", url=url) from None
    except httpx.UnsupportedProtocol:
        raise UnsupportedScheme("not an http(s) URL", url=url) from None
    except httpx.InvalidURL as error:
        raise InvalidURL(f"invalid URL ({error})", url=url) from None
    except httpx.RemoteProtocolError as error:
        if "location header" in str(error).lower():  # httpx could not parse a redirect target
            raise InvalidURL(f"redirect to an invalid URL ({error})", url=url) from None
        raise ConnectFailed(f"connection failed ({error})", url=url) from None
    except httpx.TransportError as error:
        detail = str(error) or type(error).__name__
        raise ConnectFailed(f"connection failed ({detail})", url=url) from None


def _phase(error: httpx.TimeoutException) -> str:
    return {
        httpx.ConnectTimeout: "connect",
        httpx.ReadTimeout: "read",
        httpx.WriteTimeout: "write",
        httpx.PoolTimeout: "pool",
    }.get(type(error), "request")
