"""The page sink: what becomes of each page, written in the one order that keeps the outputs in
step after any kill or full disk: the page's answer to the WARC archive, then its outcome
committed to the store (article, duplicate, skipped, no body, failed), then the article's line
to the JSON Lines file. An output that cannot be written halts the run (crawl.outputs); what
was committed stays.
"""

from __future__ import annotations

from datetime import UTC, datetime

from scraper.clock import Clock
from scraper.crawl.budget import RunHalted
from scraper.crawl.canonical import canonical_url
from scraper.crawl.cleaning import CleanedPage
from scraper.crawl.config import CrawlSettings, Site
from scraper.crawl.outputs import CrawlOutputs
from scraper.crawl.outputs.warc_archive import WarcRef
from scraper.crawl.report import Reporter
from scraper.crawl.retries import next_try
from scraper.crawl.store import (
    GONE,
    NO_BODY,
    NOT_ALLOWED_REASON,
    ROBOTS_REASON,
    SKIPPED_LANGUAGE,
    PageTask,
    Store,
    Validators,
)
from scraper.crawl.summary import NOT_ALLOWED_EXAMPLES, Summary
from scraper.http.host_scope import host_key_of
from scraper.http.result import FetchResult
from scraper.http.url_check import is_valid_url
from scraper.redact import redact


class PageSink:
    """Commits each page's outcome to the store and the outputs, and counts it."""

    def __init__(
        self,
        settings: CrawlSettings,
        store: Store,
        outputs: CrawlOutputs,
        *,
        summary: Summary,
        reporter: Reporter,
        clock: Clock,
    ) -> None:
        """Write to `store` and `outputs`; count in `summary`; tell `reporter`."""
        self.settings = settings
        self.store = store
        self.outputs = outputs
        self.summary = summary
        self.reporter = reporter
        self.clock = clock

    def record_answer(self, result: FetchResult, task: PageTask) -> WarcRef | None:
        """Write the page's answer to the WARC archive, just before its commit; where it is.
        Raises RunHalted when the archive just failed: the page stays due for a run that can
        archive it."""
        may_commit, written = self.outputs.record_page(result, task.url)
        if not may_commit:
            raise RunHalted
        return written

    def article(
        self,
        site: Site,
        task: PageTask,
        result: FetchResult,
        cleaned: CleanedPage,
        warc_record: WarcRef | None,
    ) -> None:
        """Commit a page with an article body: a new article, or a duplicate of a stored one."""
        stored = self.store.store_article(
            task.url,
            site.name,
            cleaned.article,
            content_hash=cleaned.content_hash,
            fetched_at=datetime.fromtimestamp(self.clock.time(), UTC).isoformat(timespec="seconds"),
            validators=Validators(result.headers.get("etag"), result.headers.get("last-modified")),
            also=self._same_page_urls(task, cleaned),
            warc_record=warc_record,
            cleaner_version=cleaned.cleaner_version,
        )
        if stored is None:
            self.summary.duplicates += 1
            self.reporter.page(task.url, "duplicate")
            return
        self.summary.new += 1
        self.outputs.article_stored(*stored)  # only after the commit
        self.reporter.page(task.url, "stored")

    def no_article(
        self, site: Site, task: PageTask, cleaned: CleanedPage, warc_record: WarcRef | None
    ) -> None:
        """Commit a page that gave no body: another language, or no article at all."""
        language = cleaned.article.language
        if language and site.language and language != site.language:
            reason = f"language {language}"
            self.store.mark(task.url, SKIPPED_LANGUAGE, reason, warc_record=warc_record)
            self.summary.skipped_language += 1
            self.reporter.page(task.url, "skipped: language")
        else:
            self.store.mark(task.url, NO_BODY, "no article body", warc_record=warc_record)
            self.summary.no_body += 1
            self.reporter.page(task.url, "no body")

    def disallowed(self, task: PageTask) -> None:
        """A page robots.txt does not let us fetch: gone for good."""
        self.store.mark(task.url, GONE, ROBOTS_REASON)
        self.summary.skipped_robots += 1
        self.reporter.page(task.url, "robots")

    def not_allowed(self, task: PageTask) -> None:
        """A page due that the site's allow/deny prefixes no longer allow: not fetched, kept
        with its reason (a later change of the prefixes brings it back), counted."""
        self.store.mark(task.url, GONE, NOT_ALLOWED_REASON)
        self.summary.not_allowed += 1
        if len(self.summary.not_allowed_examples) < NOT_ALLOWED_EXAMPLES:
            self.summary.not_allowed_examples.append(redact(task.url))
        self.reporter.page(task.url, "not allowed")

    def deferred(self, task: PageTask, seconds: float) -> None:
        """A page whose host asked to come back later: due again then, no attempt counted."""
        self.store.defer(task.url, self.clock.time() + seconds)

    def failed(
        self, task: PageTask, why: str, *, transient: bool, warc_record: WarcRef | None = None
    ) -> None:
        """A page that failed: tried again on a later run when waiting may help (see
        crawl.retries), until its last try; otherwise given up at once, its reason kept."""
        now = self.clock.time()

        def plan(attempts: int) -> float | None:
            return next_try(
                why, transient=transient, attempts=attempts, now=now, settings=self.settings
            )

        given_up = self.store.mark_failed(task.url, why, plan=plan, warc_record=warc_record)
        if given_up and plan(1) is not None:  # it had tries left before this one
            self.summary.given_up[why] += 1
        self.summary.failed[why] += 1
        self.reporter.page(task.url, f"failed: {why}")

    def crashed(self, task: PageTask, error: Exception) -> None:
        """An error no rule foresaw while handling one page: fail that page, say what it was."""
        self.reporter.note(
            f"unexpected error on {redact(task.url)}: {type(error).__name__}: {redact(str(error))}"
        )
        self.failed(task, "unexpected_error", transient=True)

    @staticmethod
    def _same_page_urls(task: PageTask, cleaned: CleanedPage) -> list[str]:
        """The page's canonical link, when it names another URL on the page's own host: that
        URL is recorded as the same page. One on another host is ignored, so a page can never
        mark another site's article as already seen."""
        if not cleaned.canonical or not is_valid_url(cleaned.canonical):
            return []
        canonical = canonical_url(cleaned.canonical)
        if canonical == task.url or host_key_of(canonical) != host_key_of(task.url):
            return []
        return [canonical]
