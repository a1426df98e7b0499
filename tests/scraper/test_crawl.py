"""The scheduled crawl against a fake news site on 127.0.0.1 (several hosts, one port each)."""

from __future__ import annotations

import json
import sqlite3
from itertools import pairwise
from pathlib import Path

import pytest

from scraper.crawl.store import Store
from tests.fakes.clock import SkippingClock
from tests.fakes.news import (
    JUNK_HEADINGS,
    JUNK_HEADLINES,
    article_page,
    make_article,
    rss_feed,
)
from tests.fakes.site import FakeSite
from tests.scraper.crawl_site import ROBOTS, build_host, crawl, set_site_key, write_config

HOSTS = ["alpha", "beta"]


def stored(db: Path) -> list[dict]:
    with Store(db) as store:
        return [json.loads(line) for line in store.articles()]


def article_requests(site: FakeSite, since: int = 0) -> list[str]:
    return [r.path for r in site.requests()[since:] if r.path.startswith("/news/")]


@pytest.fixture
def news(tmp_path: Path):
    with FakeSite(HOSTS) as site:
        articles = {h: build_host(site, h, 6) for h in HOSTS}
        config = write_config(tmp_path / "sources.toml", site, HOSTS)
        yield site, articles, config, tmp_path / "db.sqlite"


def test_first_run_stores_every_article_once(news) -> None:
    site, articles, config, db = news
    summary = crawl(config)
    assert summary.exit_code == 0, summary.lines()
    got = stored(db)
    assert summary.new == len(got) == 12
    titles = sorted(a["title"] for a in got)
    assert titles == sorted(a.title for h in HOSTS for a in articles[h])
    # the feed links carry ?utm_source=rss; each page was still fetched exactly once
    paths = [(r.host, r.path) for r in site.requests() if r.path.startswith("/news/")]
    assert len(paths) == len(set(paths)) == 12


def test_first_run_articles_are_clean_with_date_and_dateline(news) -> None:
    _site, articles, config, db = news
    crawl(config)
    expected = {a.title: a for h in HOSTS for a in articles[h]}
    for article in stored(db):
        fake = expected[article["title"]]
        assert article["text"].startswith(f"{fake.dateline} — "), article["text"][:80]
        assert article["dateline"] == fake.dateline
        assert article["date"] is not None and article["date"][:10] == fake.date[:10]
        if not fake.date_in_page:
            assert article["date_source"] in ("sitemap", "feed")
        for junk in (*JUNK_HEADINGS, *JUNK_HEADLINES):
            assert junk not in article["text"]
        assert article["source"] in HOSTS and article["fetched_at"]


def test_vietnamese_and_disallowed_sitemap_items_are_never_fetched(news) -> None:
    site, _, config, _ = news
    summary = crawl(config)
    paths = {r.path for r in site.requests()}
    assert "/tin-tuc/bai-viet.html" not in paths
    assert "/private/draft.html" not in paths
    assert summary.skipped_language == 2 and summary.skipped_robots == 2


def test_second_run_costs_one_304_per_source_and_fetches_no_article(news) -> None:
    site, _, config, db = news
    crawl(config)
    before = len(site.requests())
    summary = crawl(config)
    second = site.requests()[before:]
    sources = [r for r in second if r.path in ("/rss.xml", "/sitemap-news.xml")]
    assert len(sources) == 4 and all(r.status == 304 for r in sources)
    assert article_requests(site, before) == []
    assert summary.new == 0 and summary.sources_unchanged == 4 and summary.exit_code == 0
    assert len(stored(db)) == 12


def test_a_new_feed_item_costs_exactly_one_page(news) -> None:
    site, articles, config, db = news
    crawl(config)

    fresh = make_article("alpha", 99)
    base = site.base("alpha")
    site.put("alpha", fresh.path, article_page(fresh, base))
    site.put("alpha", "/rss.xml", rss_feed([fresh, *articles["alpha"][:3]], base))
    before = len(site.requests())
    summary = crawl(config)
    assert article_requests(site, before) == [fresh.path]
    assert summary.new == 1 and len(stored(db)) == 13


def test_the_same_article_under_two_urls_is_stored_once_with_both(news, tmp_path) -> None:
    site, articles, config, db = news
    first = articles["alpha"][0]
    site.put("alpha", "/amp" + first.path, site.body("alpha", first.path))
    base = site.base("alpha")
    feed = rss_feed(articles["alpha"][:3], base).replace(
        "</channel>",
        f"<item><title>amp</title><link>{base}/amp{first.path}</link></item></channel>",
    )
    site.put("alpha", "/rss.xml", feed)
    crawl(config)
    assert len(stored(db)) == 12
    rows = sqlite3.connect(db).execute(
        "SELECT url, article_id FROM pages WHERE url LIKE ?", (f"{base}%{first.path}",)
    )
    ids = dict(rows)
    assert len(ids) == 2 and len(set(ids.values())) == 1 and None not in ids.values()


