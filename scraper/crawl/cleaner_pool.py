"""Cleaning in worker processes, so fetching (one core, asyncio) and cleaning (CPU) overlap.

Each worker is a process started from a forkserver that has loaded the cleaner once (see
crawl.preload), joined to the event loop by one socket pair: a job goes over as one
length-prefixed pickle (a function importable by name and its arguments: `cleaning.clean_page`
and its `PageToClean`, or `sources.parse_source`), the answer comes back the same way. The loop
writes and reads those sockets itself, so the main process runs no helper threads to contend
with it for the GIL (ProcessPoolExecutor keeps two), and each worker always has its next job
waiting in its socket, so it never sits idle between pages.

Every job has a deadline counted from when its worker starts on it: past it, the worker is
killed and replaced, and the job fails as timed out (`clean_timeout`), so no page can hold a
worker, or the run, for longer. ProcessPoolExecutor cannot do that: it has no way to kill the
one process running a given job (see the README's "How it is built" for the figures).
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import pickle
import signal
import socket
import struct
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scraper.memory import memory_trimmer

PAGES_PER_WORKER = 8  # pages handed over but not cleaned yet, per worker: memory stays bounded
IN_WORKER = 2  # of those, sent to a worker at once: the one it cleans and the next one
BROKEN_RETRY_SECONDS = 5.0  # when no worker can start, fail pages this long, then try again
STOP_GRACE_SECONDS = 0.5  # at the end, a worker still busy after this long is terminated
_HEADER = struct.Struct("!I")


class WorkerLost(Exception):
    """A job got no answer from a worker: it died, it ran past the job's deadline and was
    killed (`timed_out`), or there was no worker to run it (`unavailable`: not the job's
    fault)."""

    def __init__(self, message: str, *, unavailable: bool = False, timed_out: bool = False):
        super().__init__(message)
        self.unavailable = unavailable
        self.timed_out = timed_out


def _worker_main(sock: socket.socket) -> None:
    """A worker: clean each page read from `sock` and write the answer back, until EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # glibc keeps the heap a big page grew to; handing it back after each page keeps every
    # worker near its size after preload instead of its size after the largest page so far
    release_free_memory = memory_trimmer()
    # the parent gone mid-answer (killed, or stopped by a signal) ends the worker quietly
    with sock, sock.makefile("rb") as inbox, contextlib.suppress(ConnectionError):
        while True:
            header = inbox.read(_HEADER.size)
            if len(header) < _HEADER.size:
                return  # the parent closed its end: the crawl is over
            payload = inbox.read(_HEADER.unpack(header)[0])
            try:
                function, args, kwargs = pickle.loads(payload)
                outcome: tuple[bool, Any] = (True, function(*args, **kwargs))
            except Exception as exc:  # the job raised, or cannot even be unpickled: report it
                outcome = (False, _portable(exc))
            try:
                answer = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as exc:
                answer = pickle.dumps((False, _portable(exc)), protocol=pickle.HIGHEST_PROTOCOL)
            sock.sendall(_HEADER.pack(len(answer)) + answer)
            release_free_memory()


async def _in_daemon_thread(function: Callable[[], Any]) -> Any:
    """`function()` in a daemon thread: unlike asyncio.to_thread, a run that ends while it
    waits (a worker start waits for the forkserver's imports) does not wait for it to return."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Any] = loop.create_future()

    def settle(outcome: Callable[[Any], None], value: Any) -> None:
        if not future.done():
            outcome(value)

    def work() -> None:
        try:
            answer = (future.set_result, function())
        except BaseException as exc:
            answer = (future.set_exception, exc)
        with contextlib.suppress(RuntimeError):  # the loop is already closed: no one waits
            loop.call_soon_threadsafe(settle, *answer)

    threading.Thread(target=work, name="newsclean worker start", daemon=True).start()
    return await future


def _portable(exc: Exception) -> Exception:
    """`exc` if it survives pickling, else a RuntimeError that names it."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


