"""sources.toml: the bundled default loads; a bad key is one line naming it, and exit 78."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from scraper.crawl.config import ConfigError, load_config
from tests.scraper.run_cli import newsclean


def test_the_bundled_sources_load_with_the_five_outlets() -> None:
    config = load_config()
    assert len(config.sites) == 5
    assert str(config.crawl.db) == "data/newsclean.sqlite"
    assert all(site.language == "en" and site.delay >= 1 for site in config.sites)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[crawl]\nconcurency = 3\n[[site]]\nname="a"\nfeeds=["http://a/"]\n', "crawl.concurency"),
        ('[[site]]\nname="a"\nfeeds=["http://a/"]\ndelya=1\n', "site.delya"),
        ('[[site]]\nname="a"\nfeeds=["http://a/"]\ndelay="x"\n', "site.delay"),
        ('[[site]]\nname="a"\nfeeds=["ftp://a/"]\n', "site.feeds"),
        ('[[site]]\nname="a"\nfeeds=["http://a/"]\ntimezone="Mars/Base"\n', "site.timezone"),
        ('[[site]]\nfeeds=["http://a/"]\n', "site.name"),
        ("[sites]\n", "sites"),
        ('[[site]]\nname="a"\nfeeds=["http://a:99999/"]\n', "site.feeds"),
        ('[[site]]\nname="a"\nfeeds=["http://a/"]\nfollow_hosts=["h:abc"]\n', "site.follow_hosts"),
        ('[[site]]\nname="a"\nfeeds=["http://a/"]\nfollow_hosts="h"\n', "site.follow_hosts"),
        (
            '[crawl]\nclean_timeout=0\n[[site]]\nname="a"\nfeeds=["http://a/"]\n',
            "crawl.clean_timeout",
        ),
    ],
)
def test_a_bad_key_is_named(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=f"'{key}'"):
        load_config(path)


def run_crawl_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return newsclean("crawl", *args, text=True)


def test_cli_bad_config_is_one_line_and_exit_78(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[[site]]\nname = "a"\nfeeds = ["http://a/"]\nlanguge = "en"\n')
    done = run_crawl_cli("--config", str(path))
    assert done.returncode == 78
    assert done.stderr.count("\n") == 1 and "site.languge" in done.stderr


def test_cli_missing_config_is_exit_78(tmp_path: Path) -> None:
    done = run_crawl_cli("--config", str(tmp_path / "nope.toml"))
    assert done.returncode == 78 and "not found" in done.stderr
    assert "Traceback" not in done.stderr


def test_follow_hosts_and_the_cleaning_deadline_are_read(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        '[crawl]\nclean_timeout = 2.5\n[[site]]\nname = "a"\nfeeds = ["https://a.example/rss"]\n'
        'follow_hosts = ["cdn.a.example", "127.0.0.1:8080"]\n'
    )
    config = load_config(path)
    assert config.crawl.clean_timeout == 2.5
    assert config.sites[0].follow_hosts == ("cdn.a.example", "127.0.0.1:8080")
