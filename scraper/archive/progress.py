"""Progress of an archive run: workers count records as they go, the driver shows a bar or logs.

Worker side: the engine installs a reporter (a queue to the driver, or a Dask event) and the
task calls `report(records)` now and then; with none installed it does nothing. Driver side:
`BarProgress` (rich: files, records, records per second) on a terminal, `LogProgress` otherwise.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import Task
    from rich.text import Text

    from scraper.archive.job import FileResult

REPORT_EVERY_SECONDS = 1.0
_reporter: Callable[[int], None] | None = None


def install_reporter(reporter: Callable[[int], None] | None) -> None:
    """Send this worker's record counts to `reporter` (None: nowhere)."""
    global _reporter
    _reporter = reporter


def report(records: int) -> None:
    """Tell the driver that `records` more records were read; never raises."""
    if _reporter is not None and records:
        # progress is a courtesy: a lost message must not fail the file
        with contextlib.suppress(Exception):
            _reporter(records)


class LogProgress:
    """Plain timestamped lines on stderr: one per finished file, for cron mail and journald."""

    def __init__(self, stream: TextIO | None = None) -> None:
        """Write to `stream` (stderr by default)."""
        self.stream = stream or sys.stderr
        self.files = 0
        self.done = 0

    def planned(self, files: int, already_done: int) -> None:
        """Say how many files there are to clean."""
        self.files = files
        self._line(f"{files} files to clean ({already_done} already done)")

    def records(self, count: int) -> None:
        """Records are counted per file in the log, not as they stream."""

    def file_done(self, result: FileResult) -> None:
        """Log one finished file."""
        self.done += 1
        state = f"failed ({result.failure}: {result.message})" if result.failure else "done"
        self._line(
            f"[{self.done}/{self.files}] {result.source}: {state}, {result.records} records, "
            f"{result.written} articles"
        )

    def note(self, message: str) -> None:
        """Log a message."""
        self._line(message)

    def close(self) -> None:
        """Nothing to stop."""

    def _line(self, text: str) -> None:
        self.stream.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} newsclean archive: {text}\n")
        self.stream.flush()


class BarProgress:
    """A rich bar on stderr: files done of all, records read and records per second."""

    def __init__(self) -> None:
        """Start the bar."""
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            TimeElapsedColumn,
        )
        from rich.text import Text

        class RateColumn(ProgressColumn):
            """Records per second, as rich measures the task's speed."""

            def render(self, task: Task) -> Text:
                if task.fields.get("unit") != "records":
                    return Text("")
                speed = task.speed
                return Text(f"{speed:,.0f} records/s" if speed else "", style="progress.data.speed")

        self.console = Console(stderr=True)
        self.progress = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TimeElapsedColumn(),
            console=self.console,
        )
        self._lock = threading.Lock()  # records arrive on the engine's thread
        self.files = self.progress.add_task("files", total=None)
        self.read = self.progress.add_task("records", total=None, unit="records")
        self.progress.start()

    def planned(self, files: int, already_done: int) -> None:
        """Set the number of files to clean."""
        self.progress.update(self.files, total=files)
        if already_done:
            self.note(f"{already_done} files already done with this cleaner; skipped")

    def records(self, count: int) -> None:
        """Count records read by the workers."""
        with self._lock:
            self.progress.advance(self.read, count)

    def file_done(self, result: FileResult) -> None:
        """Advance the files bar; name a failed file above it."""
        self.progress.advance(self.files)
        if result.failure:
            self.note(f"[red]{result.failure}[/red]: {result.source}: {result.message}")

    def note(self, message: str) -> None:
        """Print a line above the bar."""
        self.console.print(message, highlight=False)

    def close(self) -> None:
        """Stop the bar."""
        self.progress.stop()


Progress = LogProgress | BarProgress
