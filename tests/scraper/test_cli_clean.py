"""`newsclean clean` and `newsclean explain` as a user runs them, in a real subprocess."""

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.scraper.run_cli import newsclean

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SEED_000 = FIXTURES / "seeds" / "000_3b2ff07cb60ce65c.txt"
SEED_001 = FIXTURES / "seeds" / "001_dd01bd4d9dc302ff.txt"
VN_PAGE = FIXTURES / "vn" / "vnexpress_article.html.gz"


def real_newsclean(*args: str) -> subprocess.CompletedProcess:
    """`python -m scraper ARGS...` in a process of its own: the entry point itself."""
    command = [sys.executable, "-m", "scraper", *args]
    return subprocess.run(command, capture_output=True, timeout=60, check=False)


def test_clean_prints_the_article_json_of_a_text_file():
    run = real_newsclean("clean", str(SEED_001))
    assert run.returncode == 0, run.stderr
    article = json.loads(run.stdout)
    assert article["date"] == "2025-09-15"
    assert article["dateline"] == "HÀ NỘI"
    assert article["text"].startswith("HÀ NỘI — Party General Secretary Tô Lâm")
    assert run.stderr == b""


def test_clean_reads_standard_input_and_prints_text():
    run = newsclean("clean", "-", "--format", "text", stdin=SEED_000.read_bytes())
    assert run.returncode == 0, run.stderr
    out = run.stdout.decode()
    assert "Ý kiến bạn đọc" not in out
    assert out.startswith("This was the second meeting within a month")


def test_clean_prints_markdown_with_the_metadata_line():
    run = newsclean("clean", str(SEED_001), "--format", "markdown")
    lines = run.stdout.decode().splitlines()
    assert lines[2] == "*2025-09-15 · HÀ NỘI*"


def test_a_vietnamese_page_prints_its_json_and_exits_65(tmp_path):
    if not VN_PAGE.exists():
        pytest.skip("fixtures/vn is missing")
    run = newsclean("clean", str(VN_PAGE))
    assert run.returncode == 65
    article = json.loads(run.stdout)
    assert article["text"] == "" and article["language"] == "vi"
    assert run.stderr.decode().count("\n") == 1 and b"Traceback" not in run.stderr


def test_a_gzipped_page_is_detected_as_html_and_keeps_its_own_language():
    if not VN_PAGE.exists():
        pytest.skip("fixtures/vn is missing")
    run = newsclean("clean", str(VN_PAGE), "--language", "auto")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["language"] == "vi"


def test_html_flag_forces_html_on_text_that_looks_plain(tmp_path):
    page = tmp_path / "page.txt"
    body = "The ministry said on Monday that exports grew strongly this year. " * 3
    page.write_text(f"<article><p>{body}</p><p>Tin liên quan</p></article>", encoding="utf-8")
    as_html = json.loads(newsclean("clean", str(page), "--html").stdout)
    assert "<p>" not in as_html["text"] and "Tin liên quan" not in as_html["text"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["clean", "/no/such/file.html"], b"no such file"),
        (["clean", "."], b"directory"),
        (["clean", "x", "--html", "--text"], b"exclude each other"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message):
    run = newsclean(*args)
    assert run.returncode == 2
    assert message in run.stderr
    assert run.stderr.count(b"\n") == 1 and b"Traceback" not in run.stderr


def test_broken_gzip_is_a_usage_error(tmp_path):
    broken = tmp_path / "page.html.gz"
    broken.write_bytes(gzip.compress(b"<p>hello</p>" * 100)[:30])
    run = newsclean("clean", str(broken))
    assert run.returncode == 2 and b"gzip" in run.stderr


def test_explain_lists_kept_and_removed_blocks_with_reasons():
    run = newsclean("explain", str(SEED_000))
    assert run.returncode == 0, run.stderr
    out = run.stdout.decode()
    assert "9 blocks kept, 14 removed" in out
    assert "junk_heading" in out and "Ý kiến bạn đọc" in out
    kept = [line for line in out.splitlines() if line.lstrip().startswith("kept")]
    assert len(kept) == 9


def test_every_command_has_help_text():
    run = real_newsclean("--help")
    assert run.returncode == 0
    assert all(command.encode() in run.stdout for command in ("get", "clean", "crawl", "export"))
    for command in ("get", "clean", "crawl", "explain", "export"):
        sub = newsclean(command, "--help")
        assert sub.returncode == 0, command
        assert b"Usage" in sub.stdout and len(sub.stdout) > 200, command
