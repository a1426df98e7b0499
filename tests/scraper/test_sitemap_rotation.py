"""Sitemaps at scale: every child of a large index is reached over successive runs, changed
children first; feeds and sitemaps are parsed in the workers, under the cleaning deadline."""

from __future__ import annotations

from html import escape
from pathlib import Path

from tests.fakes.news import article_page, make_article, news_sitemap, rss_feed
from tests.fakes.site import FakeSite
from tests.scraper.crawl_site import crawl, write_config
from tests.scraper.test_crawl import stored


def index_with_lastmods(urls: list[tuple[str, str]]) -> str:
    items = "".join(
        f"<sitemap><loc>{escape(url)}</loc><lastmod>{when}</lastmod></sitemap>"
        for url, when in urls
    )
    return (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{items}</sitemapindex>"
    )


def serve_child(site: FakeSite, n: int, indexes: list[int]) -> list[str]:
    base = site.base("big")
    entries = []
    for i in indexes:
        article = make_article("big", i)
        site.put("big", article.path, article_page(article, base))
        entries.append((base + article.path, article.title, article.date, "en"))
    site.put("big", f"/sitemap-{n}.xml", news_sitemap(entries))
    return [title for _, title, _, _ in entries]


def child_reads(site: FakeSite, since: int) -> list[str]:
    return [r.path for r in site.requests()[since:] if r.path.startswith("/sitemap-")]


def test_every_child_of_an_index_is_reached_over_runs_changed_ones_first(tmp_path: Path) -> None:
    with FakeSite(["big"]) as site:
        base = site.base("big")
        titles = [t for n in range(7) for t in serve_child(site, n, [n])]
        children = [(f"{base}/sitemap-{n}.xml", "2025-09-01") for n in range(7)]
        site.put("big", "/index.xml", index_with_lastmods(children))
        site.put("big", "/rss.xml", rss_feed([], base))
        config = write_config(tmp_path / "sources.toml", site, ["big"], max_sitemaps=3)
        text = config.read_text().replace("/sitemap-news.xml", "/index.xml")
        config.write_text(text)

        read: list[list[str]] = []
        for _ in range(3):
            before = len(site.requests())
            summary = crawl(config)
            read.append(child_reads(site, before))
        assert [len(r) for r in read] == [3, 3, 3]
        assert {path for run in read for path in run} == {f"/sitemap-{n}.xml" for n in range(7)}
        assert summary.exit_code == 0

        # child 5 changes: its new lastmod puts it first in the next run, with its new article
        titles += serve_child(site, 5, [5, 50])[1:]
        children[5] = (children[5][0], "2099-01-01")
        site.put("big", "/index.xml", index_with_lastmods(children))
        before = len(site.requests())
        summary = crawl(config)
        assert child_reads(site, before)[0] == "/sitemap-5.xml"
        assert summary.new == 1
    assert sorted(a["title"] for a in stored(tmp_path / "db.sqlite")) == sorted(titles)


def test_a_feed_that_takes_too_long_to_parse_fails_alone(tmp_path: Path) -> None:
    with FakeSite(["feeds"]) as site:
        base = site.base("feeds")
        article = make_article("feeds", 0)
        site.put("feeds", article.path, article_page(article, base))
        site.put("feeds", "/rss.xml", rss_feed([article], base))
        # a feed of 20,000 items with long descriptions: seconds of feedparser's time
        items = "".join(
            f"<item><title>t{i}</title><link>{base}/x/{i}</link>"
            f"<description>{'word ' * 40}</description></item>"
            for i in range(20_000)
        )
        site.put(
            "feeds",
            "/huge.xml",
            f'<rss version="2.0"><channel><title>h</title>{items}</channel></rss>',
        )
        config = write_config(tmp_path / "sources.toml", site, ["feeds"], clean_timeout=0.5)
        config.write_text(config.read_text().replace("/sitemap-news.xml", "/huge.xml"))
        summary = crawl(config)
    assert summary.new == 1  # the run went on, with a fresh worker, to the page
    (failed,) = summary.failed_sources
    assert failed.startswith(f"feeds {base}/huge.xml: clean_timeout")
