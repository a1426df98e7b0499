"""The local process pool: a worker process killed in the middle of a file costs nothing."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import psutil

from tests.scraper.archive.warcs import PROJECT, read_rows, stories, summary_line, write_warc


def test_a_local_worker_killed_mid_file_is_replaced_and_its_file_run_again(tmp_path):
    inputs = [
        str(
            write_warc(
                tmp_path / f"f{i}.warc.gz", stories(f"s{i}.vn", range(i * 100, i * 100 + 100))
            )
        )
        for i in range(3)
    ]
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "scraper",
        "archive",
        *inputs,
        "-o",
        str(out),
        "--workers",
        "2",
    ]
    run = subprocess.Popen(command, cwd=PROJECT, stderr=subprocess.PIPE, text=True)
    killed = None
    try:
        deadline = time.monotonic() + 60
        while killed is None and time.monotonic() < deadline:
            writing = out.is_dir() and any(p.name.endswith(".tmp") for p in out.iterdir())
            # the pool's workers are the forkserver's children: grandchildren of the command
            workers = [
                p for p in psutil.Process(run.pid).children(recursive=True)
                if p.ppid() != run.pid
            ]  # fmt: skip
            if writing and workers:
                killed = workers[0].pid
                workers[0].send_signal(signal.SIGKILL)
            time.sleep(0.02)
        _, stderr = run.communicate(timeout=120)
    finally:
        run.kill()
    assert killed, "no worker was caught writing a part"
    assert run.returncode == 0, stderr
    titles = [row["title"] for row in read_rows(out)]
    assert sorted(titles) == sorted(f"Story {n}" for n in range(300))
    assert "files 3 (0 already done, 0 failed), records 300" in summary_line(stderr)
