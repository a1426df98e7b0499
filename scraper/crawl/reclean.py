"""Clean the crawl's stored articles again from its own WARC archive with the current cleaner.

Each article is cleaned from the answer its page was stored from (the WARC file and offset the
crawl recorded), exactly as the crawl cleans a fetched page (`cleaning.clean_page`: the HTTP
charset, the site's language and time zone, the feed's title and date hints), and the stored
JSON is replaced when the result differs. Articles the current cleaner already made are skipped
unless asked for all. An article whose record cannot be read, or that now gives no body, is
kept as it is: nothing stored is lost.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from scraper.crawl.cleaning import PageToClean, clean_page, utc_offset
from scraper.crawl.config import Site
from scraper.crawl.outputs.warc_archive import OPEN_SUFFIX
from scraper.crawl.sources import Candidate
from scraper.crawl.store import Store, StoredArticle


@dataclass(frozen=True)
class RecleanOptions:
    """What to re-clean and how."""

    site: str | None = None  # only this site's articles
    language: str | None = None  # the language to keep for every site; None: each site's own
    every: bool = False  # also the articles the current cleaner already made
    dry_run: bool = False  # count what would change, write nothing


@dataclass
class RecleanSummary:
    """What a re-clean did, for its one summary line and its exit code."""

    cleaner: str
    dry_run: bool = False
    checked: int = 0
    changed: int = 0
    merged: int = 0  # of the changed: now the same story as another article, stored once
    unchanged: int = 0
    no_body: int = 0  # the cleaner now keeps no body: kept as stored
    not_archived: int = 0  # no WARC record was recorded for its page (crawled without --warc)
    unreadable: Counter[str] = field(default_factory=Counter)  # WARC file missing or damaged
    current: int = 0  # already made by this cleaner: skipped

    @property
    def missing(self) -> int:
        """Articles whose record could not be had."""
        return self.not_archived + sum(self.unreadable.values())

    @property
    def exit_code(self) -> int:
        """1 when a recorded WARC file was missing or damaged, else 0."""
        return 1 if self.unreadable else 0

    def line(self) -> str:
        """The one summary line."""
        verb = "would change" if self.dry_run else "changed"
        why = ", ".join(f"{reason} {n}" for reason, n in sorted(self.unreadable.items()))
        unreadable = sum(self.unreadable.values())
        return (
            f"articles checked {self.checked}, {verb} {self.changed}"
            f" ({self.merged} merged into another), unchanged {self.unchanged},"
            f" missing record {self.missing} (not archived {self.not_archived},"
            f" unreadable {unreadable}{': ' + why if why else ''}),"
            f" no body now {self.no_body} (kept as stored),"
            f" skipped {self.current} (already at cleaner {self.cleaner})"
        )


class RecordUnreadable(Exception):
    """The article's WARC record cannot be read: `RecordUnreadable(reason token, detail)`."""


def reclean(
    store: Store,
    sites: dict[str, Site],
    options: RecleanOptions,
    *,
    note: Callable[[str], None] = lambda _line: None,
) -> RecleanSummary:
    """Re-clean the stored articles of `store`; `sites` gives each site's language and time
    zone (a site the configuration no longer names takes the defaults). `note` hears one line
    per WARC file that cannot be read."""
    from cleaners import cleaner_version

    summary = RecleanSummary(cleaner_version(), dry_run=options.dry_run)
    told: set[str] = set()
    for article_id in store.article_ids(site=options.site):
        stored = store.stored_article(article_id)
        if stored is None:
            continue  # merged into an earlier article during this run
        summary.checked += 1
        if stored.cleaner_version == summary.cleaner and not options.every:
            summary.current += 1
            continue
        if stored.warc_file is None or stored.warc_offset is None or stored.hint is None:
            summary.not_archived += 1
            continue
        site = sites.get(stored.site) or Site(name=stored.site)
        try:
            page = _page_to_clean(stored, site, options.language or site.language)
        except RecordUnreadable as error:
            summary.unreadable[error.args[0]] += 1
            if stored.warc_file not in told:
                told.add(stored.warc_file)
                note(f"cannot read {stored.warc_file}: {error.args[1]}")
            continue
        _judge(store, stored, page, summary, dry_run=options.dry_run)
    return summary


def _judge(
    store: Store,
    stored: StoredArticle,
    page: PageToClean,
    summary: RecleanSummary,
    *,
    dry_run: bool,
) -> None:
    """Clean one page and put the result in place of the stored article when it differs."""
    cleaned = clean_page(page)
    if not cleaned.has_body:
        summary.no_body += 1
        return
    # the line as the crawl writes it (Store.store_article): the schema, the site, the fetch time
    record = {**cleaned.article.to_dict(), "source": stored.site, "fetched_at": stored.fetched_at}
    line = json.dumps(record, ensure_ascii=False, sort_keys=True)
    if line == stored.line and cleaned.content_hash == stored.content_hash:
        summary.unchanged += 1
        if not dry_run:
            store.set_cleaner_version(stored.id, cleaned.cleaner_version)
        return
    summary.changed += 1
    other = store.article_with_hash(cleaned.content_hash)
    summary.merged += other is not None and other != stored.id
    if dry_run:
        return
    store.replace_article(
        stored.id,
        line,
        content_hash=cleaned.content_hash,
        url=cleaned.article.url or page.url,
        published=cleaned.article.date,
        cleaner_version=cleaned.cleaner_version,
    )


def _page_to_clean(stored: StoredArticle, site: Site, language: str | None) -> PageToClean:
    """The archived answer of the article's page, as the crawl hands a fetched page over."""
    from scraper.archive.records import HtmlPage, WarcBroken, read_record_at

    assert stored.warc_file is not None and stored.warc_offset is not None
    path = Path(stored.warc_file)
    if not path.exists() and Path(stored.warc_file + OPEN_SUFFIX).exists():
        path = Path(stored.warc_file + OPEN_SUFFIX)  # left unfinished; the next crawl renames it
    try:
        item = read_record_at(str(path), stored.warc_offset)
    except FileNotFoundError:
        raise RecordUnreadable("missing_file", "no such file") from None
    except WarcBroken as broken:
        raise RecordUnreadable(broken.failure.value, str(broken)) from None
    except OSError as error:
        raise RecordUnreadable("unreadable", error.strerror or str(error)) from None
    if not isinstance(item, HtmlPage):
        raise RecordUnreadable(item.reason.value, f"the record at byte {item.offset} gave no page")
    if stored.warc_record is not None and item.record_id != stored.warc_record:
        raise RecordUnreadable("other_record", f"byte {item.offset} holds another record")
    fetched = item.date_key / 1e6 if item.date_key is not None else time.time()
    hint = stored.hint or Candidate(item.target_uri)
    return PageToClean(
        body=item.payload,
        url=item.target_uri,
        charset=item.charset,
        language=language,
        hint=hint,
        offset=utc_offset(site.timezone, fetched),
    )
