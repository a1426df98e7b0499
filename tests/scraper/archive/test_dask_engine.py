"""The same job on a real Dask LocalCluster of two worker processes; a worker killed mid-task."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.scraper.archive.warcs import (
    PROJECT,
    archive,
    read_rows,
    stories,
    summary_line,
    write_warc,
)

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """Two single-threaded worker processes under nannies (a killed one is started again)."""
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # a free port: never fight another cluster for 8787
            silence_logs=logging.ERROR,
        ) as local,
        distributed.Client(local, set_as_default=False) as client,
    ):
        yield client


def overlapping_files(folder: Path, files: int, per_file: int) -> list[Path]:
    """WARC files whose stories overlap by half with the next file's, so dedup has work."""
    folder.mkdir()
    step = per_file // 2
    return [
        write_warc(
            folder / f"part{i}.warc.gz",
            stories(f"site{i}.vn", range(i * step, i * step + per_file), day=20 - i),
        )
        for i in range(files)
    ]


def test_a_dask_cluster_gives_exactly_the_rows_of_the_local_engine(tmp_path, cluster):
    inputs = [str(p) for p in overlapping_files(tmp_path / "in", files=4, per_file=12)]
    local_out, dask_out = tmp_path / "local", tmp_path / "dask"

    local = archive(*inputs, "-o", str(local_out), "--workers", "2")
    on_dask = archive(*inputs, "-o", str(dask_out), "--scheduler", cluster.scheduler.address)

    assert local.returncode == on_dask.returncode == 0, on_dask.stderr
    rows = read_rows(dask_out)
    assert rows == read_rows(local_out)
    assert len(rows) == len({row["content_hash"] for row in rows}) == 30
    assert summary_line(on_dask.stderr) == summary_line(local.stderr)


def test_a_worker_killed_in_the_middle_of_a_task_loses_and_doubles_nothing(tmp_path, cluster):
    inputs = [str(p) for p in overlapping_files(tmp_path / "in", files=4, per_file=120)]
    out = tmp_path / "out"
    command = [sys.executable, "-m", "scraper", "archive", *inputs, "-o", str(out)]
    command += ["--scheduler", cluster.scheduler.address]
    run = subprocess.Popen(command, cwd=PROJECT, stderr=subprocess.PIPE, text=True)
    try:
        victim = _kill_a_busy_worker(cluster, out, deadline=time.monotonic() + 60)
        _, stderr = run.communicate(timeout=120)
    finally:
        run.kill()
    assert victim, "no worker was caught in the middle of a task"
    assert run.returncode == 0, stderr
    rows = read_rows(out)
    titles = [row["title"] for row in rows]
    assert sorted(titles) == sorted(f"Story {n}" for n in range(60 * 3 + 120))
    assert len(set(titles)) == len(titles)
    assert "files 4 (0 already done, 0 failed), records 480" in summary_line(stderr)


def _kill_a_busy_worker(client: Any, out: Path, deadline: float) -> str | None:
    """Wait until a part is being written, then SIGKILL a worker that is running a task."""
    while time.monotonic() < deadline:
        if out.is_dir() and any(p.name.endswith(".tmp") for p in out.iterdir()):
            busy = [addr for addr, keys in client.processing().items() if keys]
            if busy:
                pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                return busy[0]
        time.sleep(0.02)
    return None


def test_dask_local_starts_its_own_cluster_of_worker_processes(tmp_path):
    inputs = [str(p) for p in overlapping_files(tmp_path / "in", files=2, per_file=6)]

    on_dask = archive(*inputs, "-o", str(tmp_path / "out"), "--dask-local", "2")

    assert on_dask.returncode == 0, on_dask.stderr
    titles = [row["title"] for row in read_rows(tmp_path / "out")]
    assert sorted(titles) == [f"Story {n}" for n in range(9)]
