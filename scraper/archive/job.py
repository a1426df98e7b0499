"""What an archive run is asked to do and what each file gives back: plain, picklable values.

A `FileTask` travels to a worker (a local process or a Dask worker) and a `FileResult` comes
back; neither holds an open file, a client or a lock, so either engine can carry them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from enum import StrEnum

MAX_RECORD_BYTES = 10_000_000  # the same cap as a fetched page: no news story is larger


class Skip(StrEnum):
    """Why a WARC record gave no article (one closed set, counted in the summary)."""

    request = "request"  # the crawler's request, not the answer
    revisit = "revisit"  # "same as before": no payload to clean
    other_record = "other_record"  # warcinfo, metadata, resource, dns: not an HTTP response
    not_200 = "not_200"  # redirects, errors, 304s
    not_html = "not_html"  # PDF, image, JSON, feed...
    too_large = "too_large"  # past MAX_RECORD_BYTES, declared or decoded
    cut_short = "cut_short"  # the record ends before its declared length
    bad_encoding = "bad_encoding"  # a Content-Encoding or chunking that cannot be undone
    host = "host_filter"  # not one of the --host patterns
    date = "date_filter"  # WARC-Date outside --since/--until (or unreadable under them)
    no_body = "no_body"  # cleaned, but no article body in the language asked for
    duplicate = "duplicate"  # the same article (content hash) at an earlier WARC-Date


class FileFailure(StrEnum):
    """Why an input file did not come out whole (the run then exits 1)."""

    not_warc = "not_warc"  # not a WARC file at all
    truncated = "truncated"  # the file ends inside a record or gzip member: its tail is lost
    corrupt = "corrupt"  # unreadable bytes in the middle: the rest of the file is lost
    unreadable = "unreadable"  # could not be opened or read (I/O, network): worth a rerun
    worker_lost = "worker_lost"  # the workers running it died more often than allowed
    task_error = "task_error"  # the engine could not run the task (e.g. no newsclean there)
    version_mismatch = "version_mismatch"  # a worker runs another cleaner than the driver
    write_failed = "write_failed"  # the part could not be written


@dataclass(frozen=True)
class Filters:
    """Which records to clean: host patterns and a WARC-Date window (epoch microseconds)."""

    hosts: tuple[str, ...] = ()
    since: int | None = None  # inclusive
    until: int | None = None  # exclusive


@dataclass(frozen=True)
class ArchiveJob:
    """The settings shared by every file of a run."""

    out: str  # the output folder: a local path or an fsspec URL every worker can write
    format: str = "parquet"  # or "jsonl"
    language: str | None = "en"
    filters: Filters = Filters()
    cleaner_version: str = ""
    max_record_bytes: int = MAX_RECORD_BYTES

    @property
    def fingerprint(self) -> str:
        """A digest of everything that shapes a part: a part made under another is redone."""
        settings = asdict(self)
        del settings["out"]
        text = json.dumps(settings, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class FileTask:
    """One input file to clean into one part of the output."""

    source: str  # the input as given: a local path or a URL
    part: str  # the part's file name, stable for this input
    job: ArchiveJob


# (content hash, WARC-Date in epoch microseconds or None, record offset): one written row
IndexEntry = tuple[str, int | None, int]


@dataclass
class FileResult:
    """What cleaning one file gave: counts, the rows written (for dedup), and any failure."""

    source: str
    part: str
    records: int = 0
    html_pages: int = 0
    written: int = 0
    skips: dict[str, int] = field(default_factory=dict)
    index: list[IndexEntry] = field(default_factory=list)
    dropped: list[int] = field(default_factory=list)  # offsets pruned by the dedup of a run
    failure: str | None = None  # a FileFailure value
    message: str | None = None  # one line on the failure
    done: bool = False  # the part is final for this job: a rerun skips the file

    def skip(self, reason: Skip, count: int = 1) -> None:
        """Count `count` records skipped for `reason`."""
        self.skips[reason.value] = self.skips.get(reason.value, 0) + count
