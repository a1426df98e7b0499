"""One input file's work, the same on every engine: read, clean, write one part, say what it did.

`clean_file(task)` is a pure function of its input file and job: run twice (a retry after a
lost worker), it writes the same part under the same name, atomically, so nothing is lost or
written twice. The part is followed by its manifest, which makes it final for the job.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from dataclasses import asdict

from cleaners import cleaner_version
from scraper.archive import progress
from scraper.archive.filters import filter_reason
from scraper.archive.inputs import open_input
from scraper.archive.job import FileFailure, FileResult, FileTask, Skip
from scraper.archive.output import OutputFolder
from scraper.archive.records import HtmlPage, WarcBroken, read_pages
from scraper.archive.rows import content_hash, provenance
from scraper.archive.writers import Row, write_part
from scraper.memory import memory_trimmer

TRIM_EVERY_PAGES = 100  # hand freed heap back to the system this often (and after big pages)
BIG_PAGE_BYTES = 1_000_000
REPORT_EVERY_RECORDS = 500
_LATEST = 1 << 62  # the sort key of a record without a readable WARC-Date: after every date


class _ReadFailed(Exception):
    """Reading the input failed for a reason a rerun may not meet: abandon the part."""


def clean_file(task: FileTask) -> FileResult:
    """Clean every HTML response of one WARC file into its part; never raises."""
    result = FileResult(task.source, task.part)
    job = task.job
    if cleaner_version() != job.cleaner_version:
        result.failure = FileFailure.version_mismatch.value
        result.message = f"this worker runs cleaner {cleaner_version()}, the run asked for "
        result.message += f"{job.cleaner_version}: install the same newsclean everywhere"
        return result
    out = OutputFolder(job.out)
    metadata = {
        "newsclean.cleaner_version": job.cleaner_version,
        "newsclean.source": task.source,
        "newsclean.fingerprint": job.fingerprint,
    }
    try:
        with open_input(task.source) as stream:
            write_part(out, task.part, job.format, metadata, _rows(task, stream, result))
    except _ReadFailed:
        return result
    except Exception as error:  # the input could not be opened, or the part not written
        opened = result.records > 0 or (isinstance(error, OSError) and _is_output(error, out))
        failure = FileFailure.write_failed if opened else FileFailure.unreadable
        result.failure, result.message = failure.value, _one_line(error)
        return result
    result.done = True
    try:
        out.write_manifest(task.part, manifest(result, task))
    except Exception as error:
        result.done = False
        result.failure = FileFailure.write_failed.value
        result.message = f"the manifest: {_one_line(error)}"
    return result


def manifest(result: FileResult, task: FileTask) -> dict[str, object]:
    """What a part's manifest says: its job, its counts, and the rows it holds for dedup."""
    return {
        **asdict(result),
        "fingerprint": task.job.fingerprint,
        "format": task.job.format,
        "cleaner_version": task.job.cleaner_version,
    }


def _rows(task: FileTask, stream: object, result: FileResult) -> Iterator[Row]:
    """Clean the file's pages and yield the rows to write; count everything in `result`."""
    from cleaners import clean_html
    from cleaners.decoding import decode_html

    job = task.job
    filters = job.filters
    active = filters.hosts or filters.since is not None or filters.until is not None
    select = functools.partial(filter_reason, filters) if active else None
    kept: dict[str, int] = {}  # content hash -> earliest WARC-Date written in this file
    trim = memory_trimmer()
    unreported, last_report, pages = 0, time.monotonic(), 0
    records = read_pages(stream, job.max_record_bytes, select=select)  # type: ignore[arg-type]
    while True:
        try:
            item = next(records, None)
        except WarcBroken as broken:
            result.failure, result.message = broken.failure.value, str(broken)
            break  # what was read before the break is kept
        except Exception as error:  # I/O or network under the reader: a rerun may succeed
            result.failure = FileFailure.unreadable.value
            result.message = _one_line(error)
            raise _ReadFailed from None
        if item is None:
            break
        result.records += 1
        unreported += 1
        if unreported >= REPORT_EVERY_RECORDS or time.monotonic() - last_report > 1.0:
            progress.report(unreported)
            unreported, last_report = 0, time.monotonic()
        if not isinstance(item, HtmlPage):
            result.skip(item.reason)
            continue
        result.html_pages += 1
        pages += 1
        text = decode_html(item.payload, item.charset)
        article = clean_html(text, item.target_uri, language=job.language)
        if pages % TRIM_EVERY_PAGES == 0 or len(item.payload) > BIG_PAGE_BYTES:
            trim()
        del text
        if not article.has_body:
            result.skip(Skip.no_body)
            continue
        digest = content_hash(article.text)
        when = item.date_key if item.date_key is not None else _LATEST
        if kept.get(digest, _LATEST + 1) <= when:
            result.skip(Skip.duplicate)
            continue
        kept[digest] = when
        result.index.append((digest, item.date_key, item.offset))
        result.written += 1
        yield article.to_dict(), provenance(item, task.source, digest, job.cleaner_version)
    progress.report(unreported)


def _is_output(error: OSError, out: OutputFolder) -> bool:
    return bool(error.filename) and str(error.filename).startswith(out.root)


def _one_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    text = lines[0] if lines else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
