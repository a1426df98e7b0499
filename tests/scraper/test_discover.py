"""Feeds and sitemaps to candidate URLs with their hints; unsafe XML is refused quickly."""

from __future__ import annotations

import gzip

import pytest

from scraper.crawl.sources import DiscoveryError, parse_source

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>VN</title>
<language>en-US</language>
<item><title>Rice exports rise</title><link>/news/rice-1.html</link>
<pubDate>Mon, 15 Sep 2025 01:31:00 GMT</pubDate></item>
<item><title>No date</title><link>https://e.example.vn/news/b.html</link></item>
</channel></rss>"""

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://e.example.vn/news/a.html</loc><news:news><news:publication>
<news:name>VN</news:name><news:language>en</news:language></news:publication>
<news:publication_date>2025-09-15T08:31:00+07:00</news:publication_date>
<news:title>Party chief urges reform</news:title></news:news></url>
<url><loc>https://e.example.vn/tin/b.html</loc><news:news><news:publication>
<news:language>vi</news:language></news:publication>
<news:publication_date>2025-09-14</news:publication_date></news:news></url>
</urlset>"""

INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://e.example.vn/sitemap-1.xml</loc></sitemap>
<sitemap><loc>https://e.example.vn/sitemap-2.xml</loc></sitemap></sitemapindex>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<rss version="2.0"><channel><title>&lol9;</title></channel></rss>"""


def test_rss_items_with_date_in_the_sites_zone_and_feed_language() -> None:
    found = parse_source(RSS, "https://e.example.vn/rss/news.rss")
    first, second = found.candidates
    assert found.kind == "feed"
    assert first.url == "https://e.example.vn/news/rice-1.html"
    assert first.date == "2025-09-15T08:31:00+07:00" and first.date_source == "feed"
    assert first.title == "Rice exports rise" and first.language == "en"
    assert second.date is None and second.date_source is None


def test_news_sitemap_hints_title_date_and_language() -> None:
    found = parse_source(NEWS_SITEMAP, "https://e.example.vn/sitemap-news.xml")
    english, vietnamese = found.candidates
    assert (english.title, english.date, english.date_source, english.language) == (
        "Party chief urges reform",
        "2025-09-15T08:31:00+07:00",
        "sitemap",
        "en",
    )
    assert vietnamese.language == "vi" and vietnamese.date == "2025-09-14"


def test_sitemap_index_and_gzip() -> None:
    found = parse_source(gzip.compress(INDEX), "https://e.example.vn/sitemap.xml.gz")
    assert found.kind == "sitemapindex" and found.candidates == ()
    assert found.sitemaps == (
        "https://e.example.vn/sitemap-1.xml",
        "https://e.example.vn/sitemap-2.xml",
    )


def test_billion_laughs_is_an_error_not_a_hang() -> None:
    with pytest.raises(DiscoveryError, match="entities"):
        parse_source(LAUGHS, "https://e.example.vn/rss")


def test_garbage_is_an_error() -> None:
    with pytest.raises(DiscoveryError):
        parse_source(b"\x00\x01 not xml at all", "https://e.example.vn/rss")
