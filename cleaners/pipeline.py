"""Temporary pipeline: replaced by the real one (block rules) in the next commits."""

from __future__ import annotations

import trafilatura

from cleaners.model import Article


def clean_text(text: str, *, language: str | None = "en") -> Article:
    """Clean already-extracted plain text."""
    paragraphs = tuple(p.strip() for p in text.splitlines() if p.strip())
    return Article(text="\n\n".join(paragraphs), paragraphs=paragraphs, language=language)


def clean_html(
    html: str | bytes, url: str | None = None, *, language: str | None = "en"
) -> Article:
    """Clean an HTML page."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", "replace")
    text = trafilatura.extract(html) or ""
    article = clean_text(text, language=language)
    return Article(text=article.text, paragraphs=article.paragraphs, url=url, language=language)
