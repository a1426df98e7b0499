"""What a newcomer meets first: --version, -h, examples, plain flags, one-line usage errors."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from scraper import __version__
from scraper.cli import COMMANDS, EXAMPLES
from scraper.crawl.config import load_config
from tests.scraper.run_cli import newsclean

NAMES = [command.__name__ for command, _ in COMMANDS]


def one_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and "╭" not in stderr
    return lines[0]


def test_version() -> None:
    run = newsclean("--version", text=True)
    assert run.returncode == 0
    assert run.stdout.strip() == f"newsclean {__version__}"


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_on_the_app_lists_every_command(flag: str) -> None:
    run = newsclean(flag, text=True)
    assert run.returncode == 0
    for name in NAMES:
        assert f"  {name} " in run.stdout, name


@pytest.mark.parametrize("name", NAMES)
def test_every_command_has_h_an_example_and_plain_flags(name: str) -> None:
    short, long = newsclean(name, "-h", text=True), newsclean(name, "--help", text=True)
    assert short.returncode == long.returncode == 0
    assert short.stdout == long.stdout
    assert f"Usage: newsclean {name}" in short.stdout
    assert "Example:" in short.stdout and EXAMPLES[name][0] in short.stdout
    assert "<bool>" not in short.stdout and "--no-" not in short.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["get", "http://example.com/", "--jsonl", "x"], "No such option: --jsonl"),
        (["crawl", "--max-pages", "x"], "'--max-pages'"),
        (["get"], "give a URL, or -i FILE"),
        (["get", "-i", "/nonexistent/urls.txt"], "/nonexistent/urls.txt"),
        (["nonsense"], "No such command"),
        (["clean", "-", "--language", "english"], "ISO 639-1"),
        (["get", "http://example.com/", "--language", "auto-detect"], "ISO 639-1"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args: list[str], words: str) -> None:
    run = newsclean(*args, text=True)
    assert run.returncode == 2
    assert words in one_line(run.stderr)


def test_a_bad_language_in_sources_toml_is_a_config_error(tmp_path: Path) -> None:
    config = tmp_path / "sources.toml"
    config.write_text(
        '[crawl]\ndb = "x.sqlite"\n[[site]]\nname = "a"\nfeeds = ["http://127.0.0.1:9/f"]\n'
        'language = "english"\n'
    )
    run = newsclean("crawl", "--config", str(config), text=True)
    assert run.returncode == 78
    line = one_line(run.stderr)
    assert "site.language" in line and "'english'" in line and "ISO 639-1" in line
    assert not (tmp_path / "x.sqlite").exists()


def test_auto_in_sources_toml_keeps_each_pages_own_language(tmp_path: Path) -> None:
    config = tmp_path / "sources.toml"
    config.write_text('[[site]]\nname = "a"\nfeeds = ["http://127.0.0.1:9/f"]\nlanguage = "auto"\n')
    assert load_config(config).sites[0].language is None


def test_sources_prints_the_bundled_config_as_a_starting_point(tmp_path: Path) -> None:
    run = newsclean("sources", text=True)
    assert run.returncode == 0
    tomllib.loads(run.stdout)
    copy = tmp_path / "sources.toml"
    copy.write_text(run.stdout)
    assert load_config(copy) == load_config(None)


def test_status_without_a_database_says_how_to_make_one(tmp_path: Path) -> None:
    run = newsclean("status", "--db", str(tmp_path / "none.sqlite"), text=True)
    assert run.returncode == 78
    assert "run `newsclean crawl` or pass --db" in one_line(run.stderr)
