"""The blocking driver of the fetch policy (for `newsclean get`, `explain` and `scraper.scrape`).

It only does what scraper.http.policy decides: send, read, wait, look up robots.txt; so it
behaves as the async driver does in every respect (redirects, deadlines, robots.txt, cookies,
recording). Failures raise the `scraper.http.errors.FetchError` tree.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self, TypeVar

import httpx
from protego import Protego

from scraper.clock import SYSTEM_CLOCK, Clock
from scraper.http.client import sync_client
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


class Fetcher:
    """Fetch pages over one synchronous httpx.Client; a context manager.

    It keeps no cookies. `on_response` is told of every response (see `Recorded`); with
    `record_pages=False` not of the final answer of a successful "html" fetch.
    """

    def __init__(
        self,
        settings: FetchSettings = FetchSettings(),
        *,
        robots: RobotsCache | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Clock = SYSTEM_CLOCK,
        on_response: ResponseRecorder | None = None,
        record_pages: bool = True,
    ) -> None:
        self.settings = settings
        self.robots = robots if robots is not None else RobotsCache()
        self.clock = clock
        self.on_response = on_response
        self.record_pages = record_pages
        self._client = sync_client(settings, transport)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def fetch(
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
        `scope` limits the hosts and addresses it may reach (default: any host, and no private
        address unless `url` itself is in one).
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
        return self._drive(policy)

    def robots_for(self, url: str, scope: HostScope | None = None) -> Protego:
        """The robots.txt rules for the host of `url`, fetched once per run."""
        scope = scope if scope is not None else HostScope.anywhere(url)
        fetch = RobotsFetch(url, settings=self.settings, scope=scope, clock=self.clock)
        return self._rules(fetch).parser

    def _rules(self, fetch: RobotsFetch) -> RobotsRules:
        rules = self.robots.get(fetch.url)
        if rules is None:
            rules = self._drive(fetch)
            self.robots.put(fetch.url, rules)
        return rules

    def _drive(self, policy: Exchange[T]) -> T:
        step = policy.start()
        response: httpx.Response | None = None
        try:
            while True:
                self._record(policy.take_records())
                match step:
                    case Send(request=request, guard=guard):
                        if response is not None:
                            response.close()
                            response = None
                        try:
                            with guarded(guard):
                                response = self._client.send(request, stream=True)
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
                                for chunk in response.iter_raw():
                                    if reader.feed(chunk):
                                        break
                        except (httpx.TransportError, httpx.InvalidURL) as error:
                            step = policy.transport_failed(error)
                        except FetchError as error:
                            step = policy.failed(error)
                        else:
                            step = policy.body()
                    case NeedRobots(fetch=fetch):
                        step = policy.robots(self._rules(fetch))
                    case Wait(seconds=seconds):
                        if response is not None:  # no connection held through the wait
                            response.close()
                            response = None
                        self.clock.sleep(seconds)
                        step = policy.waited()
                    case Done(value=value):
                        return value
                    case Fail(error=error):
                        raise error
        finally:
            if response is not None:
                response.close()

    def _record(self, records: list[Recorded]) -> None:
        if self.on_response is not None:
            for record in records:
                self.on_response(record)
