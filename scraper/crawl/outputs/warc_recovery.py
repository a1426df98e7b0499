"""Unfinished WARC files of a killed crawl made whole again, before the next crawl writes.

A crawl killed while writing leaves `NAME.warc.gz.open` (see `warc_archive`), possibly
ending inside a record, which warcio would read as a short record without complaint. Each such
file not locked by a live crawl is cut after its last complete record (one gzip member per
record), and its trailing records that carry a page (`Newsclean-Page`) the store never committed
with that record are cut too: the crawl was killed between writing a page's answer and
committing the page, so the page is still due and its next answer is the one to keep. The file
then gets its final name, or is removed when nothing is left.
"""

from __future__ import annotations

import fcntl
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from scraper.crawl.outputs.warc_archive import OPEN_SUFFIX, PAGE_FIELD

CHUNK = 1 << 20
HEAD_BYTES = 64 * 1024  # enough decompressed bytes to hold a record's WARC header block


@dataclass(frozen=True)
class Member:
    """One complete record of a file: where it ends, its id and the page it belongs to."""

    end: int
    record_id: str | None
    page: str | None


@dataclass(frozen=True)
class Repair:
    """What was done to one unfinished file."""

    path: Path  # its final name (gone when `kept` is 0)
    kept: int  # complete records kept
    cut_bytes: int  # bytes of unfinished or uncommitted records cut off
    uncommitted: int  # whole records cut because their page was never committed


def recover(directory: Path, committed: Callable[[str, str], bool]) -> list[Repair]:
    """Repair every unfinished WARC file in `directory` that no live crawl holds.

    `committed(page, record_id)` says whether the store committed `page` with that record.
    """
    repairs = []
    for unfinished in sorted(Path(directory).glob(f"newsclean-*.warc.gz{OPEN_SUFFIX}")):
        repair = _repair(unfinished, committed)
        if repair is not None:
            repairs.append(repair)
    return repairs


def _repair(unfinished: Path, committed: Callable[[str, str], bool]) -> Repair | None:
    try:
        fd = os.open(unfinished, os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(fd, "r+b") as file:
        try:
            fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None  # a live crawl is writing it
        size = os.fstat(file.fileno()).st_size
        members = complete_members(file)
        kept = len(members)
        while kept and (page := members[kept - 1].page) is not None:
            record_id = members[kept - 1].record_id or ""
            if committed(page, record_id):
                break
            kept -= 1
        end = members[kept - 1].end if kept else 0
        if end < size:
            file.truncate(end)
            file.flush()
            os.fsync(file.fileno())
        final = unfinished.with_name(unfinished.name.removesuffix(OPEN_SUFFIX))
        if kept:
            os.replace(unfinished, final)
        else:
            unfinished.unlink()
    return Repair(final, kept, size - end, len(members) - kept)


def complete_members(file: BinaryIO) -> list[Member]:
    """The complete gzip members (records) at the start of `file`, up to the first that is cut
    short or corrupt."""
    file.seek(0)
    members: list[Member] = []
    offset = 0  # where the current member starts
    inflater = zlib.decompressobj(31)
    head = b""
    pending = b""  # compressed bytes read but not yet given to the inflater
    while True:
        if not pending:
            pending = file.read(CHUNK)
            if not pending:
                return members  # the file ends inside a member, or right after the last
        consumed = len(pending)
        try:
            data = pending
            while data:
                out = inflater.decompress(data, HEAD_BYTES)
                if len(head) < HEAD_BYTES:
                    head += out[: HEAD_BYTES - len(head)]
                if inflater.eof:
                    break
                data = inflater.unconsumed_tail
        except zlib.error:
            return members
        if not inflater.eof:
            offset += consumed
            pending = b""
            continue
        rest = inflater.unused_data
        end = offset + consumed - len(rest)
        members.append(Member(end, *_fields(head)))
        offset, pending, head = end, rest, b""
        inflater = zlib.decompressobj(31)


def _fields(head: bytes) -> tuple[str | None, str | None]:
    block = head.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace")
    record_id = page = None
    for line in block.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "warc-record-id":
            record_id = value.strip()
        elif name.strip().lower() == PAGE_FIELD.lower():
            page = value.strip()
    return record_id, page
