"""The crawl's deadlines: `max_runtime` ends a run whatever the servers do, a long Retry-After is
not slept through, and a page that takes too long to clean fails alone, then is given up.

Servers are real (127.0.0.1) and hostile on purpose. Each run is guarded by a thread that gives
up far beyond any deadline: without the deadlines these never end.
"""

from __future__ import annotations

import io
import json
import sqlite3
import threading
import time
from pathlib import Path

from scraper.crawl import run_crawl
from scraper.crawl.config import load_config, with_overrides
from scraper.crawl.report import LogReporter
from scraper.crawl.sources import Candidate
from scraper.crawl.store import Store, Validators
from scraper.crawl.summary import Summary
from tests.fakes.news import article_page, make_article, rss_feed
from tests.fakes.site import FakeSite
from tests.scraper.crawl_site import build_host, write_config

HANG_GUARD = 120.0
NONE = Validators(None, None)
XML = {"Content-Type": "application/xml"}


def guarded_crawl(config: Path, **overrides: object) -> tuple[Summary, str]:
    """One crawl in this process; its summary, and what it printed (notes and summary)."""
    log, outcome = io.StringIO(), {}

    def run() -> None:
        try:
            settings = with_overrides(load_config(config), **overrides)
            outcome["summary"] = run_crawl(settings, LogReporter(log))
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(HANG_GUARD)
    assert not thread.is_alive(), "the crawl did not end"
    if "error" in outcome:
        raise outcome["error"]
    summary = outcome["summary"]
    return summary, log.getvalue() + "\n".join(summary.lines())


def pages(db: Path) -> dict[str, tuple[str, int, float]]:
    rows = sqlite3.connect(db).execute("SELECT url, status, attempts, next_try FROM pages")
    return {url: (status, attempts, next_try) for url, status, attempts, next_try in rows}


def site_with_feed(server, name: str, count: int = 3) -> str:
    articles = [make_article(name, i) for i in range(count)]
    server.route("/rss.xml", server.reply(200, XML, rss_feed(articles, server.url("")).encode()))
    return (
        f'[[site]]\nname = "{name}"\nfeeds = ["{server.url("/rss.xml")}"]\ndelay = 0.0\n'
        f"in_flight = 1\n"
    )


def test_max_runtime_ends_the_run_whatever_the_servers_do(tmp_path: Path, loopback) -> None:
    slow, patient, mute = loopback(), loopback(), loopback()
    db = tmp_path / "db.sqlite"
    # pages known from an earlier run, still due; their headers now come a byte every 0.2 s,
    # so every read is in time and only a deadline ends them
    urls = [slow.url(make_article("slow", n).path) for n in range(3)]
    with Store(db) as store:
        store.record_source(slow.url("/rss.xml"), "slow", NONE, map(Candidate, urls), now=0)
    for url in urls:
        slow.route(url.removeprefix(slow.url("")), slow.slow_headers(every=0.2))
    patient.route("/robots.txt", patient.reply(200, {}, b"User-agent: *\nCrawl-delay: 60\n"))
    mute.route("/robots.txt", mute.slow_headers(every=0.2))
    sites = [site_with_feed(s, name) for s, name in ((slow, "slow"), (patient, "patient"))]
    sites.append(f'[[site]]\nname = "mute"\nfeeds = ["{mute.url("/rss.xml")}"]\n')
    slow.route("/rss.xml", slow.reply(404))  # nothing new: straight to the due pages
    config = tmp_path / "sources.toml"
    config.write_text(f'[crawl]\ndb = "{db}"\n\n' + "\n".join(sites), encoding="utf-8")

    summary, printed = guarded_crawl(config, max_runtime=1.5)

    assert summary.exit_code == 1, printed
    assert "stopped early: max-runtime reached" in printed
    assert f"source not read: mute {mute.url('/rss.xml')}: cut off by max-runtime" in printed
    assert f"source not read: patient {patient.url('/rss.xml')}: the host's next turn" in printed
    assert patient.requests_to("/rss.xml") == []  # its turn came after the deadline
    state = pages(db)
    assert all(len(slow.requests_to(u.removeprefix(slow.url("")))) <= 1 for u in urls)
    assert any(slow.requests_to(u.removeprefix(slow.url(""))) for u in urls)
    for url in urls:  # cut off at the deadline: due again, and no attempt counted against them
        assert state[url][:2] == ("new", 0)


def test_a_long_retry_after_gives_the_host_up_instead_of_sleeping(tmp_path: Path, server) -> None:
    site = site_with_feed(server, "busy")
    for n in range(3):
        server.route(make_article("busy", n).path, server.reply(503, {"Retry-After": "3600"}))
    config = tmp_path / "sources.toml"
    config.write_text(f'[crawl]\ndb = "{tmp_path / "db.sqlite"}"\n\n{site}', encoding="utf-8")

    summary, printed = guarded_crawl(config)  # no max-runtime at all

    assert summary.exit_code == 1, printed
    assert "asked to come back in 3600 s (Retry-After); left for a later run" in printed
    asked = [r.path for r in server.log if r.path.startswith("/news/")]
    assert len(asked) == 1  # one answer was enough: the others were not asked
    state = pages(tmp_path / "db.sqlite")
    deferred = state[server.url(asked[0])]
    assert deferred[:2] == ("new", 0) and deferred[2] > time.time() + 3000


def test_a_page_too_slow_to_clean_fails_alone_then_is_given_up(tmp_path: Path) -> None:
    with FakeSite(["clean"]) as site:
        articles = build_host(site, "clean", 4, in_feed=3)
        # one 3 MB paragraph inside 200 nested share boxes: about 5 s of cleaning, far past a
        # one-second deadline (60,000 short paragraphs once were, until the cleaner got faster)
        slow = make_article("clean", 99)
        sentence = "The harbour authority said on Monday that the new quay would open next year. "
        nested = (
            '<div class="share">' * 200
            + "<p>"
            + sentence * (3_000_000 // len(sentence))
            + "</p>"
            + "</div>" * 200
        )
        page = article_page(slow, site.base("clean")).replace("</article>", nested + "</article>")
        site.put("clean", slow.path, page)
        base = site.base("clean")
        site.put("clean", "/rss.xml", rss_feed([slow, *articles[:3]], base))
        config = write_config(
            tmp_path / "sources.toml", site, ["clean"], clean_timeout=1.0, max_attempts=2
        )
        first = run_crawl(load_config(config))
        second = run_crawl(load_config(config))
        third = run_crawl(load_config(config))
    db = tmp_path / "db.sqlite"
    titles = {
        json.loads(line)["title"]
        for (line,) in sqlite3.connect(db).execute("SELECT json FROM articles")
    }
    assert titles == {a.title for a in articles}  # the worker was replaced; the rest was cleaned
    assert first.failed == {"clean_timeout": 1} and not first.given_up
    assert second.failed == {"clean_timeout": 1} and second.given_up == {"clean_timeout": 1}
    assert "given up after their last attempt: 1 (clean_timeout 1)" in second.lines()
    assert third.fetched == 0 and not third.failed  # given up: never fetched again
    status = pages(db)[base + slow.path]
    assert status[:2] == ("gone", 2)
