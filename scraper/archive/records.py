"""WARC records to HTML pages: stream one file's records, undo each payload's encodings, or say why.

    for item in read_pages(stream, max_bytes):      # HtmlPage or Skipped, in file order
    page = read_record_at("crawl/x.warc.gz", 1234)  # one record, by the offset the rows keep

Records stream: a payload is read only when the record is an HTML 200 response of acceptable
size, and never past the cap, so memory does not depend on the file's size. A file that is not
a WARC, or that breaks off, raises `WarcBroken` after the pages before the break were given.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from scraper.archive.job import FileFailure, Skip

_SNIFF_BYTES = 4096
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:+-]+)", re.IGNORECASE)
_HTML_TYPES = ("text/html", "application/xhtml+xml")

# (target URI, WARC-Date in epoch µs) -> why to leave the response out, or None to read it
Selector = Callable[[str | None, int | None], Skip | None]


class WarcBroken(Exception):
    """The file stops being a readable WARC here; `failure` says how (a FileFailure)."""

    def __init__(self, failure: FileFailure, message: str) -> None:
        super().__init__(message)
        self.failure = failure


@dataclass(frozen=True)
class HtmlPage:
    """One HTML 200 response, its payload undone of transfer and content encodings."""

    offset: int  # of the record (its gzip member) in the file
    target_uri: str
    record_id: str | None
    warc_date: str | None  # as the record says it
    date_key: int | None  # the same in epoch microseconds, for filters and dedup
    status: int
    charset: str | None  # from the HTTP Content-Type header
    payload: bytes


@dataclass(frozen=True)
class Skipped:
    """A record that gives no page, with the reason."""

    offset: int
    reason: Skip
    target_uri: str | None = None
    date_key: int | None = None


class _QuietIterator(ArchiveIterator):
    """warcio's iterator without its multi-line stderr warning on a bad record boundary."""

    INC_RECORD = ""


class _CountingReader:
    """A read-only stream that counts the bytes handed out and can give back a sniffed head."""

    def __init__(self, stream: IO[bytes], head: bytes) -> None:
        self._stream = stream
        self._head = head
        self.position = 0

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size is None or size < 0 or size >= len(self._head):
                data, self._head = self._head, b""
                rest = self._stream.read(-1 if size is None or size < 0 else size - len(data))
                data += rest or b""
            else:
                data, self._head = self._head[:size], self._head[size:]
        else:
            data = self._stream.read(size) or b""
        self.position += len(data)
        return data

    def tell(self) -> int:
        return self.position

    def drain(self) -> None:
        """Read to the end, so `position` is the file's size."""
        while self.read(1 << 20):
            pass


def parse_warc_date(value: str | None) -> int | None:
    """A WARC-Date ("2025-09-15T08:31:00Z", fractions allowed) in epoch microseconds, or None."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1_000_000)


def read_pages(
    stream: IO[bytes], max_bytes: int, *, start: int = 0, select: Selector | None = None
) -> Iterator[HtmlPage | Skipped]:
    """Every record of a WARC stream as an HtmlPage or a Skipped, in order; WarcBroken at a break.

    `start` is where the stream stands in its file, so that offsets are the file's. `select`
    may leave a response out by its target URI and WARC-Date before its payload is read.
    """
    head = stream.read(_SNIFF_BYTES) or b""
    if not head:
        return  # an empty file holds no record: nothing to say against it
    if not _looks_like_warc(head):
        raise WarcBroken(FileFailure.not_warc, "not a WARC file (no WARC/1.x record header)")
    reader = _CountingReader(stream, head)
    iterator = _QuietIterator(reader, ensure_http_headers=False)
    last_end = 0
    try:
        for record in iterator:
            offset = start + iterator.offset
            if not str(record.rec_headers.protocol).startswith("WARC/"):
                raise WarcBroken(FileFailure.corrupt, f"no WARC record at byte {offset}")
            item = _page_or_skip(record, offset, max_bytes, select)
            yield item
            if isinstance(item, Skipped) and item.reason is Skip.cut_short:
                raise WarcBroken(
                    FileFailure.truncated, f"the file ends inside the record at byte {offset}"
                )
            iterator.read_to_end()
            last_end = iterator.offset
        reader.drain()
    except (ArchiveLoadFailed, zlib.error, EOFError, ValueError) as error:
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise WarcBroken(
            FileFailure.corrupt, f"unreadable after byte {start + last_end}: {message}"
        ) from None
    if reader.position > last_end:
        raise WarcBroken(
            FileFailure.truncated,
            f"the file ends inside a record: {reader.position - last_end} bytes after byte "
            f"{start + last_end} are not a whole record",
        )


def read_record_at(source: str, offset: int, max_bytes: int = 10_000_000) -> HtmlPage | Skipped:
    """The record at `offset` of a WARC file (local path or URL) as an HtmlPage or a Skipped."""
    from scraper.archive.inputs import open_input

    with open_input(source, random_access=True) as stream:
        stream.seek(offset)
        for item in read_pages(stream, max_bytes, start=offset):
            return item
    raise WarcBroken(FileFailure.corrupt, f"no record at byte {offset} of {source}")


def _looks_like_warc(head: bytes) -> bool:
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(wbits=31).decompress(head)
        except zlib.error:
            return False
    return head.lstrip(b"\r\n").startswith(b"WARC/")


def _page_or_skip(
    record: Any, offset: int, max_bytes: int, select: Selector | None
) -> HtmlPage | Skipped:
    kind = record.rec_type
    uri = record.rec_headers.get_header("WARC-Target-URI")
    warc_date = record.rec_headers.get_header("WARC-Date")
    date_key = parse_warc_date(warc_date)
    if kind != "response":
        reason = {"request": Skip.request, "revisit": Skip.revisit}.get(kind, Skip.other_record)
        return Skipped(offset, reason, uri, date_key)
    http = record.http_headers
    if http is None or not uri:
        return Skipped(offset, Skip.other_record, uri, date_key)
    try:
        status = int(http.get_statuscode())
    except (TypeError, ValueError):
        status = 0
    if status != 200:
        return Skipped(offset, Skip.not_200, uri, date_key)
    left_out = select(uri, date_key) if select else None
    if left_out is not None:
        return Skipped(offset, left_out, uri, date_key)
    content_type = (http.get_header("Content-Type") or "").lower()
    if content_type and not content_type.startswith(_HTML_TYPES):
        return Skipped(offset, Skip.not_html, uri, date_key)
    if record.length is not None and record.length > max_bytes + 65536:  # headers' allowance
        return Skipped(offset, Skip.too_large, uri, date_key)
    try:
        payload = record.content_stream().read(max_bytes + 1)
    except (zlib.error, ValueError, EOFError, OSError):
        return Skipped(offset, Skip.bad_encoding, uri, date_key)
    if len(payload) > max_bytes:
        return Skipped(offset, Skip.too_large, uri, date_key)
    if record.raw_stream.limit > 0:  # what the decoders left: the end of the block, or nothing
        record.raw_stream.read()
        if record.raw_stream.limit > 0:
            return Skipped(offset, Skip.cut_short, uri, date_key)
    if not content_type and not _sniffs_html(payload):
        return Skipped(offset, Skip.not_html, uri, date_key)
    match = _CHARSET.search(content_type)
    return HtmlPage(
        offset=offset,
        target_uri=uri,
        record_id=record.rec_headers.get_header("WARC-Record-ID"),
        warc_date=warc_date,
        date_key=date_key,
        status=status,
        charset=match.group(1) if match else None,
        payload=payload,
    )


def _sniffs_html(payload: bytes) -> bool:
    start = payload[:1024].lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--"))
