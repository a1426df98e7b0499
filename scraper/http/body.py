"""A response body, decompressed chunk by chunk under a cap, and the checks on what it holds.

We decompress ourselves (from the raw stream) rather than let httpx do it, because zlib's
`max_length` is the only way to stop a gzip bomb inside one chunk instead of after it.
"""

from __future__ import annotations

import zlib

import httpx

from scraper.clock import Clock
from scraper.http.errors import BadContentEncoding, BodyTooLarge, FetchTimeout, NotHTML

ACCEPT_ENCODING = "gzip, deflate"  # only what BodyDecoder decodes

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
XML_TYPES = frozenset(
    {
        "application/xml",
        "text/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "text/plain",
        # gzipped sitemaps (sitemap.xml.gz) are served as files, not with Content-Encoding
        "application/gzip",
        "application/x-gzip",
        "application/octet-stream",
    }
)

# File signatures of things that are sometimes served as text/html by mistake.
_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b", "application/gzip"),
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CONTROL = bytes(sorted(frozenset(range(32)) - {9, 10, 12, 13}))


class BodyDecoder:
    """Feed raw chunks, get the decoded body; raises BodyTooLarge past `max_bytes` decoded bytes.

    With `truncate=True` it keeps the first `max_bytes` and reports `full` instead of raising
    (for robots.txt and error pages, where a prefix is enough).
    """

    def __init__(
        self, content_encoding: str, max_bytes: int, *, url: str, truncate: bool = False
    ) -> None:
        self.url = url
        self.max_bytes = max_bytes
        self.truncate = truncate
        self.full = False
        self._size = 0
        self._parts: list[bytes] = []
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise BadContentEncoding(f"unsupported Content-Encoding {content_encoding!r}", url=url)
        self._coding = codings[0] if codings else None
        self._zlib = self._new_decompressor()
        self._started = False
        self._ended = False  # the compressed stream ended; ignore trailing bytes

    def _new_decompressor(self) -> zlib._Decompress | None:
        if self._coding is None:
            return None
        # 47 = 32 + 15: zlib or gzip header, detected; "deflate" is meant to be zlib-wrapped
        return zlib.decompressobj(47)

    def feed(self, chunk: bytes) -> bool:
        """Add one raw chunk; return True once the body is full (only with truncate)."""
        if self.full or self._ended or not chunk:
            return self.full
        if self._zlib is None:
            self._keep(chunk)
            return self.full
        try:
            self._inflate(chunk)
        except zlib.error as error:
            if self._started or self._coding != "deflate":
                raise BadContentEncoding(
                    f"corrupt {self._coding} body ({error})", url=self.url
                ) from None
            # Some servers send raw deflate without the zlib wrapper.
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            self._started = True
            self._inflate(chunk)
        self._started = True
        return self.full

    def _inflate(self, data: bytes) -> None:
        inflater = self._zlib
        assert inflater is not None
        while data and not self.full:
            out = inflater.decompress(data, self.max_bytes - self._size + 1)
            self._keep(out)
            data = inflater.unconsumed_tail
            if inflater.eof:
                # concatenated gzip members, as `cat a.gz b.gz` makes them
                data = inflater.unused_data
                if data[:2] != b"\x1f\x8b":
                    self._ended = True
                    return
                inflater = self._zlib = zlib.decompressobj(47)

    def _keep(self, data: bytes) -> None:
        room = self.max_bytes - self._size
        if len(data) > room:
            if not self.truncate:
                raise BodyTooLarge(
                    f"body larger than the cap of {self.max_bytes:,} decoded bytes", url=self.url
                )
            data = data[:room]
            self.full = True
        self._parts.append(data)
        self._size += len(data)

    def finish(self) -> bytes:
        """Return the decoded body read so far."""
        return b"".join(self._parts)


class BodyReader:
    """A response body read chunk by chunk: decoded under its cap, and within the deadline."""

    def __init__(
        self,
        response: httpx.Response,
        cap: int,
        *,
        truncate: bool,
        url: str,
        deadline: float,
        clock: Clock,
        limits: str,
    ) -> None:
        """Raises BadContentEncoding at once for an encoding it cannot decode."""
        encoding = response.headers.get("content-encoding", "")
        self._decoder = BodyDecoder(encoding, cap, url=url, truncate=truncate)
        self._url = url
        self._deadline = deadline
        self._clock = clock
        self._limits = limits

    def feed(self, chunk: bytes) -> bool:
        """Take one raw chunk; True once the body is full. Raises a FetchError when the body is
        too large or corrupt, or the request's deadline has passed."""
        if self._decoder.feed(chunk):
            return True
        if self._clock.monotonic() > self._deadline:
            raise FetchTimeout(f"timed out (whole request; limits {self._limits})", url=self._url)
        return False

    @property
    def body(self) -> bytes:
        """The decoded body read so far."""
        return self._decoder.finish()

    @property
    def truncated(self) -> bool:
        """True when the cap cut the body (only for a reader that keeps a prefix)."""
        return self._decoder.full


def media_type(content_type: str) -> str:
    """`text/html; charset=utf-8` -> `text/html`."""
    return content_type.split(";", 1)[0].strip().lower()


def header_charset(content_type: str) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def check_content_type(content_type: str, kind: str, *, url: str, status: int) -> None:
    """Raise NotHTML when the declared type is not of the `kind` asked ("html", "xml", "any")."""
    declared = media_type(content_type)
    if kind == "any" or not declared:
        return  # no type declared: the bytes decide (sniff_binary)
    allowed = HTML_TYPES if kind == "html" else XML_TYPES | HTML_TYPES
    if declared not in allowed and not (kind == "xml" and declared.endswith("+xml")):
        raise NotHTML(f"content type is {declared}, not {kind.upper()}", url=url, status=status)


def sniff_binary(body: bytes, *, url: str, status: int) -> None:
    """Raise NotHTML when the body is a known binary format or mostly control bytes."""
    head = body[:1024]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            raise NotHTML(f"body is {name} although served as text", url=url, status=status)
    if not head or head.startswith(_UTF16_BOMS):
        return
    controls = len(head) - len(head.translate(None, _CONTROL))
    if b"\x00" in head or controls > len(head) // 20:
        raise NotHTML("body is binary data although served as text", url=url, status=status)
