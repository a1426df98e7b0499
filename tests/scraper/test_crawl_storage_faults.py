"""The store and the files around it when the disk or the file system says no: a full disk under
the database, a read-only database, a lock file replaced by a symbolic link, a damaged row.
Each is one line on stderr and a documented exit code, and loses nothing already stored.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaners import Article
from scraper.cli import app
from scraper.crawl.sources import Candidate
from scraper.crawl.store import Store, Validators
from tests.fakes.site import FakeSite
from tests.scraper.crawl_site import build_host, write_config
from tests.scraper.run_cli import newsclean as in_process

HANG_GUARD = 120.0


def newsclean(*args: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    command = [*prefix, sys.executable, "-m", "scraper", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=HANG_GUARD)


def _can_mount_tmpfs() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = ["unshare", "--user", "--map-root-user", "--mount", "true"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


_RUNS = """
import json, sqlite3, subprocess, sys
from scraper.cli import main

def crawl(name, config, out):
    sys.argv = ["newsclean", "crawl", "--config", config]
    saved, code = sys.stderr, 0
    with open(f"{out}/{name}.err", "w") as sys.stderr:
        try:
            main()
        except SystemExit as end:
            code = end.code or 0
    sys.stderr = saved
    return code

if __name__ == "__main__":  # two crawls in one process: one start-up, one forkserver
    disk, config, out = sys.argv[1:]
    first = crawl("first", config, out)
    subprocess.run(["mount", "-o", "remount,size=16m", disk], check=True)
    second = crawl("second", config, out)
    db = sqlite3.connect(f"{disk}/db.sqlite")
    titles = [json.loads(j)["title"] for (j,) in db.execute("SELECT json FROM articles")]
    verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
    print(json.dumps({"first": first, "second": second, "integrity": verdict, "titles": titles}))
"""


@pytest.mark.skipif(not _can_mount_tmpfs(), reason="needs unshare to mount a small tmpfs")
def test_a_full_disk_under_the_database_stops_the_run_and_the_next_one_finishes(
    tmp_path: Path,
) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    with FakeSite(["full"]) as site:
        articles = build_host(site, "full", 40, in_feed=40)
        config = write_config(tmp_path / "sources.toml", site, ["full"], db=str(disk / "db.sqlite"))
        (tmp_path / "runs.py").write_text(_RUNS)
        script = f"""
            mount -t tmpfs -o size=320k tmpfs {disk}
            {sys.executable} {tmp_path}/runs.py {disk} {config} {tmp_path} > {tmp_path}/runs.json
        """
        namespace = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script]
        subprocess.run(namespace, check=True, timeout=2 * HANG_GUARD, cwd=os.getcwd())
    runs = json.loads((tmp_path / "runs.json").read_text())
    first_err = (tmp_path / "first.err").read_text()
    assert runs["first"] == 1, first_err
    assert "Traceback" not in first_err
    assert "cannot write the database" in first_err and "full" in first_err
    stored_first = int(first_err.split("newsclean crawl: ")[-1].split(" new;")[0])
    assert 1 <= stored_first < len(articles)  # the disk filled up mid-run
    assert runs["second"] == 0, (tmp_path / "second.err").read_text()
    assert runs["integrity"] == "ok"
    assert sorted(runs["titles"]) == sorted(a.title for a in articles)  # each exactly once


def _readonly_prefix() -> tuple[str, ...] | None:
    """How to run a command for which a 0444 file is read-only (root ignores the mode)."""
    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") is None:
        return None
    return ("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--")


@pytest.mark.skipif(_readonly_prefix() is None, reason="root without setpriv ignores file modes")
def test_a_read_only_database_is_one_line_and_exit_78(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    with Store(db):
        pass
    db.chmod(0o444)
    config = tmp_path / "sources.toml"
    config.write_text(
        f'[crawl]\ndb = "{db}"\n[[site]]\nname = "a"\nfeeds = ["http://127.0.0.1:9/rss.xml"]\n'
    )
    run = newsclean("crawl", "--config", str(config), prefix=_readonly_prefix() or ())
    assert run.returncode == 78, run.stderr
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert "readonly database" in run.stderr


def test_a_lock_file_that_is_a_symbolic_link_is_refused(tmp_path: Path) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me\n")
    db = tmp_path / "db.sqlite"
    (tmp_path / "db.sqlite.lock").symlink_to(precious)
    config = tmp_path / "sources.toml"
    config.write_text(
        f'[crawl]\ndb = "{db}"\n[[site]]\nname = "a"\nfeeds = ["http://127.0.0.1:9/rss.xml"]\n'
    )
    run = CliRunner().invoke(app, ["crawl", "--config", str(config)])
    assert run.exit_code == 78
    assert run.stderr.count("\n") == 1 and "symbolic link" in run.stderr
    assert precious.read_text() == "keep me\n"


def test_export_reports_a_damaged_row_and_skips_nothing(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    with Store(db) as store:
        for n in range(30):
            url = f"http://a.example/{n}"
            store.record_source(
                "http://a.example/rss", "a", Validators(None, None), [Candidate(url)], now=0
            )
            article = Article(url=url, title=f"Story {n}", text="x")
            store.store_article(
                url,
                "a",
                article,
                content_hash=url,
                fetched_at="t",
                validators=Validators(None, None),
            )
    with sqlite3.connect(db) as raw:  # one byte that is not UTF-8, as a damaged file has it
        raw.execute(
            "UPDATE articles SET json = CAST(replace(json, 'Story 4', 'Story ' || x'ff')"
            " AS TEXT) WHERE id = 5"
        )
    run = in_process("export", "--db", str(db), text=True)
    assert run.returncode == 1
    assert (
        run.stderr.count("\n") == 1 and "article 5" in run.stderr and "Traceback" not in run.stderr
    )
    titles = [json.loads(line)["title"] for line in run.stdout.splitlines()]
    assert len(titles) == 30
    assert titles[4] == "Story \ufffd" and titles[29] == "Story 29"
