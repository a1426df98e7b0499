"""What an answer means as a FetchError: an HTTP status, an httpx transport exception, the
rules of robots.txt."""

from __future__ import annotations

import httpx

from scraper.http.errors import (
    ClientError,
    ConnectFailed,
    FetchError,
    FetchTimeout,
    InvalidURL,
    RobotsDisallowed,
    RobotsUnavailable,
    ServerError,
    UnsupportedScheme,
)
from scraper.http.retry import parse_retry_after
from scraper.http.robots import RobotsRules


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


def transport_error(
    error: httpx.TransportError | httpx.InvalidURL, *, url: str, limits: str, deadline_passed: bool
) -> FetchError:
    """The FetchError an httpx transport exception means."""
    if isinstance(error, httpx.TimeoutException):
        phase = "whole request" if deadline_passed else _phase(error)
        return FetchTimeout(f"timed out ({phase}; limits {limits})", url=url)
    if isinstance(error, httpx.UnsupportedProtocol):
        return UnsupportedScheme("not an http(s) URL", url=url)
    if isinstance(error, httpx.RemoteProtocolError) and "location header" in str(error).lower():
        return InvalidURL(f"redirect to an invalid URL ({error})", url=url)
    if isinstance(error, httpx.TransportError):
        return ConnectFailed(f"connection failed ({str(error) or type(error).__name__})", url=url)
    return InvalidURL(f"invalid URL ({error})", url=url)  # httpx.InvalidURL and the like


def _phase(error: httpx.TimeoutException) -> str:
    return {
        httpx.ConnectTimeout: "connect",
        httpx.ReadTimeout: "read",
        httpx.WriteTimeout: "write",
        httpx.PoolTimeout: "pool",
    }.get(type(error), "request")


def check_robots(url: str, rules: RobotsRules, user_agent: str) -> None:
    """Raise unless robots.txt lets `user_agent` fetch `url` (no answer means no, RFC 9309)."""
    if rules.error is not None:
        error = rules.error
        raise type(error)(f"{error.message} (robots.txt)", url=url, status=error.status)
    if rules.parser.can_fetch(url, user_agent):
        return
    if not rules.reachable:
        status = f"HTTP {rules.status}" if rules.status else "no answer"
        raise RobotsUnavailable(
            f"robots.txt unavailable ({status}), so the site counts as disallowed", url=url
        )
    raise RobotsDisallowed("robots.txt disallows this URL for our user agent", url=url)
