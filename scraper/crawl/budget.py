"""What is left of one run: pages (taken per fetch, given back for a page not tried), time (the
run's deadline, `max_runtime`), and whether it was halted. The crawl's parts ask it whether to
go on; nothing else in the run is control state."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from scraper.clock import Clock

DUE_LIMIT = 10_000  # pages taken per site per run when --max-pages is not set


class RunHalted(Exception):
    """The run is stopping (a halt): the page in hand was not judged and stays due."""


class Budget:
    """The pages and the time one run may still use."""

    def __init__(self, max_pages: int | None, max_runtime: float | None, clock: Clock) -> None:
        """At most `max_pages` fetches (None: no limit) within `max_runtime` seconds."""
        self.clock = clock
        self.deadline = clock.monotonic() + max_runtime if max_runtime else None
        self.ran_out = False  # the deadline cancelled what was in flight
        self.interrupted: str | None = None  # a signal's name: stop now, as at the deadline
        self._pages = max_pages
        self._halts: set[str] = set()
        self._timeout: asyncio.Timeout | None = None

    def due_limit(self) -> int:
        """How many due pages a site may take now."""
        return DUE_LIMIT if self._pages is None else max(self._pages, 0)

    def take(self) -> bool:
        """Take one page's fetch; False when none is left."""
        if self._pages is None:
            return True
        if self._pages <= 0:
            return False
        self._pages -= 1
        return True

    def give_back(self) -> None:
        """Return a page taken but not tried (its host's turn never came)."""
        if self._pages is not None:
            self._pages += 1

    def halt(self, why: str) -> bool:
        """Stop the run: pages in hand are finished, the rest waits for the next run. True the
        first time `why` is given."""
        new = why not in self._halts
        self._halts.add(why)
        return new

    def interrupt(self, signal_name: str) -> None:
        """Stop the run now (SIGINT, SIGTERM): what is in flight is abandoned and stays due,
        exactly as at the run's deadline."""
        if self.interrupted is None:
            self.interrupted = signal_name
        if self._timeout is not None and not self._timeout.expired():
            with contextlib.suppress(RuntimeError):  # its block already ended: nothing to stop
                self._timeout.reschedule(asyncio.get_running_loop().time())

    def past_deadline(self) -> bool:
        """True once the run's deadline has come (its timeout fired, or the clock says so)."""
        if self.interrupted is not None:
            return True
        if self._timeout is not None and self._timeout.expired():
            return True
        return self.deadline is not None and self.clock.monotonic() >= self.deadline

    def stop_reason(self) -> str | None:
        """Why the run must start nothing more ("interrupted", "halted", "max-pages",
        "max-runtime"), or None."""
        if self.interrupted is not None:
            return "interrupted"
        if self._halts:
            return "halted"
        if self._pages is not None and self._pages <= 0:
            return "max-pages"
        if self.past_deadline():
            return "max-runtime"
        return None

    @asynccontextmanager
    async def enforced(self) -> AsyncIterator[None]:
        """Cancel everything still running inside at the run's deadline, or when interrupted
        (`ran_out` then)."""
        loop = asyncio.get_running_loop()
        when = (
            None if self.deadline is None else loop.time() + self.deadline - self.clock.monotonic()
        )
        self._timeout = asyncio.timeout_at(when)
        try:
            async with self._timeout:
                yield
        except TimeoutError:
            if not self._timeout.expired():
                raise
            self.ran_out = True
