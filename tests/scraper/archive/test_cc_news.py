"""`--cc-news YYYY/MM` over a CC-NEWS month served by a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from tests.scraper.archive.warcs import (
    archive,
    gzip_lines,
    read_rows,
    stories,
    summary_line,
    write_warc,
)

MONTH = "crawl-data/CC-NEWS/2025/09"


def test_a_cc_news_month_is_listed_fetched_and_cleaned(tmp_path, server):
    names = [f"{MONTH}/CC-NEWS-2025090{n}000000-0000{n}.warc.gz" for n in (1, 2)]
    for n, name in enumerate(names):
        warc = write_warc(
            tmp_path / f"{n}.warc.gz", stories(f"site{n}.vn", range(n * 3, n * 3 + 3))
        )
        server.route(
            "/" + name,
            server.reply(200, {"Content-Type": "application/octet-stream"}, warc.read_bytes()),
        )
    server.route(f"/{MONTH}/warc.paths.gz", server.reply(200, {}, gzip_lines(names)))
    out = tmp_path / "out"

    result = archive("--cc-news", "2025/09", "--cc-base", server.url("/"), "-o", str(out))

    assert result.returncode == 0, result.stderr
    rows = read_rows(out)
    assert sorted(row["title"] for row in rows) == [f"Story {n}" for n in range(6)]
    assert {row["warc_file"] for row in rows} == {server.url("/" + name) for name in names}
    assert "files 2 (0 already done, 0 failed), records 6" in summary_line(result.stderr)
    assert all(server.requests_to("/" + name) for name in names)


def test_a_month_without_a_list_is_a_usage_error_and_a_dead_base_is_temporary(
    tmp_path, server, closed_port
):
    missing = archive(
        "--cc-news", "2031/01", "--cc-base", server.url("/"), "-o", str(tmp_path / "a")
    )
    assert missing.returncode == 2, missing.stderr
    assert missing.stderr.count("\n") == 1 and "no CC-NEWS list for 2031/01" in missing.stderr

    dead = f"http://127.0.0.1:{closed_port}"
    unreachable = archive("--cc-news", "2025/09", "--cc-base", dead, "-o", str(tmp_path / "b"))
    assert unreachable.returncode == 75, unreachable.stderr
    assert unreachable.stderr.count("\n") == 1 and "cannot read" in unreachable.stderr


def test_an_input_url_that_breaks_fails_that_file_only(tmp_path, server):
    good = write_warc(tmp_path / "g.warc.gz", stories("a.vn", range(0, 2)))
    server.route("/good.warc.gz", server.reply(200, {}, good.read_bytes()))
    out = tmp_path / "out"

    result = archive(server.url("/good.warc.gz"), server.url("/gone.warc.gz"), "-o", str(out))

    assert result.returncode == 1, result.stderr
    assert [row["title"] for row in read_rows(out)] == ["Story 0", "Story 1"]
    assert "1 failed: unreadable 1" in summary_line(result.stderr)
