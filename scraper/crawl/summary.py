"""What one crawl run did, as counts for the stderr summary and the exit code."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from scraper.exit_codes import ExitCode

NOT_ALLOWED_EXAMPLES = 3  # links outside the site's prefixes the summary names


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
    fetched: int = 0  # pages requested, whatever the answer
    fetched_ok: int = 0  # of those, pages that came back as HTML to clean: the site was reached
    failed: Counter[str] = field(default_factory=Counter)
    given_up: Counter[str] = field(default_factory=Counter)  # pages past their last attempt
    offsite: int = 0  # URLs not requested: their host is not one the site's configuration names
    not_allowed: int = 0  # links of feeds and sitemaps outside the site's allow/deny prefixes
    not_allowed_examples: list[str] = field(default_factory=list)  # a few of them
    over_limit: int = 0  # links past max_urls_per_source in one feed or sitemap, not taken
    brought_back: int = 0  # skipped or failed pages due again: a config change, or --retry
    failed_sources: list[str] = field(default_factory=list)  # "site url: reason"
    unread_sources: list[str] = field(default_factory=list)  # the deadline came first
    failed_hosts: dict[str, str] = field(default_factory=dict)  # host -> why it was given up
    stopped: str | None = None  # "max-pages", "max-runtime" or "halted" ended the run early
    # what halted the run: an output that cannot be written, no cleaner process that can start
    halted: list[str] = field(default_factory=list)
    interrupted: str | None = None  # "SIGINT" or "SIGTERM" stopped the run

    @property
    def exit_code(self) -> ExitCode:
        """0 when every source was reached and no page failed; 75 when no source answered at
        all (a network outage: try again later); else 1 (contract). A source the deadline kept
        from being read was not reached: 1."""
        reached = self.sources_changed + self.sources_unchanged + self.fetched_ok
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

    def line(self) -> str:
        """The run in one line, for a log: the counts that are not zero, and why it stopped."""
        if self.interrupted:
            parts = [f"interrupted by {self.interrupted}: {self.new} stored"]
        else:
            parts = [f"{self.new} new"]
        parts.append(f"{self.fetched} pages fetched")
        failed = sum(self.failed.values())
        if failed:
            parts.append(f"{failed} failed ({_counts(self.failed)})")
        if self.given_up:
            parts.append(f"{sum(self.given_up.values())} given up ({_counts(self.given_up)})")
        for count, what in (
            (self.duplicates, "duplicates"),
            (self.no_body, "without an article body"),
            (self.skipped_language, "skipped for language"),
            (self.skipped_robots, "skipped by robots.txt"),
            (self.brought_back, "skipped or failed pages due again"),
            (self.over_limit, "links past max_urls_per_source not taken"),
            (self.offsite, "not requested (host outside the configuration)"),
        ):
            if count:
                parts.append(f"{count} {what}")
        if self.not_allowed:
            examples = ", ".join(self.not_allowed_examples)
            parts.append(
                f"{self.not_allowed} links not allowed by the site's prefixes (e.g. {examples})"
            )
        sources = f"sources: {self.sources_changed} read, {self.sources_unchanged} unchanged"
        if self.failed_sources:
            sources += f", {len(self.failed_sources)} failed"
        if self.unread_sources:
            sources += f", {len(self.unread_sources)} not read"
        parts.append(sources)
        if self.failed_hosts:
            parts.append(f"hosts given up: {', '.join(sorted(self.failed_hosts))}")
        parts += [f"stopped: {why}" for why in self.halted]
        early = self.stopped not in (None, "halted", "interrupted")
        if early:
            parts.append(f"stopped early: {self.stopped} reached")
        if self.interrupted or self.halted or early:
            parts.append("the next run continues")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, object]:
        """Every count, for monitoring (`--summary json`)."""
        return {
            "new": self.new,
            "fetched": self.fetched,
            "failed": dict(sorted(self.failed.items())),
            "given_up": dict(sorted(self.given_up.items())),
            "duplicates": self.duplicates,
            "no_body": self.no_body,
            "skipped_language": self.skipped_language,
            "skipped_robots": self.skipped_robots,
            "not_allowed": self.not_allowed,
            "not_allowed_examples": list(self.not_allowed_examples),
            "over_limit": self.over_limit,
            "brought_back": self.brought_back,
            "offsite": self.offsite,
            "sources_changed": self.sources_changed,
            "sources_unchanged": self.sources_unchanged,
            "failed_sources": list(self.failed_sources),
            "unread_sources": list(self.unread_sources),
            "failed_hosts": dict(sorted(self.failed_hosts.items())),
            "stopped": self.stopped,
            "halted": list(self.halted),
            "interrupted": self.interrupted,
            "exit_code": int(self.exit_code),
        }

    def lines(self) -> list[str]:
        """The human summary, one fact per line (the demo, and tests that read it)."""
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
        if self.not_allowed:
            examples = ", ".join(self.not_allowed_examples)
            out.append(f"links not allowed by the site's prefixes: {self.not_allowed} ({examples})")
        out += [f"failed source: {s}" for s in self.failed_sources]
        out += [f"source not read: {s}; the next run reads it" for s in self.unread_sources]
        out += [f"failed host: {h}: {why}" for h, why in sorted(self.failed_hosts.items())]
        out += [f"stopped: {why}; the next run continues" for why in self.halted]
        if self.stopped and self.stopped not in ("halted", "interrupted"):
            out.append(f"stopped early: {self.stopped} reached; the next run continues")
        if self.interrupted:
            out.append(f"interrupted by {self.interrupted}; the next run continues")
        return out


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{reason} {n}" for reason, n in sorted(counter.items()))
