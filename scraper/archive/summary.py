"""What one archive run did, as counts for the one-line summary and the exit code."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from scraper.archive.job import FileResult, Skip
from scraper.exit_codes import ExitCode


@dataclass
class ArchiveSummary:
    """Counts of one run; records and pages count the files cleaned in this run only."""

    files: int = 0
    already_done: int = 0
    records: int = 0
    html_pages: int = 0
    written: int = 0  # rows this run added to the output, after dedup
    duplicates: int = 0
    skips: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)  # FileFailure -> files
    notes: list[str] = field(default_factory=list)

    def add(self, result: FileResult) -> None:
        """Count one file cleaned in this run."""
        self.records += result.records
        self.html_pages += result.html_pages
        self.written += result.written
        self.skips.update(result.skips)
        self.duplicates += result.skips.get(Skip.duplicate.value, 0)
        if result.failure:
            self.failed[result.failure] += 1

    @property
    def exit_code(self) -> ExitCode:
        """1 when some input did not come out whole (contract), else 0."""
        return ExitCode.PARTIAL if self.failed else ExitCode.OK

    def line(self) -> str:
        """The summary in one line."""
        failed = sum(self.failed.values())
        files = f"files {self.files} ({self.already_done} already done, {failed} failed"
        if failed:
            files += ": " + ", ".join(f"{why} {n}" for why, n in sorted(self.failed.items()))
        skips = {k: n for k, n in self.skips.items() if k != Skip.duplicate.value and n}
        skipped = ", ".join(f"{why} {n}" for why, n in sorted(skips.items())) or "none"
        return (
            f"{files}), records {self.records}, HTML pages {self.html_pages}, "
            f"articles written {self.written}, duplicates {self.duplicates}, skipped: {skipped}"
        )
