"""The scheduled crawl, in parts with one job each; `run_crawl(config)` runs one.

Imports stay lazy so that `scraper.crawl.store` (export) or `scraper.crawl.preload` (the
cleaning processes' forkserver) load nothing they do not need.
"""

from __future__ import annotations

from typing import Any

__all__ = ["run_crawl"]


def __getattr__(name: str) -> Any:
    """Load `run_crawl` (and with it httpx and the event loop) only when asked for."""
    if name == "run_crawl":
        from scraper.crawl.run import run_crawl

        return run_crawl
    raise AttributeError(f"module 'scraper.crawl' has no attribute {name!r}")