@dataclass
class _Job:
    payload: bytes
    future: asyncio.Future[Any]
    timeout: float | None  # seconds the worker may spend on it, from when it starts on it


@dataclass
class _WorkerState:
    """What one worker holds, shared by its reader, feeder and watchdog."""

    held: deque[_Job] = field(default_factory=deque)
    head_since: float = 0.0  # loop time when the worker started on held[0]
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    timed_out: _Job | None = None


class CleanerPool:
    """Worker processes with a bounded number of jobs waiting, so memory does not grow.

    Use inside a running event loop: `await pool.reserve()`, then `await pool.run(function,
    *args)` once, and `await pool.aclose()` at the end. A job that runs past its deadline has
    its worker killed and replaced (`WorkerLost` with `timed_out`); a worker that dies fails
    only the job it was working on, and the jobs queued behind it go to another.
    """

    def __init__(self, workers: int = 0, *, job_timeout: float | None = None) -> None:
        """Plan `workers` processes (0: one per CPU), started on the first `reserve`; a job
        may take `job_timeout` seconds of a worker (None: no limit)."""
        self.workers = workers or os.cpu_count() or 1
        self.job_timeout = job_timeout
        # forkserver: workers start from a clean process that has loaded the cleaner once and
        # share its memory, not from a fork of the event loop with its sockets and database.
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["scraper.crawl.preload"])
        self._room = asyncio.Semaphore(self.workers * PAGES_PER_WORKER)
        self._jobs: asyncio.Queue[_Job] = asyncio.Queue()
        self._runners: list[asyncio.Task[None]] = []
        self._processes: set[multiprocessing.process.BaseProcess] = set()
        self._closing = False

    def start(self) -> None:
        """Start the workers now rather than on the first `reserve` (inside a running loop)."""
        if not self._runners:
            self._runners = [asyncio.create_task(self._run()) for _ in range(self.workers)]

    async def reserve(self) -> None:
        """Wait until a job may be handed over; pair with one `run` call."""
        self.start()
        await self._room.acquire()

    async def run(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """`function(*args, **kwargs)` in a worker (after `reserve`): its value, or the
        exception it raised, or `WorkerLost`. `function` must be importable by name."""
        try:
            job = (function, args, kwargs)
            payload = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
            future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            self._jobs.put_nowait(_Job(payload, future, self.job_timeout))
            ok, value = await future
            if not ok:
                raise value
            return value
        finally:
            self._room.release()

    async def aclose(self) -> None:
        """Stop the workers: idle ones see their socket close and exit; one still busy after
        STOP_GRACE_SECONDS is terminated (its job stays undone, not failed)."""
        self._closing = True
        for runner in self._runners:
            runner.cancel()
        await asyncio.gather(*self._runners, return_exceptions=True)
        while not self._jobs.empty():
            job = self._jobs.get_nowait()
            if not job.future.done():
                lost = WorkerLost("the crawl stopped before this job was run", unavailable=True)
                job.future.set_exception(lost)
        await asyncio.to_thread(self._join_all)

    def _join_all(self) -> None:
        for process in list(self._processes):
            process.join(STOP_GRACE_SECONDS)
            if process.is_alive():
                process.terminate()
                process.join(STOP_GRACE_SECONDS)
            if process.is_alive():
                process.kill()
                process.join()
            self._processes.discard(process)

    def _spawn(self) -> tuple[multiprocessing.process.BaseProcess, socket.socket]:
        mine, theirs = socket.socketpair()
        process = self._context.Process(target=_worker_main, args=(theirs,), daemon=True)
        try:
            process.start()
        except BaseException:
            mine.close()
            raise
        finally:
            theirs.close()
        self._processes.add(process)
        return process, mine

    async def _run(self) -> None:
        """Keep one worker process running and fed, replacing it when it dies or is killed."""
        while not self._closing:
            # starting a process waits for the forkserver's imports: not on the event loop
            try:
                process, sock = await _in_daemon_thread(self._spawn)
            except Exception as exc:  # no worker can start: fail the pages, never wait on them
                await self._fail_pages_while_broken(f"{type(exc).__name__}: {exc}")
                continue
            reader, writer = await asyncio.open_connection(sock=sock)
            state = _WorkerState()
            turns = asyncio.Semaphore(IN_WORKER)
            feeder = asyncio.create_task(self._feed(writer, state, turns))
            watchdog = asyncio.create_task(self._watch(process, state))
            try:
                while True:
                    size = _HEADER.unpack(await reader.readexactly(_HEADER.size))[0]
                    answer = pickle.loads(await reader.readexactly(size))
                    job = state.held.popleft()
                    state.head_since = asyncio.get_running_loop().time()
                    state.changed.set()
                    turns.release()
                    if not job.future.done():
                        job.future.set_result(answer)
            except (asyncio.IncompleteReadError, ConnectionError):
                pass  # the worker died, or the watchdog killed it
            finally:
                for task in (feeder, watchdog):
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
                writer.close()
                self._settle_held(state)
            if not self._closing:
                await asyncio.to_thread(self._reap, process)

    def _settle_held(self, state: _WorkerState) -> None:
        """Answer the jobs a lost worker held: the one it was on fails (it may have killed the
        worker); those queued behind it, never started, go back for another worker."""
        for position, job in enumerate(state.held):
            if job.future.done():
                continue
            if self._closing:
                why = "the crawl stopped while a worker held this job"
                job.future.set_exception(WorkerLost(why, unavailable=True))
            elif job is state.timed_out:
                why = (
                    f"clean_timeout: the worker spent over {job.timeout:g} s on it and was replaced"
                )
                job.future.set_exception(WorkerLost(why, timed_out=True))
            elif position == 0:
                job.future.set_exception(
                    WorkerLost("the cleaner process died while it held this page")
                )
            else:
                self._jobs.put_nowait(job)
        state.held.clear()

    async def _watch(self, process: multiprocessing.process.BaseProcess, state: _WorkerState):
        """Kill the worker when the job it is on runs past that job's deadline."""
        loop = asyncio.get_running_loop()
        while True:
            state.changed.clear()
            if state.held and state.held[0].timeout is not None:
                left = state.head_since + state.held[0].timeout - loop.time()
                if left <= 0:
                    state.timed_out = state.held[0]
                    with contextlib.suppress(OSError):
                        process.kill()
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(state.changed.wait(), left)
            else:
                await state.changed.wait()

    async def _fail_pages_while_broken(self, why: str) -> None:
        """Answer waiting pages with an error for a while, then try to start a worker again."""
        deadline = asyncio.get_running_loop().time() + BROKEN_RETRY_SECONDS
        while (left := deadline - asyncio.get_running_loop().time()) > 0:
            try:
                job = await asyncio.wait_for(self._jobs.get(), left)
            except TimeoutError:
                return
            if not job.future.done():
                lost = WorkerLost(f"no cleaner process could start: {why}", unavailable=True)
                job.future.set_exception(lost)

    def _reap(self, process: multiprocessing.process.BaseProcess) -> int | None:
        process.join(10.0)
        if process.is_alive():
            process.terminate()
            process.join()
        self._processes.discard(process)
        return process.exitcode

    async def _feed(
        self, writer: asyncio.StreamWriter, state: _WorkerState, turns: asyncio.Semaphore
    ) -> None:
        """Send the next jobs to one worker, IN_WORKER at a time."""
        while True:
            await turns.acquire()
            job = await self._jobs.get()
            if job.future.done():  # its caller was cancelled
                turns.release()
                continue
            if not state.held:  # an idle worker starts on it at once
                state.head_since = asyncio.get_running_loop().time()
            state.held.append(job)
            state.changed.set()
            writer.write(_HEADER.pack(len(job.payload)))
            writer.write(job.payload)
            await writer.drain()
