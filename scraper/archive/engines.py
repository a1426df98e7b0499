"""Where the tasks run: a process pool on this machine, or a Dask distributed cluster. One job.

    engine = LocalEngine(workers=0)                 # every local core
    engine = DaskEngine.connect("tcp://host:8786")  # an existing cluster (SchedulerUnreachable)
    engine = DaskEngine.local(2)                    # a LocalCluster of 2 worker processes
    for result in engine.run(tasks, on_records): ...
    engine.close()

Each input file is one task, `scraper.archive.task.clean_file`, a pure function of its file
that writes its part atomically; so an engine may run a task again after its worker died
(MAX_ATTEMPTS times in all) without losing or doubling a row.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol
from urllib.parse import urlsplit

from scraper.archive import progress
from scraper.archive.job import FileFailure, FileResult, FileTask

MAX_ATTEMPTS = 3  # tries of one file whose worker died (Dask: its scheduler's allowed-failures)
CONNECT_SECONDS = 10.0
_TOPIC = "newsclean-archive-records"

RecordCounter = Callable[[int], None]


class SchedulerUnreachable(Exception):
    """The Dask scheduler did not answer: try again later (exit 75)."""


class DaskMissing(Exception):
    """`--scheduler` or `--dask-local` without dask distributed installed (exit 78)."""


class Engine(Protocol):
    """Runs file tasks and yields their results as they finish."""

    workers: int

    def run(self, tasks: Sequence[FileTask], on_records: RecordCounter) -> Iterator[FileResult]:
        """Run every task once (again after a lost worker); yield each result as it comes."""
        ...

    def close(self) -> None:
        """Release processes and connections."""
        ...


def _failed(task: FileTask, why: str, failure: FileFailure = FileFailure.worker_lost) -> FileResult:
    return FileResult(task.source, task.part, failure=failure.value, message=why[:300])


# --- local processes ----------------------------------------------------------------------------


def _start_local_worker(queue: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's to handle
    progress.install_reporter(queue.put)


class LocalEngine:
    """A pool of worker processes on this machine, started from a forkserver that has the cleaner
    loaded, so workers share its memory; a pool broken by a dying worker is started again."""

    def __init__(self, workers: int = 0) -> None:
        """Use `workers` processes (0: one per core)."""
        self.workers = workers or os.cpu_count() or 1

    def run(self, tasks: Sequence[FileTask], on_records: RecordCounter) -> Iterator[FileResult]:
        """Run the tasks over the pool; yield each result as it finishes."""
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
        from concurrent.futures.process import BrokenProcessPool

        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(
            ["scraper.crawl.preload", "scraper.archive.task", "pyarrow.parquet"]
        )
        queue = context.SimpleQueue()
        drain = threading.Thread(target=_drain, args=(queue, on_records), daemon=True)
        drain.start()
        attempts: Counter[str] = Counter()
        pending = list(tasks)
        try:
            while pending:
                pool = ProcessPoolExecutor(
                    min(self.workers, len(pending)),
                    mp_context=context,
                    initializer=_start_local_worker,
                    initargs=(queue,),
                )
                try:
                    from scraper.archive.task import clean_file

                    futures = {pool.submit(clean_file, task): task for task in pending}
                    pending = []
                    waiting = set(futures)
                    while waiting:
                        finished, waiting = wait(waiting, return_when=FIRST_COMPLETED)
                        for future in finished:
                            task = futures[future]
                            try:
                                yield future.result()
                            except BrokenProcessPool as broken:
                                attempts[task.part] += 1
                                if attempts[task.part] >= MAX_ATTEMPTS:
                                    yield _failed(task, f"a worker died each time: {broken}")
                                else:
                                    pending.append(task)
                except BaseException:
                    _stop_now(pool)
                    raise
                pool.shutdown(wait=True)
        finally:
            queue.put(None)
            drain.join(5.0)

    def close(self) -> None:
        """Nothing stays open between runs."""


def _stop_now(pool: Any) -> None:
    """Cancel what waits and end the workers at once (Ctrl-C: their files are redone next run)."""
    processes = list(getattr(pool, "_processes", {}).values())  # no public handle on them
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()


def _drain(queue: Any, on_records: RecordCounter) -> None:
    while (count := queue.get()) is not None:
        on_records(count)


# --- Dask distributed ---------------------------------------------------------------------------


def _clean_on_dask_worker(task: FileTask) -> FileResult:
    """The task as a Dask worker runs it: record counts go to the client as worker events."""
    from distributed import get_worker

    from scraper.archive.task import clean_file

    worker = get_worker()
    progress.install_reporter(lambda count: worker.log_event(_TOPIC, count))
    try:
        return clean_file(task)
    finally:
        progress.install_reporter(None)


class DaskEngine:
    """The same tasks on a Dask distributed cluster: each input file one task."""

    def __init__(self, client: Any, cluster: Any = None) -> None:
        """Use a connected `distributed.Client` (and own `cluster`, closed with the engine)."""
        self.client = client
        self.cluster = cluster
        self.workers = len(client.scheduler_info().get("workers", {})) or 1

    @classmethod
    def connect(cls, address: str, timeout: float = CONNECT_SECONDS) -> DaskEngine:
        """Connect to the scheduler at `address`; SchedulerUnreachable when it does not answer."""
        Client = _distributed().Client
        parts = urlsplit(address if "://" in address else f"tcp://{address}")
        try:  # a refused port fails at once here; Client would retry it until its timeout
            socket.create_connection((parts.hostname or "", parts.port or 8786), timeout).close()
        except (OSError, ValueError) as error:
            raise SchedulerUnreachable(f"no Dask scheduler at {address}: {error}") from None
        try:
            client = Client(address, timeout=f"{timeout}s", set_as_default=False)
        except (OSError, TimeoutError) as error:
            raise SchedulerUnreachable(f"no Dask scheduler at {address}: {error}") from None
        return cls(client)

    @classmethod
    def local(cls, workers: int) -> DaskEngine:
        """Start a LocalCluster of `workers` single-threaded worker processes and connect."""
        import logging

        distributed = _distributed()
        cluster = distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,  # cleaning holds the GIL: one task per process
            processes=True,
            dashboard_address=":0",  # a free port: never fight another cluster for 8787
            silence_logs=logging.ERROR,
            # workers load and warm the cleaner as they start, not in their first file
            preload=["scraper.crawl.preload", "scraper.archive.task"],
        )
        client = distributed.Client(cluster, set_as_default=False)
        return cls(client, cluster)

    def run(self, tasks: Sequence[FileTask], on_records: RecordCounter) -> Iterator[FileResult]:
        """Submit every task and yield each result as it completes (in completion order)."""
        distributed = _distributed()
        self.client.subscribe_topic(_TOPIC, lambda event: on_records(int(event[1])))
        run_id = uuid.uuid4().hex[:8]
        futures = self.client.map(
            _clean_on_dask_worker,
            list(tasks),
            key=[f"newsclean-archive-{run_id}-{task.part}" for task in tasks],
            pure=False,
        )
        by_key = {future.key: task for future, task in zip(futures, tasks, strict=True)}
        try:
            for future in distributed.as_completed(futures, loop=self.client.loop):
                task = by_key[future.key]
                try:
                    yield future.result()
                except distributed.KilledWorker as error:
                    yield _failed(task, f"workers died running it: {error}")
                except Exception as error:  # e.g. the worker cannot import newsclean
                    why = f"{type(error).__name__}: {error}"
                    yield _failed(task, why, FileFailure.task_error)
                finally:
                    future.release()
        finally:
            self.client.cancel(futures)
            self.client.unsubscribe_topic(_TOPIC)

    def close(self) -> None:
        """Disconnect, and stop the LocalCluster if this engine started it."""
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise DaskMissing(
            "Dask is not installed: pip install 'newsclean[dask]' (dask distributed)"
        ) from None
    return distributed
