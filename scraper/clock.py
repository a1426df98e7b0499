"""The clock the shell reads and waits on, passed in rather than read directly, so that a test can
pass one whose waits return at once (tests/fakes/clock.py) instead of sleeping through them.

Deadlines are `monotonic()` values. Every wait of the fetchers (a retry's backoff) and of the
crawl (politeness, Retry-After) goes through `sleep` or `sleep_async`; every time the crawl
stores (next retry, last tried) comes from `time()`.
"""

from __future__ import annotations

import asyncio
import time


class Clock:
    """The system's clock: time.monotonic, time.time and real sleeps."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back, for deadlines and gaps."""
        return time.monotonic()

    def time(self) -> float:
        """Seconds since the epoch, for times that are stored."""
        return time.time()

    def sleep(self, seconds: float) -> None:
        """Block for `seconds`."""
        time.sleep(seconds)

    async def sleep_async(self, seconds: float) -> None:
        """Wait `seconds` without blocking the event loop."""
        await asyncio.sleep(seconds)


SYSTEM_CLOCK = Clock()
