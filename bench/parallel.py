"""Quality runs over a process pool: scoring needs no timing, so it uses every core."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def _call(job: tuple[Callable[..., T], tuple[Any, ...]]) -> T | None:
    func, args = job
    try:
        return func(*args)
    except Exception as exc:  # a crash scores as an empty output; the run goes on
        print(f"  ! {type(exc).__name__}: {exc}", file=sys.stderr)
        return None


def map_pages(
    func: Callable[..., T], args: Sequence[tuple[Any, ...]], processes: int | None = None
) -> list[T | None]:
    """`func(*a)` for each `a` of `args`, in order, over `processes` forked workers."""
    processes = processes or os.cpu_count() or 1
    jobs = [(func, a) for a in args]
    if processes == 1 or len(jobs) < 8:
        return [_call(job) for job in jobs]
    context = multiprocessing.get_context("fork")
    with context.Pool(processes, maxtasksperchild=200) as pool:
        return pool.map(_call, jobs, chunksize=4)
