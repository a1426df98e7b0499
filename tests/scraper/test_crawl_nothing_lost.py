"""Nothing is lost for good: failed pages are tried again on later runs, a configuration fix
brings skipped pages back, `--retry` does on demand, and every skip is counted with its reason.
The crawl runs as a user runs it (`newsclean crawl`, `newsclean status`) against a fake site on
127.0.0.1, or in this process on an injected clock where hours must pass."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from scraper.crawl.store import Store
from tests.fakes.clock import SkippingClock
from tests.fakes.news import rss_feed
from tests.fakes.site import FakeSite
from tests.scraper.crawl_site import build_host, crawl, set_site_key, write_config
from tests.scraper.run_cli import newsclean

VIETNAMESE = (
    "<html lang='vi'><body><article><h1>Tin mới</h1>"
    "<p>Thủ tướng Chính phủ đã chủ trì cuộc họp với các bộ, ngành để bàn về tình hình kinh tế"
    " xã hội trong những tháng cuối năm và đề ra các giải pháp trọng tâm.</p>"
    "<p>Các đại biểu đã thảo luận sôi nổi về những vấn đề được nhân dân quan tâm.</p>"
    "</article></body></html>"
)


def pages(db: Path) -> dict[str, tuple[str, str | None]]:
    with sqlite3.connect(db) as raw:
        return {
            url: (status, reason)
            for url, status, reason in raw.execute("SELECT url, status, reason FROM pages")
        }


def titles(db: Path) -> set[str]:
    import json

    with Store(db) as store:
        return {json.loads(line)["title"] for line in store.articles()}


def status_of(config: Path) -> str:
    run = newsclean("status", "--config", str(config), text=True)
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_a_page_that_404s_on_the_first_run_is_stored_on_a_later_one(tmp_path: Path) -> None:
    clock = SkippingClock()
    with FakeSite(["alpha"]) as site:
        articles = build_host(site, "alpha", 3)
        late = articles[0]
        body = site.body("alpha", late.path)
        site.remove("alpha", late.path)  # announced in the feed, not live yet: 404
        config = write_config(tmp_path / "sources.toml", site, ["alpha"])
        db = tmp_path / "db.sqlite"

        first = crawl(config, clock)
        assert first.failed == {"http_404": 1} and first.new == 2
        url = site.url("alpha", late.path)
        assert pages(db)[url] == ("failed", "http_404")
        shown = status_of(config)
        assert "failed" in shown and "http_404 1" in shown

        site.put("alpha", late.path, body)  # the page goes live
        second = crawl(config, clock)  # minutes later: not due yet, not asked for
        assert second.fetched == 0 and pages(db)[url][0] == "failed"

        clock.sleep(3601)  # an hour on
        third = crawl(config, clock)
        assert third.new == 1 and third.fetched == 1
        assert pages(db)[url] == ("stored", None)
        assert late.title in titles(db)


def test_a_missing_page_is_given_up_after_a_day_and_more_then_retry_failed_brings_it_back(
    tmp_path: Path,
) -> None:
    clock = SkippingClock()
    with FakeSite(["alpha"]) as site:
        articles = build_host(site, "alpha", 3)
        gone = articles[0]
        body = site.body("alpha", gone.path)
        site.remove("alpha", gone.path)
        config = write_config(tmp_path / "sources.toml", site, ["alpha"])
        db = tmp_path / "db.sqlite"
        url = site.url("alpha", gone.path)
        runs = [crawl(config, clock)]  # the two live articles stored, the missing one failed
        for hours in (1, 5, 25):  # its schedule: each try as soon as it is due
            assert pages(db)[url] == ("failed", "http_404")
            clock.sleep(hours * 3600 + 1)
            runs.append(crawl(config, clock))
        assert [run.fetched for run in runs] == [3, 1, 1, 1]
        assert pages(db)[url] == ("gone", "http_404")  # given up 31 h after its first try
        assert runs[-1].given_up == {"http_404": 1}
        assert "http_404 1" in status_of(config)
        site.put("alpha", gone.path, body)
        run = newsclean("crawl", "--config", str(config), "--retry", "failed", text=True)
        assert run.returncode == 0, run.stderr
        assert "1 skipped or failed pages due again" in run.stderr
        assert pages(db)[url] == ("stored", None)


def test_a_config_fix_brings_skipped_pages_back(tmp_path: Path) -> None:
    with FakeSite(["alpha"]) as site:
        articles = build_host(site, "alpha", 4)
        site.put("alpha", "/tin-tuc/bai-viet.html", VIETNAMESE)
        config = write_config(tmp_path / "sources.toml", site, ["alpha"])
        with config.open("a") as f:
            f.write('language = "vi"\n')  # a wrong (but valid) language: English pages skipped
        db = tmp_path / "db.sqlite"

        first = newsclean("crawl", "--config", str(config), text=True)
        assert first.returncode == 0, first.stderr
        skipped = {u: r for u, (s, r) in pages(db).items() if s == "skipped_language"}
        # nothing skipped without a counted reason: each row has one, the summary counts them
        assert len(skipped) == 5  # the 4 articles and the robots-disallowed draft
        assert set(skipped.values()) == {"language en"}
        assert "5 skipped for language" in first.stderr
        assert titles(db) == {"Tin mới"}
        assert "skipped_language      5" in status_of(config)

        set_site_key(config, "language", "en")  # the fix
        second = newsclean("crawl", "--config", str(config), text=True)
        assert second.returncode == 0, second.stderr
        assert (
            "its configuration changed; 5 pages it had skipped (language, prefixes, hosts) are"
            in (second.stderr)
        )
        assert titles(db) == {"Tin mới"} | {a.title for a in articles}
        assert "skipped_language" not in status_of(config)

        third = newsclean("crawl", "--config", str(config), text=True)  # no change: no re-read
        assert "configuration changed" not in third.stderr


def test_links_the_allow_prefixes_drop_are_counted_named_and_explained(tmp_path: Path) -> None:
    with FakeSite(["alpha"]) as site:
        articles = build_host(site, "alpha", 3, in_feed=3)
        other_name = site.base("alpha").replace("127.0.0.1", "localhost")
        site.put("alpha", "/rss.xml", rss_feed(articles, other_name))  # links on another name
        site.put("alpha", "/sitemap-news.xml", "<urlset/>")
        config = write_config(tmp_path / "sources.toml", site, ["alpha"])
        db = tmp_path / "db.sqlite"

        first = newsclean("crawl", "--config", str(config), text=True)
        assert first.returncode == 0, first.stderr
        assert "0 pages to fetch: none of its 3 links is allowed (they are on localhost:" in (
            first.stderr
        )
        assert "3 links not allowed by the site's prefixes (e.g. http://localhost:" in first.stderr
        assert titles(db) == set()

        set_site_key(config, "allow", [f"{other_name}/"])
        second = newsclean("crawl", "--config", str(config), text=True)
        assert second.returncode == 0, second.stderr
        assert "configuration changed" in second.stderr  # so the feed was read in full
        assert titles(db) == {a.title for a in articles}


def test_retry_skipped_brings_back_a_page_without_a_body(tmp_path: Path) -> None:
    with FakeSite(["alpha"]) as site:
        articles = build_host(site, "alpha", 3)
        empty = articles[1]
        good = site.body("alpha", empty.path)
        site.put("alpha", empty.path, "<html><body><script>load()</script></body></html>")
        config = write_config(tmp_path / "sources.toml", site, ["alpha"])
        db = tmp_path / "db.sqlite"
        newsclean("crawl", "--config", str(config))
        url = site.url("alpha", empty.path)
        assert pages(db)[url] == ("no_body", "no article body")

        site.put("alpha", empty.path, good)
        again = newsclean("crawl", "--config", str(config), text=True)
        assert pages(db)[url][0] == "no_body"  # judged once: not asked for again by itself
        again = newsclean("crawl", "--config", str(config), "--retry", "skipped", text=True)
        # the page without a body, the Vietnamese item and the one robots.txt disallowed
        assert "--retry skipped: 3 pages due again" in again.stderr
        assert again.returncode == 1  # the Vietnamese item, fetched now, is a 404 here
        assert pages(db)[url] == ("stored", None)
        assert empty.title in titles(db)


@pytest.mark.parametrize("body", ["%PDF-1.4", None])
def test_fetched_counts_every_page_requested(tmp_path: Path, body: str | None) -> None:
    with FakeSite(["alpha"]) as site:
        articles = build_host(site, "alpha", 4)
        for article in articles[1:]:
            if body is None:
                site.remove("alpha", article.path)
            else:
                site.put("alpha", article.path, body.encode(), "application/pdf")
        config = write_config(tmp_path / "sources.toml", site, ["alpha"])
        run = newsclean("crawl", "--config", str(config), text=True)
        assert run.returncode == 1
        assert "1 new; 4 pages fetched; 3 failed (" in run.stderr
        assert "n o t" not in run.stderr
        assert ("not_html 3" if body else "http_404 3") in run.stderr


def test_a_page_found_before_a_deny_is_not_fetched_counted_and_back_when_it_goes(
    tmp_path: Path,
) -> None:
    with FakeSite(["alpha"]) as site:
        articles = build_host(site, "alpha", 3)
        config = write_config(tmp_path / "sources.toml", site, ["alpha"], max_pages=1)
        db = tmp_path / "db.sqlite"
        assert crawl(config).new == 1  # the other two stay due
        due = [a for a in articles if a.title not in titles(db)]
        denied = site.url("alpha", due[0].path)
        with config.open("a") as f:
            f.write(f'deny = ["{denied}"]\n')
        set_site_key(config, "max_pages", 10)
        second = crawl(config)
        assert second.new == 1 and second.not_allowed == 1
        assert second.not_allowed_examples == [denied]
        assert pages(db)[denied] == ("gone", "not allowed")
        assert not any(r.path == due[0].path for r in site.requests())

        config.write_text(config.read_text().replace(f'deny = ["{denied}"]\n', ""))
        third = crawl(config)
        assert third.brought_back == 1 and third.new == 1
        assert titles(db) == {a.title for a in articles}


def test_links_past_max_urls_per_source_are_counted_not_dropped_silently(tmp_path: Path) -> None:
    with FakeSite(["alpha"]) as site:
        build_host(site, "alpha", 6, in_feed=6)
        site.put("alpha", "/sitemap-news.xml", "<urlset/>")
        config = write_config(tmp_path / "sources.toml", site, ["alpha"], max_urls_per_source=4)
        run = newsclean("crawl", "--config", str(config), text=True)
        assert run.returncode == 0, run.stderr
        assert "more than max_urls_per_source (4) article links: the other 2 were not taken" in (
            run.stderr
        )
        assert "4 new;" in run.stderr and "2 links past max_urls_per_source not taken" in run.stderr


def test_every_page_not_stored_has_its_reason_and_is_counted(tmp_path: Path) -> None:
    with FakeSite(["alpha"]) as site:
        articles = build_host(site, "alpha", 6)
        site.put("alpha", articles[0].path, b"%PDF-1.4", "application/pdf")
        site.remove("alpha", articles[1].path)
        site.put("alpha", articles[2].path, "<html><body><script>load()</script></body></html>")
        site.put("alpha", articles[3].path, VIETNAMESE)
        config = write_config(tmp_path / "sources.toml", site, ["alpha"])
        summary = crawl(config)
        db = tmp_path / "db.sqlite"
        left_out = {u: r for u, (s, r) in pages(db).items() if s not in ("stored", "duplicate")}
        assert len(left_out) == 6  # pdf, 404, no body, Vietnamese page and item, robots
        assert all(left_out.values()), left_out
        counted = summary.skipped_language + summary.skipped_robots + summary.no_body
        assert counted + sum(summary.failed.values()) == len(left_out)
        assert summary.new == 2
