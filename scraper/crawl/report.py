"""How a crawl tells a person how it is going: a rich progress bar on a terminal, plain log lines
otherwise, nothing for library use and tests."""

from __future__ import annotations

import sys
import time
from typing import Protocol, TextIO

from scraper.redact import redact

LOG_EVERY = 50  # pages between two progress lines in a log


class Reporter(Protocol):
    """Where the crawl tells a person how it is going (progress bar or log lines)."""

    def planned(self, pages: int) -> None:
        """The number of pages due for fetching is known."""

    def page(self, url: str, outcome: str) -> None:
        """One page is done: stored, duplicate, skipped, failed…"""

    def note(self, message: str) -> None:
        """Something worth one log line (a failed source, a host given up)."""


class SilentReporter:
    """A reporter that says nothing (library use and tests)."""

    def planned(self, pages: int) -> None:
        """Ignore."""

    def page(self, url: str, outcome: str) -> None:
        """Ignore."""

    def note(self, message: str) -> None:
        """Ignore."""


class LogReporter:
    """Plain, timestamped lines for cron mail and journald."""

    def __init__(self, stream: TextIO | None = None) -> None:
        """Write to `stream` (stderr by default)."""
        self.stream = stream or sys.stderr
        self.total = 0
        self.total_logged = False
        self.done = 0

    def _line(self, text: str) -> None:
        line = redact(text)
        self.stream.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} newsclean crawl: {line}\n")
        self.stream.flush()

    def planned(self, pages: int) -> None:
        """Log how many pages are due (each site adds its own: logged when the total grows)."""
        if pages == self.total and self.total_logged:
            return
        self.total = pages
        self.total_logged = True
        self._line(f"{pages} pages to fetch")

    def page(self, url: str, outcome: str) -> None:
        """Log failures at once and progress every LOG_EVERY pages."""
        self.done += 1
        if outcome.startswith("failed"):
            self._line(f"{outcome}: {url}")
        if self.done % LOG_EVERY == 0:
            self._line(f"{self.done}/{self.total} pages done")

    def note(self, message: str) -> None:
        """Log a message."""
        self._line(message)


class BarReporter:
    """A rich progress bar on stderr; notes print above it."""

    def __init__(self) -> None:
        """Start the bar (discovery runs before the total is known)."""
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self.console = Console(stderr=True)
        self.progress = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        )
        self.task = self.progress.add_task("reading feeds and sitemaps", total=None)
        self.progress.start()

    def planned(self, pages: int) -> None:
        """Set the bar's total."""
        self.progress.update(self.task, description="fetching pages", total=pages)

    def page(self, url: str, outcome: str) -> None:
        """Advance the bar; print failures."""
        self.progress.advance(self.task)
        if outcome.startswith("failed"):
            from rich.markup import escape

            self.console.print(
                f"[red]{escape(outcome)}[/red]: {escape(redact(url))}", highlight=False
            )

    def note(self, message: str) -> None:
        """Print a message above the bar."""
        self.console.print(redact(message), highlight=False, markup=False)

    def close(self) -> None:
        """Stop the bar."""
        self.progress.stop()
