"""robots.txt per origin, fetched once per run and kept; what an answer means (RFC 9309).

The fetchers (sync and async) do the I/O; this module holds the cache and the rules:
2xx is parsed, 4xx means everything is allowed, 5xx or no answer means everything is disallowed.
"""

from __future__ import annotations

import asyncio
import functools
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from scraper.http.errors import FetchError

ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 2.5: parse at least 500 KiB, ignore the rest
ROBOTS_MAX_REDIRECTS = 5  # RFC 9309 2.3.1.2: follow at least five


@dataclass(frozen=True)
class RobotsRules:
    """The parsed robots.txt of one origin, and whether it could be read at all."""

    parser: Protego
    reachable: bool  # False: 5xx or no answer, so everything is disallowed
    status: int | None  # the HTTP status of robots.txt, None when unreachable
    error: FetchError | None = None  # why there was no answer; such rules are not cached


def origin_of(url: str) -> str:
    """`https://Example.com:443/a?b` -> `https://example.com:443`, the key robots.txt is per."""
    # Asked several times per page: parse each distinct scheme and authority once.
    scheme, sep, rest = url.partition("://")
    if not sep:
        return _origin(url)
    end = len(rest)
    for stop in "/?#":
        found = rest.find(stop, 0, end)
        if found >= 0:
            end = found
    return _origin(f"{scheme}://{rest[:end]}")


@functools.lru_cache(maxsize=1024)
def _origin(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def robots_url(url: str) -> str:
    """The robots.txt URL that governs `url`."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def rules_from_response(
    status: int | None, body: bytes, error: FetchError | None = None
) -> RobotsRules:
    """What a robots.txt answer means: parsed (2xx), allow all (4xx), disallow all (else)."""
    if status is not None and 200 <= status < 300:
        text = body[:ROBOTS_MAX_BYTES].decode("utf-8", "replace")
        return RobotsRules(Protego.parse(text), reachable=True, status=status)
    if status is not None and 400 <= status < 500:
        return RobotsRules(Protego.parse(""), reachable=True, status=status)
    disallow_all = Protego.parse("User-agent: *\nDisallow: /\n")
    return RobotsRules(disallow_all, reachable=False, status=status, error=error)


class RobotsCache:
    """robots.txt rules per origin for one run; share one between fetchers to fetch each once."""

    def __init__(self) -> None:
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def get(self, url: str) -> RobotsRules | None:
        """The cached rules for the origin of `url`, or None when not fetched yet."""
        return self._rules.get(origin_of(url))

    def put(self, url: str, rules: RobotsRules) -> None:
        """Remember the rules for the origin of `url`, unless the host gave no answer at all.

        A host that did not answer is asked again on the next fetch: that request is the
        retry's probe, and the page is never fetched without its robots.txt. A permanent
        failure (a redirect off the site's hosts, to an invalid URL) is kept like an answer.
        """
        if rules.error is None or not rules.error.transient:
            self._rules[origin_of(url)] = rules

    def lock(self, url: str) -> asyncio.Lock:
        """One lock per origin, so concurrent tasks fetch its robots.txt once."""
        return self._locks.setdefault(origin_of(url), asyncio.Lock())
