"""Imported by the cleaning workers' forkserver before it forks them: one small page is cleaned
there, so the cleaner's lazy imports and language profiles are loaded once, shared by every
worker (copy-on-write), instead of being paid again by each worker's first page."""

from __future__ import annotations

_PAGE = (
    "<html><head><title>Warm-up</title></head><body><article><h1>Warm-up</h1>"
    "<p>HÀ NỘI — The cleaner reads one short English article before the workers start, so"
    " that every import and language profile it needs is already loaded.</p>"
    "<p>Nothing of this page is kept; it only makes the first real page as fast as the rest.</p>"
    "</article></body></html>"
)

try:
    from cleaners import clean_html

    clean_html(_PAGE, "http://warm.invalid/")
except Exception:  # a failed warm-up only costs speed; the forkserver must live on
    pass
