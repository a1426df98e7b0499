"""A crawl that reaches no source at all is a temporary failure for cron, not a partial one."""

from pathlib import Path

from typer.testing import CliRunner

from scraper.cli import app


def test_no_source_reachable_exits_75_and_names_the_sources(tmp_path: Path, closed_port: int):
    config = tmp_path / "sources.toml"
    config.write_text(
        f"""
[crawl]
db = "{tmp_path / "store.sqlite"}"

[[site]]
name = "nowhere"
feeds = ["http://127.0.0.1:{closed_port}/rss.xml"]
delay = 0.0
""",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["crawl", "--config", str(config)])
    assert result.exit_code == 75, result.output
    assert "nowhere" in result.output
    assert (tmp_path / "store.sqlite").exists()


def test_a_site_time_zone_becomes_the_offset_of_naive_page_times():
    from cleaners import clean_html
    from scraper.crawl.cleaning import utc_offset

    now = 1_760_000_000.0  # 2025-10-09
    assert utc_offset("Asia/Ho_Chi_Minh", now) == "+07:00"
    assert utc_offset("UTC", now) == "+00:00"
    assert utc_offset("Europe/Paris", now) == "+02:00" and utc_offset("Europe/Paris", 0) == "+01:00"
    page = (
        '<html><head><meta property="article:published_time" content="2025-09-15T08:31:00">'
        "</head><body><article><p>"
        + "The ministry said on Monday that exports grew strongly this year. " * 3
        + "</p></article></body></html>"
    )
    article = clean_html(
        page, "https://example.com/a", default_offset=utc_offset("Asia/Tokyo", now)
    )
    assert article.date == "2025-09-15T08:31:00+09:00"


def test_offline_each_source_is_named_once_and_the_summary_is_one_timestamped_line(
    tmp_path: Path, closed_port: int
) -> None:
    import re

    from tests.scraper.run_cli import newsclean

    feeds = [f"http://127.0.0.1:{closed_port}/rss.xml", f"http://127.0.0.1:{closed_port}/news.xml"]
    config = tmp_path / "sources.toml"
    config.write_text(
        f'[crawl]\ndb = "{tmp_path / "store.sqlite"}"\n\n[[site]]\nname = "nowhere"\n'
        f'feeds = ["{feeds[0]}"]\nsitemaps = ["{feeds[1]}"]\ndelay = 0.0\n',
        encoding="utf-8",
    )
    run = newsclean("crawl", "--config", str(config), text=True)
    assert run.returncode == 75
    for feed in feeds:
        assert run.stderr.count(feed) == 1, run.stderr
    last = run.stderr.splitlines()[-1]
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d newsclean crawl: 0 new; ", last), last
    assert "sources: 0 read, 0 unchanged, 2 failed" in last


def test_log_appends_to_a_file_in_a_new_folder_and_json_summaries_are_one_line_each(
    tmp_path: Path, closed_port: int
) -> None:
    import json

    from tests.scraper.run_cli import newsclean

    config = tmp_path / "sources.toml"
    config.write_text(
        f'[crawl]\ndb = "{tmp_path / "store.sqlite"}"\n\n[[site]]\nname = "nowhere"\n'
        f'feeds = ["http://127.0.0.1:{closed_port}/rss.xml"]\ndelay = 0.0\n',
        encoding="utf-8",
    )
    log = tmp_path / "logs" / "crawl.log"
    for _ in range(2):
        run = newsclean(
            "crawl", "--config", str(config), "--log", str(log), "--summary", "json", text=True
        )
        assert run.returncode == 75 and run.stderr == ""
    summaries = [json.loads(line) for line in log.read_text().splitlines() if line[0] == "{"]
    assert len(summaries) == 2
    assert summaries[0]["exit_code"] == 75 and summaries[0]["failed_sources"]
    assert summaries[0]["time"] and summaries[0]["command"] == "crawl"


def test_the_readmes_cron_line_works_in_a_fresh_folder(tmp_path: Path, closed_port: int) -> None:
    import subprocess
    import sys

    (tmp_path / "sources.toml").write_text(
        f'[[site]]\nname = "nowhere"\nfeeds = ["http://127.0.0.1:{closed_port}/rss.xml"]\n',
        encoding="utf-8",
    )
    # the README's line, with the checkout's interpreter and a config that reaches nothing
    command = "crawl --config sources.toml --max-runtime 1500 --log data/crawl.log"
    run = subprocess.run(
        [sys.executable, "-m", "scraper", *command.split()],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 75 and run.stdout == run.stderr == ""
    log = (tmp_path / "data" / "crawl.log").read_text()
    assert "newsclean crawl: 0 new; 0 pages fetched;" in log.splitlines()[-1]
    assert (tmp_path / "data" / "newsclean.sqlite").exists()


def test_with_log_a_run_that_cannot_start_still_says_so_on_stderr(tmp_path: Path) -> None:
    from tests.scraper.run_cli import newsclean

    config = tmp_path / "sources.toml"
    config.write_text('[[site]]\nname = "a"\nfeeds = ["http://127.0.0.1:9/f"]\nlanguage = "xx"\n')
    log = tmp_path / "crawl.log"
    run = newsclean("crawl", "--config", str(config), "--log", str(log), text=True)
    assert run.returncode == 78
    assert run.stderr == f"newsclean crawl: did not start (exit 78); see {log}\n"
    assert "site.language" in log.read_text()
