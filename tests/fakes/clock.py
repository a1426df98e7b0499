"""A clock for tests whose waits return at once: real time plus every wait skipped.

`sleep(5)` returns at once and moves the clock on by 5 s, so a politeness delay, a Retry-After
or a backoff costs the test nothing, while every deadline and gap is still measured on the same
clock, and real time (a slow server, a socket timeout) still moves it too. Give a test server
`clock.monotonic` to stamp requests with, and the gaps it sees are the ones the crawl kept.
"""

from __future__ import annotations

import asyncio
import threading
import time

from scraper.clock import Clock


class SkippingClock(Clock):
    """Real time, plus the length of every wait asked of it, which it does not wait."""

    def __init__(self) -> None:
        self.skipped = 0.0
        self.waits: list[float] = []  # every wait asked for, in order
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        """Real monotonic time plus the waits skipped."""
        return time.monotonic() + self.skipped

    def time(self) -> float:
        """Real epoch time plus the waits skipped."""
        return time.time() + self.skipped

    def sleep(self, seconds: float) -> None:
        """Return at once, the clock `seconds` later."""
        with self._lock:
            self.waits.append(seconds)
            self.skipped += max(seconds, 0.0)

    async def sleep_async(self, seconds: float) -> None:
        """Let other tasks run, and return with the clock `seconds` later."""
        self.sleep(seconds)
        await asyncio.sleep(0)
