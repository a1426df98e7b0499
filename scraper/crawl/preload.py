"""Loaded once by the crawl's forkserver, before it forks any cleaning worker.

Everything cleaning needs is imported and warmed up here: trafilatura, lxml, htmldate,
selectolax, feedparser (workers parse feeds and sitemaps too), and langdetect's 55 language
profiles (about 55 MB of Python objects). Workers
forked from the forkserver share those memory pages instead of each loading its own copy, and
clean their first page at full speed. `gc.freeze()` hides the loaded objects from the garbage
collector, because a collection writes to every object it visits and would copy the shared
pages into each worker.
"""

from __future__ import annotations

import gc
import sys

import feedparser  # noqa: F401 - imported here so that every worker shares it

from cleaners import clean_html
from cleaners.language import language_probabilities

_SAMPLE_PAGE = (
    "<html lang='en'><head><title>Warm-up</title>"
    "<meta property='article:published_time' content='2026-01-02T03:04:05+07:00'></head>"
    "<body><article><h1>Warm-up</h1><p>HÀ NỘI — The cleaner reads this page once, so that"
    " every library it needs is loaded before the workers start.</p>"
    "<p>Ý kiến bạn đọc</p></article></body></html>"
)

try:
    clean_html(_SAMPLE_PAGE, "https://example.com/warm-up")
    language_probabilities("The language profiles are loaded once, before any worker starts.")
except Exception as exc:  # the forkserver dies on any error but ImportError: workers load lazily
    print(
        f"newsclean: the cleaner could not be preloaded ({exc}); loading it per worker",
        file=sys.stderr,
    )
gc.freeze()
