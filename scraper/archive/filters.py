"""Which records to clean: `--host` patterns on the target URL, `--since/--until` on WARC-Date.

A host pattern without a wildcard names a site and its subdomains (`vnexpress.net` keeps
`e.vnexpress.net`); one with `*` or `?` is matched against the whole host name
(`*.vn` keeps every Vietnamese host). A date bound is a day (`2025-09-01`, the whole day) or an
ISO time; `--until` is inclusive of the day it names.
"""

from __future__ import annotations

import fnmatch
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from scraper.archive.job import Filters, Skip


class FilterError(ValueError):
    """A --host, --since or --until value that cannot be understood (exit 2)."""


def make_filters(hosts: list[str] | None, since: str | None, until: str | None) -> Filters:
    """Filters from the command line's values; FilterError names a bad one."""
    patterns = tuple(sorted({_pattern(h) for h in hosts or []}))
    start = _bound(since, "--since", end_of_day=False) if since else None
    end = _bound(until, "--until", end_of_day=True) if until else None
    if start is not None and end is not None and start >= end:
        raise FilterError(f"--since {since} is not before --until {until}")
    return Filters(hosts=patterns, since=start, until=end)


def filter_reason(filters: Filters, target_uri: str | None, date_key: int | None) -> Skip | None:
    """Why a record with this target and WARC-Date (epoch µs) is left out, or None to keep it."""
    if filters.hosts and not host_matches(filters.hosts, target_uri):
        return Skip.host
    if filters.since is not None or filters.until is not None:
        if date_key is None:
            return Skip.date
        if filters.since is not None and date_key < filters.since:
            return Skip.date
        if filters.until is not None and date_key >= filters.until:
            return Skip.date
    return None


def host_matches(patterns: tuple[str, ...], url: str | None) -> bool:
    """Whether the URL's host is one the patterns name."""
    try:
        host = (urlsplit(url or "").hostname or "").rstrip(".")
    except ValueError:
        return False
    if not host:
        return False
    for pattern in patterns:
        if any(char in pattern for char in "*?["):
            if fnmatch.fnmatchcase(host, pattern):
                return True
        elif host == pattern or host.endswith("." + pattern):
            return True
    return False


def _pattern(value: str) -> str:
    pattern = value.strip().lower().rstrip(".")
    if "://" in pattern:
        pattern = urlsplit(pattern).hostname or ""
    if not pattern or "/" in pattern:
        raise FilterError(f"--host {value!r} is not a host name or pattern (e.g. *.vn)")
    return pattern


def _bound(value: str, flag: str, *, end_of_day: bool) -> int:
    text = value.strip()
    try:
        if len(text) <= 10:
            day = date.fromisoformat(text)
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
            if end_of_day:
                moment += timedelta(days=1)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
    except ValueError:
        raise FilterError(f"{flag} {value!r} is not a date (YYYY-MM-DD) or ISO time") from None
    return int(moment.timestamp() * 1_000_000)
