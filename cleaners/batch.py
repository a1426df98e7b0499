"""`clean_many`: many pages or texts over a pool of processes, each exactly what the one-by-one
call gives, in input order."""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import partial
from typing import Any

from cleaners.model import Article
from cleaners.pipeline import clean_html, clean_text

# A page is an HTML string or bytes, or an (html, url) pair whose URL feeds the metadata.
Document = str | bytes | tuple[str | bytes, str | None]

# Pages handed to a process at once: enough to hide the hand-over, few enough to share the work
# evenly at the end of the batch.
_CHUNKS_PER_PROCESS = 4


def _clean_one(document: Document, text: bool, options: dict[str, Any]) -> Article:
    if isinstance(document, tuple):
        page, url = document
    else:
        page, url = document, None
    if text:
        if isinstance(page, bytes):
            from cleaners.decoding import decode_html

            page = decode_html(page)
        return clean_text(page, **options)
    return clean_html(page, url, **options)


def clean_many(
    docs: Iterable[Document],
    processes: int | None = None,
    *,
    text: bool = False,
    **options: Any,
) -> list[Article]:
    """Clean many documents over `processes` processes (None: one per CPU; 1: in this process).

    Each document is an HTML page (str or bytes) or an `(html, url)` pair; with `text=True` each
    is already-extracted text for `clean_text` (a pair's URL is then ignored). `options` go to
    every call (`language`, and `default_offset` for pages). The result is in input order and
    equal to `[clean_html(doc, url, **options) for ...]`.
    """
    if processes is not None and processes < 1:
        raise ValueError(f"processes must be at least 1, not {processes}")
    documents = list(docs)
    clean_one = partial(_clean_one, text=text, options=options)
    workers = min(processes or os.cpu_count() or 1, len(documents))
    if workers <= 1:
        return [clean_one(document) for document in documents]
    from concurrent.futures import ProcessPoolExecutor

    chunksize = max(1, len(documents) // (workers * _CHUNKS_PER_PROCESS))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(clean_one, documents, chunksize=chunksize))
