"""Politeness per host: a minimum delay between requests, a cap on requests in flight, and a
global cap over all hosts.

A request's start is stamped only once it holds every slot it needs, so waiting for the global
cap can never squeeze two requests to one host closer than its delay. The next request may start
no sooner than `delay` after the previous one started *and* after it ended, which keeps the gap
even when responses are slow. A wait that would end past the run's deadline is not begun: the
request raises `PastDeadline` and its page stays due for the next run.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from scraper.clock import SYSTEM_CLOCK, Clock

MAX_CRAWL_DELAY = 60.0  # a robots.txt Crawl-delay above this would stall a cron run; cap it
MAX_RETRY_AFTER = 3600.0


class PastDeadline(Exception):
    """The host's next turn comes after the run's deadline: the request is left for later."""


class HostGate:
    """The politeness of one host: use `async with gate.slot(global_limit):` around a request."""

    def __init__(
        self,
        delay: float,
        in_flight: int,
        deadline: float | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        """Space requests by `delay` seconds, with at most `in_flight` open at once; start
        none whose turn comes after `deadline` (clock.monotonic())."""
        self.deadline = deadline
        self.clock = clock
        self.delay = delay
        self._in_flight = asyncio.Semaphore(in_flight)
        self._turn = asyncio.Lock()
        self._next = 0.0  # clock.monotonic() before which no request may start

    def raise_delay(self, seconds: float | None) -> None:
        """Use robots.txt's Crawl-delay when it is longer than the configured delay."""
        if seconds:
            longer = max(self.delay, min(float(seconds), MAX_CRAWL_DELAY))
            # the request just made (robots.txt itself) was spaced by the old delay
            self._next += longer - self.delay
            self.delay = longer

    def defer(self, seconds: float) -> None:
        """Start nothing on this host for `seconds` (a Retry-After answer)."""
        self._next = max(self._next, self.clock.monotonic() + min(seconds, MAX_RETRY_AFTER))

    @asynccontextmanager
    async def slot(self, global_limit: asyncio.Semaphore) -> AsyncIterator[None]:
        """Wait for this host's turn and a global slot; hold both for one request."""
        async with self._in_flight:
            async with self._turn:
                if self.deadline is not None and self._next > self.deadline:
                    raise PastDeadline(f"next turn in {self._next - self.clock.monotonic():.0f} s")
                while (wait := self._next - self.clock.monotonic()) > 0:
                    await self.clock.sleep_async(wait)
                await global_limit.acquire()
                self._next = max(self._next, self.clock.monotonic() + self.delay)
            try:
                yield
            finally:
                global_limit.release()
                self._next = max(self._next, self.clock.monotonic() + self.delay)
