"""The crawl's outputs beside the store, kept in step with it: the WARC archive and the JSON
Lines file.

Order is what keeps them agreeing after a kill or a full disk: a page's answer is written to the
WARC archive just before the page's commit, and an article's line is appended just after it.
At the start of a run, unfinished WARC files of a killed run are repaired (`warc_recovery`) and
the JSON Lines file catches up with the store (`jsonl_mirror`). A failure to write either stops
the run cleanly (`halt`); what the store committed stays, and the next run catches up.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from scraper.crawl.config import CrawlSettings
from scraper.crawl.outputs.jsonl_mirror import JsonlMirror
from scraper.crawl.outputs.warc_archive import WarcArchive, WarcRef
from scraper.crawl.outputs.warc_recovery import recover
from scraper.crawl.store import Store
from scraper.http.result import FetchResult, Recorded


class OutputError(Exception):
    """The JSON Lines file or the WARC archive cannot be opened where the settings say."""


class CrawlOutputs:
    """The WARC archive and the JSON Lines file of one run (each optional)."""

    def __init__(
        self,
        settings: CrawlSettings,
        store: Store,
        *,
        halt: Callable[[str], None],
        note: Callable[[str], None],
    ) -> None:
        """Prepare the outputs `settings` name; `halt` stops the run, `note` logs a line."""
        self.settings = settings
        self.store = store
        self.halt = halt
        self.note = note
        self.warc: WarcArchive | None = None
        self.jsonl: JsonlMirror | None = None

    def open(self) -> None:
        """Repair and open the outputs; raise OutputError when a path cannot be made."""
        s = self.settings
        if s.warc:
            with self._naming("the WARC folder", s.warc):
                self._repair_warc(Path(s.warc))
                self.warc = WarcArchive(s.warc, max_bytes=s.warc_max_bytes)
        if s.jsonl:
            with self._naming("the JSON Lines file", s.jsonl):
                self.jsonl = JsonlMirror(Path(s.jsonl), self.store)
                self.jsonl.open()

    @contextlib.contextmanager
    def _naming(self, what: str, path: Path) -> Iterator[None]:
        """An OSError inside is an OutputError naming the output, its path and the OS's reason
        (some errors, such as EINVAL on /proc files, carry no file name of their own)."""
        try:
            yield
        except OSError as error:
            self.close()
            where = error.filename if error.filename is not None else path
            if str(where) != str(path):
                where = f"{path} ({where})"
            raise OutputError(f"cannot write {what} {where}: {_why(error)}") from None

    def catch_up(self) -> None:
        """Append to the JSON Lines file the stored articles it lacks (after a kill or a full
        disk in an earlier run)."""
        if self.jsonl is None:
            return
        try:
            done = self.jsonl.catch_up()
        except OSError as error:
            self._jsonl_failed(error)
            return
        if done.appended or done.cut_bytes:
            self.note(
                f"{self.settings.jsonl}: caught up with the database: {done.appended} articles"
                f" appended, {done.cut_bytes} bytes of an unfinished line cut"
            )
        for article_id in done.damaged:
            self.note(f"article {article_id}: stored JSON is not valid UTF-8; written repaired")

    def record(self, response: Recorded) -> None:
        """Write one response to the WARC archive (a fetcher's ResponseRecorder)."""
        if self.warc is None:
            return
        try:
            self.warc.write_response(
                response.url,
                response.status,
                response.headers,
                response.body,
                http_version=response.http_version,
                truncated=response.truncated,
            )
        except OSError as error:
            self._warc_failed(error)

    def record_page(self, result: FetchResult, page: str) -> tuple[bool, WarcRef | None]:
        """Write a page's answer to the WARC archive just before its commit. Returns whether the
        page may be committed (False: the archive just failed, leave the page due) and where
        the record is."""
        if self.warc is None:
            return True, None
        try:
            written = self.warc.write_response(
                result.final_url,
                result.status,
                result.raw_headers if result.raw_headers is not None else result.headers,
                result.content,
                http_version=result.http_version,
                page=page,
            )
        except OSError as error:
            self._warc_failed(error)
            return False, None
        return True, written

    def article_stored(self, article_id: int, line: str) -> None:
        """Append a just-committed article to the JSON Lines file."""
        if self.jsonl is None:
            return
        try:
            self.jsonl.append(article_id, line)
        except OSError as error:
            self._jsonl_failed(error)

    def close(self) -> None:
        """Finish the WARC file and close the JSON Lines file; a failure halts the run."""
        if self.warc is not None:
            try:
                self.warc.close()
            except OSError as error:
                self._warc_failed(error)
            self.warc = None
        if self.jsonl is not None:
            with contextlib.suppress(OSError):
                self.jsonl.close()
            self.jsonl = None

    def _repair_warc(self, directory: Path) -> None:
        if not directory.is_dir():
            return
        for repair in recover(directory, self._committed):
            self.note(
                f"repaired the unfinished WARC file {repair.path.name}: {repair.kept} records"
                f" kept, {repair.cut_bytes} bytes cut ({repair.uncommitted} records of pages"
                " never committed)"
            )

    def _committed(self, page: str, record_id: str) -> bool:
        return self.store.page_record(page) == record_id

    def _warc_failed(self, error: OSError) -> None:
        if self.warc is not None:
            with contextlib.suppress(OSError):
                self.warc.close()
        self.warc = None
        self.halt(f"cannot write the WARC archive in {self.settings.warc}: {_why(error)}")

    def _jsonl_failed(self, error: OSError) -> None:
        if self.jsonl is not None:
            with contextlib.suppress(OSError):
                self.jsonl.close()
        self.jsonl = None
        self.halt(
            f"cannot write {self.settings.jsonl}: {_why(error)} (the articles are in the"
            " database; the next run appends them)"
        )


def _why(error: OSError) -> str:
    return error.strerror or str(error)
