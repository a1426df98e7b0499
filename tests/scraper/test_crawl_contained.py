"""One bad URL fails that URL, never the run; no request leaves the hosts the config names.

Every server is real, on 127.0.0.1, one port per host, and logs every request: a `bait` host
that only hostile links point at must end the test with an empty log.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from scraper.crawl import run_crawl
from scraper.crawl.config import load_config
from scraper.crawl.store import Store
from tests.fakes.news import article_page, make_article, news_sitemap, rss_feed, sitemap_index

XML = {"Content-Type": "application/xml; charset=utf-8"}


def xml(server, text: str):
    return server.reply(200, XML, text.encode())


def serve_article(server, host: str, index: int, *, canonical: str | None = None):
    article = make_article(host, index)
    page = article_page(article, server.url(""))
    if canonical:
        page = page.replace(f'href="{server.url(article.path)}"', f'href="{canonical}"')
    server.route(article.path, server.html(page))
    return article


def write_config(path: Path, sites: list[str]) -> Path:
    crawl = f'[crawl]\ndb = "{path.parent / "db.sqlite"}"\nretry_backoff = 0\n'
    path.write_text(crawl + "\n".join(sites), encoding="utf-8")
    return path


def stored(db: Path) -> list[dict]:
    with Store(db) as store:
        return [json.loads(line) for line in store.articles()]


def test_hostile_links_fail_alone_and_nothing_leaves_the_configured_hosts(
    tmp_path: Path, loopback
) -> None:
    a, b, bait, cdn = loopback(), loopback(), loopback(), loopback()
    a_articles = [serve_article(a, "a", i) for i in range(3)]
    b0 = serve_article(b, "b", 0)
    # a page of site a names site b's article as its canonical URL
    a3 = serve_article(a, "a", 3, canonical=b.url(b0.path))
    cdn_article = serve_article(a, "a", 4)
    a.route("/redirect-off", a.reply(301, {"Location": bait.url("/story")}))
    a.route("/redirect-bad-port", a.reply(302, {"Location": "http://127.0.0.1:99999/x"}))
    feed = rss_feed([a_articles[0]], a.url("")).replace(
        "</channel>",
        "".join(
            f"<item><title>{n}</title><link>{link}</link></item>"
            for n, link in enumerate(
                [a.url("/redirect-off"), a.url("/redirect-bad-port"), "http://127.0.0.1:99999/y"]
            )
        )
        + "</channel>",
    )
    a.route("/rss.xml", xml(a, feed))
    a.route(
        "/robots.txt",
        a.reply(
            200,
            {"Content-Type": "text/plain"},
            f"User-agent: *\nAllow: /\nSitemap: {bait.url('/robots-sitemap.xml')}\n"
            "Sitemap: http://h:abc/sitemap.xml\n".encode(),
        ),
    )
    a.route(
        "/index.xml",
        xml(
            a,
            sitemap_index(
                [
                    a.url("/sitemap-a.xml"),
                    "http://127.0.0.1:99999/x.xml",
                    "http://[::1/y.xml",
                    bait.url("/child.xml"),
                    cdn.url("/child.xml"),
                ]
            ),
        ),
    )
    entries = [(a.url(x.path), x.title, x.date, "en") for x in (*a_articles[1:], a3)]
    a.route("/sitemap-a.xml", xml(a, news_sitemap(entries)))
    cdn.route(
        "/child.xml",
        xml(cdn, news_sitemap([(a.url(cdn_article.path), cdn_article.title, "2025-09-02", "en")])),
    )
    b.route("/rss.xml", xml(b, rss_feed([b0], b.url(""))))
    site_a = (
        f'[[site]]\nname = "a"\nfeeds = ["{a.url("/rss.xml")}"]\n'
        f'sitemaps = ["{a.url("/index.xml")}"]\nrobots_sitemaps = true\ndelay = 0.0\n'
    )
    site_b = f'[[site]]\nname = "b"\nfeeds = ["{b.url("/rss.xml")}"]\ndelay = 0.0\n'
    config = write_config(tmp_path / "sources.toml", [site_a, site_b])

    summary = run_crawl(load_config(config))

    titles = sorted(article["title"] for article in stored(tmp_path / "db.sqlite"))
    assert titles == sorted(x.title for x in (*a_articles, a3, b0))  # b0 not suppressed
    assert summary.exit_code == 1
    assert summary.failed == {"invalid_url": 2, "offsite": 1}
    failed_sources = " ".join(summary.failed_sources)
    assert "http://127.0.0.1:99999/x.xml: invalid_url" in failed_sources
    assert "http://[::1/y.xml: invalid_url" in failed_sources
    assert "http://h:abc/sitemap.xml: invalid_url" in failed_sources
    assert summary.offsite == 3  # the bait's child sitemap and robots line, the cdn's child
    assert bait.log == [] and cdn.log == []

    # follow_hosts widens the scope: the cdn's sitemap is read, the bait is still never asked
    config.write_text(
        config.read_text().replace(
            "robots_sitemaps = true",
            f'robots_sitemaps = true\nfollow_hosts = ["127.0.0.1:{cdn.port}"]',
        ),
        encoding="utf-8",
    )
    run_crawl(load_config(config))
    assert [r.path for r in cdn.log] == ["/robots.txt", "/child.xml"]
    assert cdn_article.title in {x["title"] for x in stored(tmp_path / "db.sqlite")}
    assert bait.log == []


def test_a_run_with_an_invalid_url_in_every_source_still_stores_the_rest(
    tmp_path: Path, server
) -> None:
    article = serve_article(server, "a", 0)
    feed = rss_feed([article], server.url("")).replace(
        "</channel>", "<item><title>x</title><link>http://h:abc/x</link></item></channel>"
    )
    server.route("/rss.xml", xml(server, feed))
    site = f'[[site]]\nname = "a"\nfeeds = ["{server.url("/rss.xml")}"]\ndelay = 0.0\n'
    config = write_config(tmp_path / "sources.toml", [site])
    for _ in range(2):  # the bad entry is recorded once; the next run is clean
        summary = run_crawl(load_config(config))
    assert summary.exit_code == 0, summary.lines()
    assert [x["title"] for x in stored(tmp_path / "db.sqlite")] == [article.title]
    reason = sqlite3.connect(tmp_path / "db.sqlite").execute(
        "SELECT status, reason FROM pages WHERE url = 'http://h:abc/x'"
    )
    assert reason.fetchall() == [("gone", "invalid_url")]


def _local_address() -> str | None:
    """An address of this machine that is not loopback, if it has one."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks a route
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_a_followed_host_on_loopback_is_refused_when_the_site_is_not_there(
    tmp_path: Path, server
) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import pytest

    address = _local_address()
    if address is None:
        pytest.skip("this machine has no address besides loopback")
    index = sitemap_index([server.url("/child.xml")]).encode()

    class Site(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = index if self.path == "/index.xml" else b""
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer((address, 0), Site)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        base = f"http://{address}:{httpd.server_address[1]}"
        site = (
            f'[[site]]\nname = "intranet"\nsitemaps = ["{base}/index.xml"]\ndelay = 0.0\n'
            f'follow_hosts = ["127.0.0.1:{server.port}"]\n'
        )
        summary = run_crawl(load_config(write_config(tmp_path / "sources.toml", [site])))
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert server.log == []  # the site is in a private range, not on loopback
    lines = "\n".join(summary.lines())
    assert f"failed host: 127.0.0.1:{server.port}: robots.txt unreachable (refused:" in lines
    assert "resolves to loopback addresses (127.0.0.1), where this site is not" in lines


def test_a_robots_txt_redirected_off_the_site_gives_the_host_up(tmp_path: Path, loopback) -> None:
    a, bait = loopback(), loopback()
    article = serve_article(a, "a", 0)
    a.route("/rss.xml", xml(a, rss_feed([article], a.url(""))))
    a.route("/robots.txt", a.reply(301, {"Location": bait.url("/robots.txt")}))
    site = f'[[site]]\nname = "a"\nfeeds = ["{a.url("/rss.xml")}"]\ndelay = 0.0\n'
    summary = run_crawl(load_config(write_config(tmp_path / "sources.toml", [site])))
    assert bait.log == []
    why = summary.failed_hosts[f"127.0.0.1:{a.port}"]
    assert "robots.txt unreachable" in why and "does not name" in why
    assert a.requests_to(article.path) == []  # never fetched without its robots.txt
