"""What a fetch gives: the page (`FetchResult`), and each response as the WARC archive keeps it
(`Recorded`)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx


@dataclass(frozen=True)
class FetchResult:
    """One fetched page: where it ended up, the status, headers, decoded body and text."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]  # lower-case names
    content: bytes  # body after content-decoding (gzip etc.), capped
    content_type: str
    http_version: str
    not_modified: bool
    elapsed: float
    redirects: tuple[str, ...] = field(default=())  # the URLs redirected through, in order
    kind: str = "html"  # what was asked for: "html", "xml" or "any"
    charset: str | None = None  # the Content-Type header's charset parameter
    # the headers as received, repeated ones apart: what a WARC record of this answer keeps
    raw_headers: httpx.Headers | None = field(default=None, compare=False, repr=False)

    @functools.cached_property
    def text(self) -> str | None:
        """The decoded HTML (None for non-HTML kinds, or when not modified), decoded on first
        use: the crawl hands the bytes and `charset` to its cleaner processes instead."""
        if self.kind != "html" or self.not_modified:
            return None
        from cleaners.decoding import decode_html  # the crawl's own process never needs it

        return decode_html(self.content, self.charset)


@dataclass(frozen=True)
class Recorded:
    """One response as received, for the WARC archive: pages, feeds, redirects, 304s, errors and
    robots.txt. `body` is what was read of it after Content-Encoding: empty for redirects and
    for answers refused before or while their body was read (wrong type, too large, corrupt);
    `truncated` when a cap cut it (error pages and robots.txt keep a prefix). A response whose
    connection fails mid-body is not recorded."""

    url: str  # without user info
    status: int
    headers: httpx.Headers
    body: bytes
    http_version: str
    truncated: bool = False


ResponseRecorder = Callable[[Recorded], None]  # told of each response a fetcher gets
