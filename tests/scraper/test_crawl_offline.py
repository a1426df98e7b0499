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
