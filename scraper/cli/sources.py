"""`newsclean sources`: print the bundled sources.toml, a starting point for your own."""

from __future__ import annotations

import sys


def sources() -> None:
    """Print the bundled sources.toml (the sites `newsclean crawl` reads without --config)."""
    from importlib import resources

    from scraper.crawl.config import DEFAULT_SOURCES

    text = resources.files("scraper").joinpath("data", DEFAULT_SOURCES).read_text("utf-8")
    sys.stdout.write(text)
