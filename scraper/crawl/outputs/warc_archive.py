"""The WARC archive: every raw response of a crawl as a gzip'd WARC record, rotated by size.

Pages can be cleaned again later from the archive without fetching them again. The payload is
the body as the server meant it (after Content-Encoding is undone), so Content-Encoding and
Transfer-Encoding are dropped from the recorded headers and Content-Length is set to match.
Redirects, and answers refused before their body was read (a PDF where a page was wanted), are
recorded with their headers and an empty payload; robots.txt, 304s and error pages are recorded
as they came.

A file is written as `NAME.warc.gz.open`, locked, and renamed to `NAME.warc.gz` when finished, so
a file a killed crawl left unfinished is known by its name (`warc_recovery` repairs it).
A page's answer carries a `Newsclean-Page` field naming the page (its canonical URL in the crawl
store), so that repair can tell a record whose page was never committed. A full file is closed
before the next record, not after its last one: a record stays in the unfinished file until the
store has committed what it belongs to.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import httpx
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

_DROPPED = frozenset({"content-encoding", "transfer-encoding", "content-length"})
OPEN_SUFFIX = ".open"  # a file still being written, or left unfinished by a killed crawl
PAGE_FIELD = "Newsclean-Page"  # the crawl page (canonical URL) a response record belongs to


@dataclass(frozen=True)
class WarcRef:
    """Where a written record is: its WARC-Record-ID, its file (final name) and the offset of its
    gzip member, where a reader seeks to read it again (`newsclean reclean`)."""

    record_id: str
    file: str
    offset: int


class WarcArchive:
    """Append response records to `DIR/newsclean-<time>-<pid>-<n>.warc.gz` files."""

    def __init__(self, directory: Path, *, max_bytes: int = 100_000_000) -> None:
        """Archive into `directory` (created), starting a new file past `max_bytes`."""
        self.directory = Path(directory).absolute()  # records name their file from anywhere
        self.directory.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self.files: list[Path] = []  # the finished names, in order
        self._stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime())
        self._file: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self._current()  # a folder that cannot take a file fails here, at the start

    def write_response(
        self,
        url: str,
        status: int,
        headers: Mapping[str, str] | httpx.Headers,
        body: bytes,
        *,
        http_version: str = "HTTP/1.1",
        truncated: bool = False,
        fetched: datetime | None = None,
        page: str | None = None,
    ) -> WarcRef:
        """Append one response record for `url` (a scraper.http.async_fetcher.ResponseRecorder) and
        return where it is; `page` names the crawl page it is the answer of."""
        if self._file is not None and self._file.tell() >= self.max_bytes:
            self.close()
        writer = self._current()
        assert self._file is not None
        offset = self._file.tell()  # each record is one gzip member, starting here
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Unknown"
        # httpx's multi_items keeps a repeated header (Set-Cookie) as separate lines
        items = headers.multi_items() if isinstance(headers, httpx.Headers) else headers.items()
        pairs = [(k, v) for k, v in items if k.lower() not in _DROPPED]
        pairs.append(("Content-Length", str(len(body))))
        protocol = "HTTP/2" if http_version == "HTTP/2" else "HTTP/1.1"  # what warcio knows
        http_headers = StatusAndHeaders(f"{status} {phrase}", pairs, protocol=protocol)
        when = (fetched or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
        warc_headers = {"WARC-Date": when}
        if truncated:
            warc_headers["WARC-Truncated"] = "length"
        if page is not None:
            warc_headers[PAGE_FIELD] = page
        record = writer.create_warc_record(
            url,
            "response",
            payload=BytesIO(body),
            length=len(body),
            http_headers=http_headers,
            warc_headers_dict=warc_headers,
        )
        writer.write_record(record)
        self._file.flush()  # whole records reach the file: a killed process loses none of them
        record_id = str(record.rec_headers.get_header("WARC-Record-ID"))
        return WarcRef(record_id, str(self.files[-1]), offset)

    def close(self) -> None:
        """Finish the current file, if any, under its final name; one with no record is
        removed."""
        if self._file is not None:
            empty = self._file.tell() == 0
            final = self.files[-1]
            unfinished = final.with_name(final.name + OPEN_SUFFIX)
            try:
                self._file.close()
            finally:
                self._file = self._writer = None
            if empty:
                self.files.pop()
                unfinished.unlink(missing_ok=True)
            else:
                os.replace(unfinished, final)

    def __enter__(self) -> WarcArchive:
        return self

    def __exit__(
        self, exc_type: type | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _current(self) -> WARCWriter:
        if self._writer is None:
            serial = len(self.files) + 1
            while True:  # another archive of this process may have started in the same second
                name = f"newsclean-{self._stamp}-{os.getpid()}-{serial:05d}.warc.gz"
                final = self.directory / name
                if final.exists():
                    serial += 1
                    continue
                try:
                    self._file = final.with_name(name + OPEN_SUFFIX).open("xb")
                    break
                except FileExistsError:
                    serial += 1
            # held while writing: the repair of unfinished files leaves a live one alone
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._writer = WARCWriter(self._file, gzip=True)
            self.files.append(final)
        return self._writer
