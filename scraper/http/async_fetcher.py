"""The asyncio driver of the fetch policy (for the crawl), safe for many tasks at once.

It only does what scraper.http.policy decides, as the sync driver does, so the two behave the
same in every respect; this one waits without blocking, and lets concurrent fetches of one
origin share a single robots.txt request.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self, TypeVar

import httpx
from protego import Protego

from scraper.clock import SYSTEM_CLOCK, Clock
from scraper.http.client import async_client
from scraper.http.errors import FetchError
from scraper.http.guard import guarded
from scraper.http.host_scope import HostScope
from scraper.http.policy import (
    Done,
    Exchange,
    Fail,
    NeedRobots,
    PageFetch,
    ReadBody,
    RobotsFetch,
    Send,
    Wait,
)
from scraper.http.result import FetchResult, Recorded, ResponseRecorder
from scraper.http.robots import RobotsCache, RobotsRules
from scraper.http.settings import FetchSettings

T = TypeVar("T")


class AsyncFetcher:
    """Fetch pages over one httpx.AsyncClient; an async context manager, safe for many tasks.

    It keeps no cookies. `on_response` is told of every response (see `Recorded`); with
    `record_pages=False` not of the final answer of a successful "html" fetch (the crawl
    records that one from the result, when it knows what became of the page).
    """

    def __init__(
        self,
        settings: FetchSettings = FetchSettings(),
        *,
        robots: RobotsCache | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock = SYSTEM_CLOCK,
        on_response: ResponseRecorder | None = None,
        record_pages: bool = True,
    ) -> None:
        self.settings = settings
        self.robots = robots if robots is not None else RobotsCache()
        self.clock = clock
        self.on_response = on_response
        self.record_pages = record_pages
        self._client = async_client(settings, transport)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections."""
        await self._client.aclose()

    async def fetch(
        self,
        url: str,
        *,
        kind: str = "html",
        etag: str | None = None,
        last_modified: str | None = None,
        deadline: float | None = None,
        scope: HostScope | None = None,
    ) -> FetchResult:
        """Fetch `url`, retrying transient failures; raise a FetchError when it cannot.

        `deadline` (clock.monotonic()) bounds everything, retries and their waits included;
        `scope` limits the hosts and addresses it may reach, on every redirect hop too.
        """
        policy = PageFetch(
            url,
            kind=kind,
            settings=self.settings,
            scope=scope if scope is not None else HostScope.anywhere(url),
            clock=self.clock,
            etag=etag,
            last_modified=last_modified,
            deadline=deadline,
            record_success=self.record_pages,
        )
        return await self._drive(policy)

    async def robots_for(self, url: str, scope: HostScope | None = None) -> Protego:
        """The robots.txt rules for the host of `url`, fetched once per run."""
        scope = scope if scope is not None else HostScope.anywhere(url)
        fetch = RobotsFetch(url, settings=self.settings, scope=scope, clock=self.clock)
        return (await self._rules(fetch)).parser

    async def _rules(self, fetch: RobotsFetch) -> RobotsRules:
        rules = self.robots.get(fetch.url)
        if rules is not None:
            return rules
        async with self.robots.lock(fetch.url):
            rules = self.robots.get(fetch.url)
            if rules is None:
                rules = await self._drive(fetch)
                self.robots.put(fetch.url, rules)
        return rules

    async def _drive(self, policy: Exchange[T]) -> T:
        step = policy.start()
        response: httpx.Response | None = None
        try:
            while True:
                self._record(policy.take_records())
                match step:
                    case Send(request=request, guard=guard):
                        if response is not None:
                            await response.aclose()
                            response = None
                        try:
                            with guarded(guard):
                                response = await self._client.send(request, stream=True)
                        except (httpx.TransportError, httpx.InvalidURL) as error:
                            step = policy.transport_failed(error)
                        except FetchError as error:  # the guard refused the address
                            step = policy.failed(error)
                        else:
                            step = policy.response(response)
                    case ReadBody(reader=reader, guard=guard):
                        assert response is not None
                        try:
                            with guarded(guard):
                                async for chunk in response.aiter_raw():
                                    if reader.feed(chunk):
                                        break
                        except (httpx.TransportError, httpx.InvalidURL) as error:
                            step = policy.transport_failed(error)
                        except FetchError as error:
                            step = policy.failed(error)
                        else:
                            step = policy.body()
                    case NeedRobots(fetch=fetch):
                        step = policy.robots(await self._rules(fetch))
                    case Wait(seconds=seconds):
                        if response is not None:  # no connection held through the wait
                            await response.aclose()
                            response = None
                        await self.clock.sleep_async(seconds)
                        step = policy.waited()
                    case Done(value=value):
                        return value
                    case Fail(error=error):
                        raise error
        finally:
            if response is not None:
                await response.aclose()

    def _record(self, records: list[Recorded]) -> None:
        if self.on_response is not None:
            for record in records:
                self.on_response(record)
