"""`crawl` and `export` on bad databases, paths, zones and dates: one line, a documented code."""

import subprocess
from pathlib import Path

import pytest

from tests.scraper.run_cli import newsclean


def assert_one_line(run: subprocess.CompletedProcess, code: int, words: bytes) -> None:
    assert run.returncode == code, run.stderr
    assert run.stderr.count(b"\n") == 1 and b"Traceback" not in run.stderr
    assert words in run.stderr


def crawl_config(folder: Path, crawl: str = "", site: str = "") -> Path:
    """A sources.toml with one unreachable site, `crawl` and `site` lines added."""
    config = folder / "sources.toml"
    config.write_text(
        f'[crawl]\n{crawl}\n[[site]]\nname = "a"\nfeeds = ["http://127.0.0.1:9/rss.xml"]\n{site}',
        encoding="utf-8",
    )
    return config


@pytest.fixture
def not_a_database(tmp_path: Path) -> Path:
    path = tmp_path / "store.sqlite"
    path.write_text("this is not sqlite\n" * 100)
    return path


def test_export_from_a_file_that_is_not_a_database(not_a_database: Path):
    assert_one_line(newsclean("export", "--db", str(not_a_database)), 2, b"not a database")


def test_crawl_into_a_file_that_is_not_a_database(tmp_path: Path, not_a_database: Path):
    config = crawl_config(tmp_path, crawl=f'db = "{not_a_database}"')
    assert_one_line(newsclean("crawl", "--config", str(config)), 78, b"not a database")
    assert not_a_database.read_text().startswith("this is not sqlite")  # nothing overwritten


def test_export_to_a_path_that_cannot_be_written(tmp_path: Path, not_a_database: Path):
    run = newsclean("export", "--db", str(not_a_database), "-o", str(tmp_path / "no" / "out"))
    assert_one_line(run, 2, b"cannot write")


@pytest.mark.parametrize("since", ["2025-13-01", "yesterday"])
def test_export_since_must_be_an_iso_date(not_a_database: Path, since: str):
    run = newsclean("export", "--db", str(not_a_database), "--since", since)
    assert_one_line(run, 2, b"--since")


def test_a_folder_of_zones_is_not_a_time_zone(tmp_path: Path):
    config = crawl_config(tmp_path, site='timezone = "Asia"\n')
    assert_one_line(newsclean("crawl", "--config", str(config)), 78, b"site.timezone")


def test_crawl_with_a_jsonl_path_that_cannot_be_made(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where a folder should be\n")
    crawl = f'db = "{tmp_path / "db.sqlite"}"\njsonl = "{blocker / "out.jsonl"}"'
    config = crawl_config(tmp_path, crawl=crawl)
    assert_one_line(newsclean("crawl", "--config", str(config)), 78, b"cannot write")


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs /proc (Linux)")
def test_crawl_with_a_warc_folder_that_takes_no_files(tmp_path: Path):
    config = crawl_config(tmp_path, crawl=f'db = "{tmp_path / "db.sqlite"}"\nwarc = "/proc"')
    assert_one_line(newsclean("crawl", "--config", str(config)), 78, b"cannot write")


def test_a_jsonl_path_the_os_refuses_is_named_with_the_os_reason(tmp_path: Path) -> None:
    config = tmp_path / "sources.toml"
    config.write_text(
        f'[crawl]\ndb = "{tmp_path / "db.sqlite"}"\n[[site]]\nname = "a"\n'
        'feeds = ["http://127.0.0.1:9/rss.xml"]\n'
    )
    run = newsclean("crawl", "--config", str(config), "--jsonl", "/proc/version")
    assert_one_line(run, 78, b"cannot write the JSON Lines file /proc/version: Invalid argument")
    assert b"None" not in run.stderr
