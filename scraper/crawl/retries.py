"""When a page that failed is tried again, on a later run: nothing is given up after one try.

- A page that answered 404 or 410 may simply not be live yet (a feed announces it a minute
  early): it is tried again after 1, 5 and 25 hours, so over more than a day, then given up.
- A block page (captcha, "access denied", 403), a 5xx, a timeout, a connection error or a
  cleaning failure may pass: tried again after `retry_backoff`, doubled each time, until
  `max_attempts` tries in all.
- Anything else (not HTML, robots.txt disallows, too large, a redirect off the site, a bad URL)
  will not change by waiting: given up at once.

A page given up keeps its last reason (`newsclean status`), and `newsclean crawl --retry failed`
brings every one back.
"""

from __future__ import annotations

from scraper.crawl.config import CrawlSettings

MISSING = frozenset({"http_404", "http_410"})  # not there (yet)
MISSING_FIRST_WAIT = 3600.0  # seconds before a missing page is asked for again
MISSING_FACTOR = 5.0  # then 5 h, then 25 h: the last try a day and more after the first
MISSING_TRIES = 4  # tries in all for a missing page
BLOCKED = frozenset({"blocked_page", "http_403", "http_429"})  # the site's mood, not the page's


def next_try(
    reason: str, *, transient: bool, attempts: int, now: float, settings: CrawlSettings
) -> float | None:
    """When to try again a page that just failed its `attempts`-th try for `reason` (a
    summary token such as `http_404`), or None to give it up."""
    if reason in MISSING:
        if attempts >= MISSING_TRIES:
            return None
        return now + MISSING_FIRST_WAIT * MISSING_FACTOR ** (attempts - 1)
    if transient or reason in BLOCKED:
        if attempts >= settings.max_attempts:
            return None
        return now + settings.retry_backoff * 2 ** (attempts - 1)
    return None
