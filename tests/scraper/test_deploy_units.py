"""The systemd units in deploy/: a dedicated user, and 75 a failure to retry, never a success.
(`systemd-analyze verify deploy/*` accepts both; it is not run here: it needs the installed
command at the unit's path.)"""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

from tests.scraper.run_cli import newsclean

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def unit(name: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((DEPLOY / name).read_text("utf-8"))
    return parser


def test_the_service_runs_as_a_dedicated_user_and_retries_75() -> None:
    service = unit("newsclean.service")["Service"]
    assert service["User"] == "newsclean" and service.get("User") != "root"
    assert "75" not in service["SuccessExitStatus"].split()
    assert service["Restart"] == "on-failure"  # 75 is a failure, so it is tried again
    assert "75" not in service["RestartPreventExitStatus"].split()
    assert {"1", "78"} <= set(service["RestartPreventExitStatus"].split())
    assert service["Type"] == "oneshot"


def test_the_service_command_is_one_newsclean_accepts() -> None:
    argv = shlex.split(unit("newsclean.service")["Service"]["ExecStart"])
    assert argv[0].endswith("/bin/newsclean") and argv[1] == "crawl"
    options = [a for a in argv[2:] if a.startswith("--")]
    help_text = newsclean("crawl", "-h", text=True).stdout
    assert all(option in help_text for option in options), options


def test_the_timer_starts_the_service() -> None:
    timer = unit("newsclean.timer")
    assert timer["Timer"]["OnCalendar"] and timer["Install"]["WantedBy"] == "timers.target"


def test_a_stop_signals_the_crawl_alone_which_stops_its_workers_itself() -> None:
    service = unit("newsclean.service")["Service"]
    assert service["KillMode"] == "mixed"
