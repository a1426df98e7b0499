"""Helpers of the crawl tests: a generated fake news site and a sources.toml pointing at it."""

from __future__ import annotations

from pathlib import Path

from scraper.clock import SYSTEM_CLOCK, Clock
from scraper.crawl import run_crawl
from scraper.crawl.config import load_config
from scraper.crawl.summary import Summary
from tests.fakes.news import FakeArticle, article_page, make_article, news_sitemap, rss_feed
from tests.fakes.site import FakeSite

ROBOTS = "User-agent: *\nDisallow: /private/\n"


def build_host(site: FakeSite, host: str, count: int, *, in_feed: int = 3) -> list[FakeArticle]:
    """Serve `count` articles on `host`: `in_feed` in its RSS feed, the rest in its news sitemap.

    The sitemap also lists a Vietnamese item and a disallowed one; odd articles have no date in
    the page, only in the feed or sitemap.
    """
    base = site.base(host)
    articles = [make_article(host, i, date_in_page=i % 2 == 0) for i in range(count)]
    for article in articles:
        site.put(host, article.path, article_page(article, base))
    site.put(host, "/robots.txt", ROBOTS)
    site.put(host, "/rss.xml", rss_feed(articles[:in_feed], base))
    entries = [(base + a.path, a.title, a.date, "en") for a in articles[in_feed:]]
    entries.append((base + "/tin-tuc/bai-viet.html", "Bài viết tiếng Việt", "2025-09-01", "vi"))
    entries.append((base + "/private/draft.html", "Draft", "2025-09-01", "en"))
    site.put(host, "/sitemap-news.xml", news_sitemap(entries))
    return articles


def write_config(path: Path, site: FakeSite, hosts: list[str], **crawl: object) -> Path:
    """Write a sources.toml for `hosts` of `site` with its store under `path`'s directory."""
    root = path.parent
    settings = {"db": str(root / "db.sqlite"), "retry_backoff": 0, **crawl}
    lines = ["[crawl]"] + [f"{k} = {_toml(v)}" for k, v in settings.items()]
    for host in hosts:
        base = site.base(host)
        lines += [
            "",
            "[[site]]",
            f'name = "{host}"',
            f'feeds = ["{base}/rss.xml"]',
            f'sitemaps = ["{base}/sitemap-news.xml"]',
            f'allow = ["{base}/"]',
            "delay = 0.0",
            "in_flight = 2",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def set_site_key(path: Path, key: str, value: object) -> None:
    """Set `key` in every [[site]] of the config at `path`."""
    text = path.read_text("utf-8")
    lines = [
        f"{key} = {_toml(value)}" if line.startswith(f"{key} =") else line
        for line in text.splitlines()
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def crawl(config: Path, clock: Clock = SYSTEM_CLOCK) -> Summary:
    """Run one crawl of `config` in this process (its waits on `clock`)."""
    return run_crawl(load_config(config), clock=clock)


def _toml(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
