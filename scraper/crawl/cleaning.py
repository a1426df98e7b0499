"""Cleaning one fetched page for the crawl: what runs in a cleaning process, and the typed record
it sends back across the process boundary.

`clean_page` decodes the body (BOM, HTTP charset, <meta charset>, detection), cleans it, fills
date and title from the feed or sitemap when the page lacks them, and hashes the body text, so
that the same story under two URLs is stored once. The parent process only decides what to do
with the `CleanedPage`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from scraper.crawl.sources import Candidate

if TYPE_CHECKING:
    from cleaners import Article

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class PageToClean:
    """A fetched page as it goes to a cleaning process: plain data, cheap to pickle."""

    body: bytes  # after Content-Encoding, as fetched: the worker decodes it
    url: str  # where the page ended up (its final URL)
    charset: str | None  # the Content-Type header's charset parameter
    language: str | None  # the language to keep (None: the page's own)
    hint: Candidate  # what the feed or sitemap said of the page
    offset: str  # the site's UTC offset ("+07:00") for times printed without one


@dataclass(frozen=True)
class CleanedPage:
    """What a cleaning process made of one page (sent back pickled; `article.trace` dropped)."""

    article: Article  # hints filled in
    content_hash: str  # of the body text, whitespace-normalised: the same story under two URLs
    canonical: str | None  # the page's own canonical URL, when it names another one
    cleaner_version: str  # cleaners.cleaner_version() of the process that cleaned it

    @property
    def has_body(self) -> bool:
        """True when an article body was kept."""
        return self.article.has_body


def clean_page(page: PageToClean) -> CleanedPage:
    """Clean one page (in a cleaning process). The cleaner promises not to raise; if it does,
    the exception goes back to the crawl, which fails that page alone."""
    from cleaners import clean_html, cleaner_version
    from cleaners.decoding import decode_html

    html = decode_html(page.body, page.charset)
    offset = page.offset or "auto"
    language = None if page.language == "auto" else page.language  # the page's own
    article = clean_html(html, page.url, language=language, default_offset=offset)
    hint = page.hint
    if not article.date and hint.date:
        article = replace(article, date=hint.date, date_source=hint.date_source)
    if not article.title and hint.title:
        article = replace(article, title=hint.title)
    normal = _SPACES.sub(" ", article.text).strip()
    return CleanedPage(
        article=replace(article, trace=()),  # explain's view of every block: not needed here
        content_hash=hashlib.sha256(normal.encode("utf-8")).hexdigest(),
        canonical=article.url if article.url and article.url != page.url else None,
        cleaner_version=cleaner_version(),
    )


def utc_offset(timezone: str, when: float) -> str:
    """The zone's UTC offset at `when` (epoch seconds), as "+07:00"."""
    delta = datetime.fromtimestamp(when, ZoneInfo(timezone)).utcoffset()
    minutes = int(delta.total_seconds() // 60) if delta else 0
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
