"""`newsclean get URL` against a real loopback server: output formats and the contract's exit codes.

Every failure must be one line on stderr, the documented exit code and no traceback.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scraper.cli import app

FIXTURES = Path(__file__).parents[2] / "fixtures" / "fetch"
ARTICLE = (FIXTURES / "article_vn_junk.html").read_text(encoding="utf-8")
FIRST_PARAGRAPH = "This was the second meeting within a month"
VIETNAMESE_ONLY = (
    "<html><head><title>Tin tức</title></head><body><article>"
    + "<p>Thủ tướng Phạm Minh Chính chủ trì phiên họp Chính phủ thường kỳ tháng Chín "
    "tại Hà Nội, bàn về tình hình kinh tế và xã hội của cả nước trong những tháng cuối năm.</p>"
    * 4
    + "</article></body></html>"
)


def get(*args: str):
    result = CliRunner().invoke(app, ["get", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def assert_one_line_error(result, code: int, *words: str) -> None:
    assert result.exit_code == code
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("newsclean: ")
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]


def test_a_good_article_prints_clean_json(server) -> None:
    server.route("/story", server.html(ARTICLE))
    result = get(server.url("/story"))
    assert result.exit_code == 0
    assert result.stderr == ""
    article = json.loads(result.stdout)
    assert article["url"] == server.url("/story")
    assert article["text"].startswith(FIRST_PARAGRAPH)
    assert "Acting Foreign Minister Le Hoai Trung" in article["text"]
    assert "Những tin mới hơn" not in article["text"]
    assert "Ý kiến bạn đọc" not in article["text"]


def test_text_and_markdown_formats(server) -> None:
    server.route("/story", server.html(ARTICLE))
    text = get(server.url("/story"), "--format", "text").stdout
    markdown = get(server.url("/story"), "-f", "markdown").stdout
    assert FIRST_PARAGRAPH in text and not text.lstrip().startswith("{")
    assert markdown.startswith("# ")
    assert f"\n\n{FIRST_PARAGRAPH}" in markdown


def test_output_file_and_saved_html(server, tmp_path: Path) -> None:
    headers = {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"}
    server.route("/story", server.reply(200, headers, gzip.compress(ARTICLE.encode())))
    out, saved = tmp_path / "article.json", tmp_path / "page.html"
    result = get(server.url("/story"), "--output", str(out), "--save-html", str(saved))
    assert (result.exit_code, result.stdout) == (0, "")
    assert FIRST_PARAGRAPH in json.loads(out.read_text(encoding="utf-8"))["text"]
    assert saved.read_bytes() == ARTICLE.encode()


def test_user_agent_option_is_sent(server) -> None:
    server.route("/story", server.html(ARTICLE))
    get(server.url("/story"), "--user-agent", "my-reader/1.0")
    assert server.requests_to("/story")[0].headers["User-Agent"] == "my-reader/1.0"


def test_no_english_body_exits_65_and_still_prints_the_article(server) -> None:
    server.route("/tin", server.html(VIETNAMESE_ONLY))
    result = get(server.url("/tin"))
    assert_one_line_error(result, 65, "no English")
    assert json.loads(result.stdout)["text"] == ""


def test_429_then_200_succeeds(server) -> None:
    # the wait itself is tested on a skipping clock in test_fetch.py; here Retry-After is 0
    server.route("/story", [server.reply(429, {"Retry-After": "0"}), server.html(ARTICLE)])
    assert get(server.url("/story")).exit_code == 0
    assert len(server.requests_to("/story")) == 2


def test_503_forever_gives_up_with_75(server) -> None:
    server.route("/story", server.reply(503))
    assert_one_line_error(get(server.url("/story"), "--retries", "1"), 75, "503")
    assert len(server.requests_to("/story")) == 2


def test_404_exits_69_after_one_request(server) -> None:
    assert_one_line_error(get(server.url("/gone")), 69, "404", server.url("/gone"))
    assert len(server.requests_to("/gone")) == 1


def test_slow_drip_exits_75_at_the_timeout(server) -> None:
    server.route("/story", server.drip(b"<p>", every=0.05))
    result = get(server.url("/story"), "--timeout", "0.3", "--retries", "0")
    assert_one_line_error(result, 75, "timed out")


@pytest.mark.parametrize(
    ("location", "words"),
    [("/story", ("redirects",)), ("file:///etc/passwd", ("file:///etc/passwd",))],
    ids=["loop", "file-scheme"],
)
def test_bad_redirects_exit_69(server, location: str, words: tuple[str, ...]) -> None:
    server.route("/story", server.reply(302, {"Location": location}))
    assert_one_line_error(get(server.url("/story")), 69, *words)


def test_gzip_bomb_exits_69(server) -> None:
    bomb = gzip.compress(bytes(50_000_000), compresslevel=1)
    headers = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
    server.route("/story", server.reply(200, headers, bomb))
    assert_one_line_error(get(server.url("/story")), 69, "cap")


def test_endless_stream_exits_69(server) -> None:
    server.route("/story", server.endless_chunks())
    assert_one_line_error(get(server.url("/story")), 69, "cap")


def test_pdf_exits_69_naming_the_type(server) -> None:
    server.route("/a.pdf", server.reply(200, {"Content-Type": "application/pdf"}, b"%PDF-1.7"))
    assert_one_line_error(get(server.url("/a.pdf")), 69, "application/pdf")


def test_binary_sent_as_html_exits_69(server) -> None:
    server.route("/story", server.reply(200, {"Content-Type": "text/html"}, bytes(range(256))))
    assert_one_line_error(get(server.url("/story")), 69, "binary")


def test_blocked_page_exits_69(server) -> None:
    challenge = (FIXTURES / "cloudflare_challenge.html").read_text()
    server.route("/story", server.html(challenge, status=403))
    assert_one_line_error(get(server.url("/story")), 69, "blocked")


def test_robots_disallow_exits_69_and_ignore_robots_fetches(server) -> None:
    server.route("/robots.txt", server.reply(200, {}, b"User-agent: *\nDisallow: /\n"))
    server.route("/story", server.html(ARTICLE))
    assert_one_line_error(get(server.url("/story")), 69, "robots.txt")
    assert server.requests_to("/story") == []
    assert get(server.url("/story"), "--ignore-robots").exit_code == 0
    assert len(server.requests_to("/story")) == 1


def test_robots_answering_500_exits_75_without_requesting_the_page(server) -> None:
    server.route("/robots.txt", server.reply(500))
    server.route("/story", server.html(ARTICLE))
    assert_one_line_error(get(server.url("/story")), 75, "robots.txt")
    assert server.requests_to("/story") == []


def test_a_url_that_is_not_http_is_a_usage_error() -> None:
    assert_one_line_error(get("example.com/news"), 2, "http")


def test_the_installed_command_reports_connection_refused_in_one_line(closed_port: int) -> None:
    url = f"http://127.0.0.1:{closed_port}/story"
    command = [sys.executable, "-m", "scraper", "get", url, "--retries", "0"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    assert done.returncode == 75
    assert done.stderr.count("\n") == 1 and "connection failed" in done.stderr
    assert done.stdout == ""


def test_language_auto_keeps_a_vietnamese_page(server) -> None:
    server.route("/vi", server.html(VIETNAMESE_ONLY))
    english = get(server.url("/vi"))
    assert english.exit_code == 65
    own = get(server.url("/vi"), "--language", "auto")
    assert own.exit_code == 0
    article = json.loads(own.stdout)
    assert article["language"] == "vi" and "Phạm Minh Chính" in article["text"]


@pytest.mark.parametrize(
    "url", ["http://h:abc/", "http://[::1/", "http://127.0.0.1:99999/x", "http://h:0/"]
)
def test_a_malformed_url_or_port_is_a_usage_error(url: str) -> None:
    assert_one_line_error(get(url), 2, "invalid URL", url)


def test_the_password_of_a_url_is_never_printed(closed_port: int) -> None:
    url = f"http://reader:s3cret@127.0.0.1:{closed_port}/story"
    result = get(url, "--retries", "0")
    assert_one_line_error(result, 75, f"http://***@127.0.0.1:{closed_port}/story")
    assert "s3cret" not in result.stderr and "reader" not in result.stderr


def test_explain_with_a_malformed_url_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["explain", "http://[::1/"])
    assert_one_line_error(result, 2, "invalid URL")


def test_several_urls_print_one_json_line_each_and_a_failure_does_not_stop_the_rest(
    server,
) -> None:
    server.route("/a", server.html(ARTICLE))
    server.route("/b", server.html(ARTICLE.replace("second meeting", "third meeting")))
    server.route(
        "/robots.txt",
        server.reply(200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"),
    )
    urls = [
        server.url("/a"),
        server.url("/gone"),
        "http://h:abc/",
        server.url("/private/x"),
        server.url("/b"),
    ]
    result = get(*urls, "--delay", "0")
    lines = result.stdout.splitlines()
    assert [json.loads(line)["url"] for line in lines] == [server.url("/a"), server.url("/b")]
    errors = result.stderr.splitlines()
    assert len(errors) == 3 and all(e.startswith("newsclean: ") for e in errors)
    assert "404" in errors[0] and "h:abc" in errors[1] and "robots.txt" in errors[2]
    assert result.exit_code == 69  # the worst: permanent failures, nothing temporary
    assert len(server.requests_to("/robots.txt")) == 1  # read once for the host
    assert server.requests_to("/private/x") == []


def test_urls_from_a_file_or_stdin_and_the_worst_exit_code(server, tmp_path: Path) -> None:
    server.route("/a", server.html(ARTICLE))
    server.route("/busy", server.reply(503))
    server.route("/tin", server.html(VIETNAMESE_ONLY))
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# today's\n{server.url('/a')}\n\n{server.url('/tin')}\n")
    from_file = get("-i", str(listing), "--delay", "0")
    assert from_file.exit_code == 65  # one page without an English body; its JSON printed
    assert len(from_file.stdout.splitlines()) == 2
    assert "no English article body" in from_file.stderr
    stdin = f"{server.url('/tin')}\n{server.url('/busy')}\n{server.url('/a')}\n"
    result = CliRunner().invoke(
        app, ["get", "-i", "-", "--delay", "0", "--retries", "0"], input=stdin
    )
    assert result.exit_code == 75  # temporary beats no body: try again later
    assert len(result.stdout.splitlines()) == 2


def test_several_urls_take_json_only(server) -> None:
    result = get(server.url("/a"), server.url("/b"), "--format", "text")
    assert_one_line_error(result, 2, "--format json")
    assert server.log == []


def test_scrape_refuses_a_bad_language_before_any_request() -> None:
    import scraper

    with pytest.raises(ValueError, match="ISO 639-1"):
        scraper.scrape("http://127.0.0.1:9/never-requested", language="english")
