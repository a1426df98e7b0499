"""What one crawl run did, as counts for the stderr summary and the exit code."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from scraper.exit_codes import ExitCode


@dataclass
class Summary:
    """Counts of one run; `failed` maps a short reason to the number of pages."""

    new: int = 0
    duplicates: int = 0  # fetched, but the same article was already stored under another URL
    sources_changed: int = 0
    sources_unchanged: int = 0  # feeds and sitemaps that answered 304
    skipped_language: int = 0
    skipped_robots: int = 0
    no_body: int = 0
    fetched: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    given_up: Counter[str] = field(default_factory=Counter)  # pages past their last attempt
    offsite: int = 0  # URLs not requested: their host is not one the site's configuration names
    failed_sources: list[str] = field(default_factory=list)  # "site url: reason"
    unread_sources: list[str] = field(default_factory=list)  # the deadline came first
    failed_hosts: dict[str, str] = field(default_factory=dict)  # host -> why it was given up
    stopped: str | None = None  # "max-pages", "max-runtime" or "halted" ended the run early
    # what halted the run: an output that cannot be written, no cleaner process that can start
    halted: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> ExitCode:
        """0 when every source was reached and no page failed; 75 when no source answered at
        all (a network outage: try again later); else 1 (contract). A source the deadline kept
        from being read was not reached: 1."""
        reached = self.sources_changed + self.sources_unchanged + self.fetched
        if self.failed_sources and not reached and not self.unread_sources:
            return ExitCode.TEMPORARY
        failures = (
            self.failed_sources
            or self.unread_sources
            or self.failed_hosts
            or sum(self.failed.values())
        )
        if failures or self.halted:
            return ExitCode.PARTIAL
        return ExitCode.OK

    def lines(self) -> list[str]:
        """The human summary, one fact per line."""
        out = [
            f"new articles: {self.new}",
            f"pages fetched: {self.fetched}",
            f"feeds/sitemaps: {self.sources_changed} changed, {self.sources_unchanged} unchanged",
            f"duplicates (same article, another URL): {self.duplicates}",
            f"skipped for language: {self.skipped_language}",
            f"skipped by robots.txt: {self.skipped_robots}",
            f"no article body: {self.no_body}",
        ]
        total = sum(self.failed.values())
        reasons = ", ".join(f"{reason} {n}" for reason, n in sorted(self.failed.items()))
        out.append(f"failed pages: {total}" + (f" ({reasons})" if reasons else ""))
        if self.given_up:
            why = ", ".join(f"{reason} {n}" for reason, n in sorted(self.given_up.items()))
            out.append(f"given up after their last attempt: {sum(self.given_up.values())} ({why})")
        if self.offsite:
            out.append(f"not requested, host outside the configuration: {self.offsite}")
        out += [f"failed source: {s}" for s in self.failed_sources]
        out += [f"source not read: {s}; the next run reads it" for s in self.unread_sources]
        out += [f"failed host: {h}: {why}" for h, why in sorted(self.failed_hosts.items())]
        out += [f"stopped: {why}; the next run continues" for why in self.halted]
        if self.stopped and self.stopped != "halted":
            out.append(f"stopped early: {self.stopped} reached; the next run continues")
        return out
