"""`newsclean explain` in a terminal: every block in page order, what the main-text extraction
left out, each line fitted to the terminal's width (COLUMNS), in a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from rich.cells import cell_len

from tests.scraper.explain_fixture import STORY, hostile_page


def explain(path: Path, columns: int, *args: str) -> list[str]:
    env = {**os.environ, "COLUMNS": str(columns)}
    command = [sys.executable, "-m", "scraper", "explain", str(path), *args]
    run = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    return run.stdout.splitlines()


def block_lines(lines: list[str]) -> list[tuple[str, str]]:
    """(label, text) of each block line, after the summary line."""
    start = next(i for i, line in enumerate(lines) if " blocks kept, " in line) + 1
    return [(line[:16].strip(" -~"), line[16:]) for line in lines[start:]]


def test_blocks_in_page_order_with_what_the_extraction_left_out(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(hostile_page("http://127.0.0.1:9"), encoding="utf-8")
    lines = explain(page, 400)
    assert "4 blocks kept, 4 removed, 1 not in the main text (not_main_text)" in lines
    blocks = block_lines(lines)
    assert [label for label, _ in blocks] == [
        "nav", "not_main_text", "kept", "kept", "related_list", "kept", "kept", "comment_box",
        "footer",
    ]  # fmt: skip
    assert blocks[1][1] == "New bridge opens"  # the headline: shown above, not in the body
    assert [text for label, text in blocks if label == "kept"] == STORY  # whole, on a wide one


def test_every_line_fits_a_narrow_terminal(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(hostile_page("http://127.0.0.1:9"), encoding="utf-8")
    lines = explain(page, 60)
    assert max(cell_len(line) for line in lines) <= 60
    kept = [text for label, text in block_lines(lines) if label == "kept"]
    assert len(kept) == 4 and all(text.endswith("…") for text in kept)
    assert kept[0].startswith("HÀ NỘI — The city opened")


def test_explain_a_url_and_a_page_file_that_cannot_be_written(server, tmp_path):
    from tests.scraper.run_cli import newsclean

    server.route("/story", server.html(hostile_page("http://127.0.0.1:9")))
    run = newsclean("explain", server.url("/story"), text=True)
    assert run.returncode == 0, run.stderr
    assert "not_main_text" in run.stdout and "- related_list" in run.stdout
    bad = newsclean(
        "explain", server.url("/story"), "--html", str(tmp_path / "no/such/dir/x.html"), text=True
    )
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "cannot write" in bad.stderr
    both = newsclean("explain", str(tmp_path), "--as-html", "--text", text=True)
    assert both.returncode == 2 and "--as-html and --text exclude each other" in both.stderr
