"""The body: capped (gzip bombs, endless streams), HTML only, decoded, not a block page."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib
from pathlib import Path

import pytest

from scraper.exit_codes import ExitCode
from scraper.http.errors import BlockedPage, BodyTooLarge, FetchError, NotHTML
from scraper.http.result import FetchResult
from scraper.http.settings import FetchSettings
from scraper.http.sync_fetcher import Fetcher

FIXTURES = Path(__file__).parents[2] / "fixtures" / "fetch"
CAP = 1_000_000
FAST = FetchSettings(
    connect_timeout=2.0, read_timeout=2.0, total_timeout=5.0, backoff_base=0.01, max_bytes=CAP
)
VIETNAMESE = (
    "Thủ tướng Phạm Minh Chính chủ trì phiên họp Chính phủ thường kỳ tháng Chín tại Hà Nội."
)


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """About 100 KB of gzip that inflates to 100 MB of HTML-ish zeros."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1_000_000)
    parts = [packer.compress(b"<html><body><p>")]
    parts += [packer.compress(zeros) for _ in range(100)]
    return b"".join([*parts, packer.flush()])


def fetch(url: str, settings: FetchSettings = FAST, **kwargs: object) -> FetchResult:
    with Fetcher(settings) as fetcher:
        return fetcher.fetch(url, **kwargs)


def fail(url: str, settings: FetchSettings = FAST, **kwargs: object) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch(url, settings, **kwargs)
    return caught.value


def test_gzip_is_decoded(server) -> None:
    page = "<html><body><p>Đà Nẵng</p></body></html>"
    headers = {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"}
    server.route("/a", server.reply(200, headers, gzip.compress(page.encode())))
    assert fetch(server.url("/a")).text == page
    assert "gzip" in server.requests_to("/a")[0].headers["Accept-Encoding"]


def test_a_gzip_bomb_stops_at_the_cap_in_bounded_memory(server, gzip_bomb: bytes) -> None:
    headers = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
    server.route("/bomb", server.reply(200, headers, gzip_bomb))
    tracemalloc.start()
    try:
        error = fail(server.url("/bomb"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert isinstance(error, BodyTooLarge)
    assert error.exit_code == ExitCode.PERMANENT
    assert peak < 4 * CAP  # 100 MB if it were inflated whole


def test_an_endless_chunked_stream_stops_at_the_cap(server) -> None:
    server.route("/endless", server.endless_chunks())
    tracemalloc.start()
    try:
        error = fail(server.url("/endless"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert isinstance(error, BodyTooLarge)
    assert "1,000,000" in str(error)
    assert peak < 4 * CAP


def test_a_body_just_under_the_cap_is_fine(server) -> None:
    body = b"<p>" + b"x" * (CAP - 7) + b"</p>"
    server.route("/a", server.reply(200, {"Content-Type": "text/html"}, body))
    assert len(fetch(server.url("/a")).content) == CAP


def test_pdf_is_refused_by_its_type_before_the_body_is_read(server) -> None:
    server.route("/a.pdf", server.reply(200, {"Content-Type": "application/pdf"}, b"%PDF-1.7"))
    error = fail(server.url("/a.pdf"))
    assert isinstance(error, NotHTML)
    assert "application/pdf" in str(error)
    assert (error.exit_code, len(server.requests_to("/a.pdf"))) == (ExitCode.PERMANENT, 1)


@pytest.mark.parametrize(
    "body",
    [b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", bytes(range(256)) * 8],
    ids=["pdf-magic", "random-bytes"],
)
def test_binary_bytes_sent_as_text_html_are_refused(server, body: bytes) -> None:
    server.route("/a", server.reply(200, {"Content-Type": "text/html"}, body))
    error = fail(server.url("/a"))
    assert isinstance(error, NotHTML)
    assert "binary" in str(error) or "application/pdf" in str(error)


def test_xml_kind_accepts_feeds_and_leaves_the_text_undecoded(server) -> None:
    feed = b'<?xml version="1.0"?><rss><channel><title>t</title></channel></rss>'
    server.route("/rss", server.reply(200, {"Content-Type": "application/rss+xml"}, feed))
    result = fetch(server.url("/rss"), kind="xml")
    assert (result.content, result.text, result.content_type) == (
        feed,
        None,
        "application/rss+xml",
    )
    assert isinstance(fail(server.url("/rss")), NotHTML)  # but it is no HTML page


def test_a_windows_1258_page_decodes_to_vietnamese(server) -> None:
    data = (FIXTURES / "windows-1258.html").read_bytes()
    server.route("/a", server.reply(200, {"Content-Type": "text/html"}, data))
    assert VIETNAMESE in fetch(server.url("/a")).text


def test_the_header_charset_wins_over_a_contradicting_meta_charset(server) -> None:
    page = '<html><head><meta charset="windows-1258"></head><body><p>Tô Lâm</p></body></html>'
    server.route("/a", server.html(page, charset="utf-8"))
    assert "Tô Lâm" in fetch(server.url("/a")).text


def test_a_cloudflare_challenge_is_a_blocked_page_and_not_retried(server) -> None:
    challenge = (FIXTURES / "cloudflare_challenge.html").read_text()
    server.route("/a", server.html(challenge, status=503))
    error = fail(server.url("/a"))
    assert isinstance(error, BlockedPage)
    assert "Cloudflare" in str(error)
    assert (error.status, error.exit_code) == (503, ExitCode.PERMANENT)
    assert len(server.requests_to("/a")) == 1


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>Access Denied</title></head><body><h1>Access Denied</h1>"
        "You don't have permission to access this server.</body></html>",
        '<html><head><title>Tuoi Tre</title></head><body><div class="g-recaptcha"></div>'
        "<p>Please verify you are human.</p></body></html>",
    ],
    ids=["access-denied", "captcha"],
)
def test_block_pages_served_with_200_are_blocked_pages(server, page: str) -> None:
    server.route("/a", server.html(page))
    assert isinstance(fail(server.url("/a")), BlockedPage)


def test_an_article_with_a_captcha_in_its_comment_form_is_not_blocked(server) -> None:
    story = "<p>" + "Rice exports rose again this year, officials said. " * 60 + "</p>"
    page = f"<html><head><title>Rice exports rise</title></head><body>{story}"
    page += '<form><div class="g-recaptcha"></div></form></body></html>'
    server.route("/a", server.html(page))
    assert fetch(server.url("/a")).text == page
