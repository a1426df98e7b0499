"""A password in a configured URL is sent with the site's requests and appears nowhere else:
not on stderr, not in the database, the JSON Lines file or the WARC archive."""

from __future__ import annotations

import base64
import gzip
import io
from pathlib import Path

from scraper.crawl import run_crawl
from scraper.crawl.config import load_config
from scraper.crawl.report import LogReporter
from tests.fakes.news import article_page, make_article, rss_feed

SECRET = "s3cret-Pa55"


def test_user_info_is_sent_and_never_stored_or_printed(tmp_path: Path, server) -> None:
    articles = [make_article("private", n) for n in range(2)]
    for article in articles:
        server.route(article.path, server.html(article_page(article, server.url(""))))
    missing = make_article("private", 9)  # listed, never served: a failure line names its URL
    feed = rss_feed([*articles, missing], server.url(""))
    server.route("/rss.xml", server.reply(200, {"Content-Type": "application/xml"}, feed.encode()))
    feed_url = server.url("/rss.xml").replace("http://", f"http://reader:{SECRET}@")
    config = tmp_path / "sources.toml"
    config.write_text(
        f'[crawl]\ndb = "{tmp_path / "db.sqlite"}"\njsonl = "{tmp_path / "out.jsonl"}"\n'
        f'warc = "{tmp_path / "warc"}"\n\n[[site]]\nname = "private"\nfeeds = ["{feed_url}"]\n'
        "delay = 0.0\n",
        encoding="utf-8",
    )
    log = io.StringIO()
    summary = run_crawl(load_config(config), LogReporter(log))
    stderr = log.getvalue() + "\n".join(summary.lines())
    assert summary.exit_code == 1, stderr  # the missing page
    expected = "Basic " + base64.b64encode(f"reader:{SECRET}".encode()).decode()
    for path in ("/rss.xml", *(a.path for a in articles)):
        assert server.requests_to(path)[0].headers.get("Authorization") == expected, path
    assert SECRET not in stderr and "reader" not in stderr
    assert server.url(missing.path) in stderr
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.name != "sources.toml"]
    assert any(p.suffix == ".gz" for p in written) and any(p.suffix == ".jsonl" for p in written)
    for path in written:
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        assert SECRET.encode() not in data and b"reader:" not in data, path.name