def test_requests_keep_each_hosts_delay_and_retry_after(news) -> None:
    site, articles, config, _ = news
    clock = SkippingClock()  # the waits are kept on this clock, and cost the test nothing
    site.clock = clock.monotonic
    # one request in flight per host: each starts after the previous one ended, so the gaps
    # the server sees are exact on a clock that skips while a request is on its way
    set_site_key(config, "in_flight", 1)
    set_site_key(config, "delay", 2.0)
    site.put("alpha", "/robots.txt", "User-agent: *\nDisallow: /private/\nCrawl-delay: 3\n")
    site.retry_after[("beta", articles["beta"][1].path)] = [1, 10]
    summary = crawl(config, clock)
    assert summary.new == 12 and summary.exit_code == 0
    for host, delay in (("alpha", 3.0), ("beta", 2.0)):
        times = [r.at for r in site.requests(host)]
        gaps = [b - a for a, b in pairwise(times)]
        assert min(gaps) >= delay, (host, min(gaps))
    beta = site.requests("beta")
    busy = next(i for i, r in enumerate(beta) if r.status == 503)
    assert beta[busy + 1].at - beta[busy].at >= 10.0


def test_two_requests_in_flight_to_a_host_still_start_a_delay_apart(tmp_path) -> None:
    with FakeSite(["both"]) as site:  # on the real clock: the requests overlap in time
        build_host(site, "both", 5, in_feed=5)
        config = write_config(tmp_path / "sources.toml", site, ["both"])
        set_site_key(config, "delay", 0.1)
        assert crawl(config).new == 5
    times = [r.at for r in site.requests("both")]
    assert min(b - a for a, b in pairwise(times)) >= 0.1


def test_a_slow_and_a_dead_host_hold_up_nobody(tmp_path) -> None:
    hosts = ["good", "slow", "dead"]
    with FakeSite(hosts, dead=("dead",)) as site:
        for host in hosts:
            build_host(site, host, 6) if host != "dead" else None
        site.slow["slow"] = 2.0
        config = write_config(tmp_path / "sources.toml", site, hosts, timeout=0.5)
        summary = crawl(config)
    assert summary.exit_code == 1
    assert {h.split(":")[0] for h in summary.failed_hosts} == {"127.0.0.1"}
    named = " ".join(summary.lines())
    assert site.base("dead").removeprefix("http://") in named
    assert site.base("slow").removeprefix("http://") in named
    assert sum(a["source"] == "good" for a in stored(tmp_path / "db.sqlite")) == 6


def test_warc_records_hold_the_exact_bytes_served(news) -> None:
    from warcio.archiveiterator import ArchiveIterator

    site, articles, config, db = news
    warc = db.parent / "warc"
    with config.open("a") as f:
        f.write("")
    text = config.read_text().replace("[crawl]", f'[crawl]\nwarc = "{warc}"', 1)
    config.write_text(text)
    crawl(config)
    seen = {}
    for path in sorted(warc.glob("*.warc.gz")):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response":
                    seen[record.rec_headers.get_header("WARC-Target-URI")] = (
                        record.content_stream().read()
                    )
    for host in HOSTS:
        for article in articles[host]:
            assert seen[site.url(host, article.path)] == site.body(host, article.path)
    assert seen[site.url("alpha", "/rss.xml")] == site.body("alpha", "/rss.xml")


def test_warc_records_robots_txt_errors_and_304s_too(news) -> None:
    from warcio.archiveiterator import ArchiveIterator

    site, articles, config, db = news
    missing = make_article("alpha", 99)  # listed in the feed, never served: a 404
    site.put("alpha", "/rss.xml", rss_feed([*articles["alpha"][:3], missing], site.base("alpha")))
    warc = db.parent / "warc"
    config.write_text(config.read_text().replace("[crawl]", f'[crawl]\nwarc = "{warc}"', 1))
    crawl(config)
    crawl(config)  # the feeds and sitemaps answer 304 now
    records = []
    for path in sorted(warc.glob("*.warc.gz")):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response":
                    uri = record.rec_headers.get_header("WARC-Target-URI")
                    status = int(record.http_headers.get_statuscode())
                    records.append((uri, status, record.content_stream().read()))
    assert (site.url("alpha", "/robots.txt"), 200, ROBOTS.encode()) in records
    assert (site.url("alpha", missing.path), 404, b"not found") in records
    assert (site.url("alpha", "/rss.xml"), 304, b"") in records


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_full_disk_under_the_jsonl_stops_the_run_and_loses_nothing(news) -> None:
    _, articles, config, db = news
    total = sum(len(a) for a in articles.values())
    # one cleaning process and one lane per host: the pool's room (8 pages) fills up before the
    # first article is stored, so the stop shows in what is left unfetched
    set_site_key(config, "in_flight", 1)
    text = config.read_text().replace("[crawl]", "[crawl]\nworkers = 1", 1)
    config.write_text(text.replace("[crawl]", '[crawl]\njsonl = "/dev/full"', 1))
    first = crawl(config)
    assert first.exit_code == 1
    assert first.stopped == "halted"
    assert any("cannot write /dev/full" in line for line in first.lines())
    assert first.new >= 1 and first.fetched < total  # what was fetched is stored, then stop

    config.write_text(text)  # disk space again: the next run stores whatever is left
    second = crawl(config)
    assert second.exit_code == 0, second.lines()
    urls = [a["url"] for a in stored(db)]
    assert len(urls) == len(set(urls)) == sum(len(a) for a in articles.values())
