"""The network layer under httpx: every connect, read and write within the request's deadline,
and every connection to an address the site may reach.

httpx's timeouts bound each socket operation, not a request: a server that sends one header
byte every two seconds never trips a five-second read timeout. Here each operation's timeout is
cut to what is left of the whole request's deadline, headers included, so a request ends at its
deadline in the sync fetcher as in the async one. The same layer resolves host names itself and
connects only to the addresses the site's `AddressPolicy` permits (scraper.http.addresses).

The fetchers say which deadline and policy apply with `guarded(...)`, a context variable, so one
pooled client serves requests with different deadlines and sites.
"""

from __future__ import annotations

import contextlib
import contextvars
import queue
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import anyio
import httpcore
import httpx

from scraper.clock import SYSTEM_CLOCK, Clock
from scraper.http.addresses import AddressPolicy, address_range, is_ip_literal
from scraper.http.errors import AddressRefused

SocketOption = Any  # httpcore's SOCKET_OPTION union, which it does not export


@dataclass(frozen=True)
class Guard:
    """What bounds the request in progress: its deadline (on `clock`) and its addresses."""

    deadline: float | None = None
    addresses: AddressPolicy | None = None
    clock: Clock = SYSTEM_CLOCK


_CURRENT: contextvars.ContextVar[Guard | None] = contextvars.ContextVar(
    "newsclean_guard", default=None
)
_NO_GUARD = Guard()


def _current() -> Guard:
    return _CURRENT.get() or _NO_GUARD


@contextlib.contextmanager
def guarded(guard: Guard) -> Iterator[None]:
    """Run the requests made inside under `guard`."""
    token = _CURRENT.set(guard)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def _left(timeout: float | None, error: type[Exception]) -> float | None:
    """`timeout` cut to what is left of the deadline; raise `error` when nothing is left."""
    guard = _current()
    if guard.deadline is None:
        return timeout
    left = guard.deadline - guard.clock.monotonic()
    if left <= 0:
        raise error("the whole-request deadline passed")
    return left if timeout is None else min(timeout, left)


def _refused(host: str, addresses: list[str]) -> AddressRefused:
    ranges = sorted({address_range(a) for a in addresses})
    return AddressRefused(
        f"refused: {host} resolves to {' and '.join(ranges)} addresses ({', '.join(addresses)}),"
        " where this site is not",
        url=host,
    )


def _permitted(policy: AddressPolicy, host: str, addresses: list[str]) -> list[str]:
    allowed = [a for a in addresses if policy.permits(host, a)]
    if not allowed:
        raise _refused(host, addresses)
    return allowed


# --- sync ---------------------------------------------------------------------------------------


class _SyncStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _left(timeout, httpcore.ConnectTimeout)
        return _SyncStream(self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


def _resolve_sync(host: str, port: int, timeout: float | None) -> list[str]:
    """getaddrinfo with a timeout: the C call cannot be interrupted, so it runs in a daemon
    thread that is left behind when the deadline comes first."""
    if is_ip_literal(host):
        return [host.strip("[]")]
    answers: queue.SimpleQueue[list[str] | OSError] = queue.SimpleQueue()

    def lookup() -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            answers.put(list(dict.fromkeys(str(info[4][0]) for info in infos)))
        except OSError as error:
            answers.put(error)

    threading.Thread(target=lookup, daemon=True, name=f"resolve {host}").start()
    try:
        answer = answers.get(timeout=timeout)
    except queue.Empty:
        raise httpcore.ConnectTimeout(f"resolving {host} timed out") from None
    if isinstance(answer, OSError):
        raise httpcore.ConnectError(f"cannot resolve {host}: {answer}")
    return answer


class GuardedSyncBackend(httpcore.NetworkBackend):
    """httpcore's SyncBackend under the current Guard; `check_addresses=False` for the
    connections to a proxy, whose target is checked instead (`ProxiedSync`)."""

    def __init__(self, *, check_addresses: bool = True) -> None:
        self._inner = httpcore.SyncBackend()
        self._check = check_addresses

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _left(timeout, httpcore.ConnectTimeout)
        policy = _current().addresses
        targets = [host]
        if policy is not None and self._check:
            targets = _permitted(policy, host, _resolve_sync(host, port, timeout))
        error: Exception | None = None
        for target in targets:
            try:
                stream = self._inner.connect_tcp(
                    target, port, _left(timeout, httpcore.ConnectTimeout), local_address,
                    socket_options,
                )  # fmt: skip
                return _SyncStream(stream)
            except httpcore.ConnectError as failed:
                error = failed
        assert error is not None
        raise error

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not used")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


# --- async --------------------------------------------------------------------------------------


class _AsyncStream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, _left(timeout, httpcore.WriteTimeout))

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        timeout = _left(timeout, httpcore.ConnectTimeout)
        return _AsyncStream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


async def _resolve_async(host: str, port: int, timeout: float | None) -> list[str]:
    if is_ip_literal(host):
        return [host.strip("[]")]
    try:
        with anyio.fail_after(timeout):
            infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except TimeoutError:
        raise httpcore.ConnectTimeout(f"resolving {host} timed out") from None
    except OSError as error:
        raise httpcore.ConnectError(f"cannot resolve {host}: {error}") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class GuardedAsyncBackend(httpcore.AsyncNetworkBackend):
    """httpcore's AnyIOBackend under the current Guard; `check_addresses=False` for the
    connections to a proxy, whose target is checked instead (`ProxiedAsync`)."""

    def __init__(self, *, check_addresses: bool = True) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._check = check_addresses

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        timeout = _left(timeout, httpcore.ConnectTimeout)
        policy = _current().addresses
        targets = [host]
        if policy is not None and self._check:
            targets = _permitted(policy, host, await _resolve_async(host, port, timeout))
        error: Exception | None = None
        for target in targets:
            try:
                stream = await self._inner.connect_tcp(
                    target, port, _left(timeout, httpcore.ConnectTimeout), local_address,
                    socket_options,
                )  # fmt: skip
                return _AsyncStream(stream)
            except httpcore.ConnectError as failed:
                error = failed
        assert error is not None
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not used")

    async def sleep(self, seconds: float) -> None:
        await anyio.sleep(seconds)


# --- transports ---------------------------------------------------------------------------------


def _guard_pool(transport: httpx.HTTPTransport | httpx.AsyncHTTPTransport, backend: Any) -> None:
    # httpx builds its pool (direct or through a proxy) with no way to pass a network backend;
    # every httpcore pool keeps it in `_network_backend`, read each time it opens a connection
    transport._pool._network_backend = backend


def sync_transport(
    ssl_context: ssl.SSLContext, limits: httpx.Limits, proxy: str | None = None
) -> httpx.BaseTransport:
    """An httpx transport whose connections run under the current Guard, directly or through
    `proxy` (an http(s) proxy URL: the guard's addresses then apply to each request's target)."""
    transport = httpx.HTTPTransport(verify=ssl_context, limits=limits, proxy=proxy)
    _guard_pool(transport, GuardedSyncBackend(check_addresses=proxy is None))
    return transport if proxy is None else ProxiedSync(transport)


def async_transport(
    ssl_context: ssl.SSLContext, limits: httpx.Limits, proxy: str | None = None
) -> httpx.AsyncBaseTransport:
    """An async httpx transport whose connections run under the current Guard (see
    `sync_transport`)."""
    transport = httpx.AsyncHTTPTransport(verify=ssl_context, limits=limits, proxy=proxy)
    _guard_pool(transport, GuardedAsyncBackend(check_addresses=proxy is None))
    return transport if proxy is None else ProxiedAsync(transport)


def _check_target_sync(request: httpx.Request) -> None:
    policy = _current().addresses
    host = request.url.host
    if policy is None or not host:
        return
    try:
        addresses = _resolve_sync(host, request.url.port or 0, _left(None, httpcore.ConnectTimeout))
    except httpcore.ConnectError:
        return  # a name this machine cannot resolve: only the proxy can, and it is the judge
    _permitted(policy, host, addresses)


async def _check_target_async(request: httpx.Request) -> None:
    policy = _current().addresses
    host = request.url.host
    if policy is None or not host:
        return
    timeout = _left(None, httpcore.ConnectTimeout)
    try:
        addresses = await _resolve_async(host, request.url.port or 0, timeout)
    except httpcore.ConnectError:
        return
    _permitted(policy, host, addresses)


class ProxiedSync(httpx.BaseTransport):
    """A proxy's transport with the address guard on each request's target host rather than
    on the proxy: a target this machine resolves into a refused range is never sent."""

    def __init__(self, inner: httpx.HTTPTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Check the target, then send through the proxy."""
        try:
            _check_target_sync(request)
        except httpcore.ConnectTimeout as error:
            raise httpx.ConnectTimeout(str(error), request=request) from None
        return self._inner.handle_request(request)

    def close(self) -> None:
        """Close the proxy's connections."""
        self._inner.close()


class ProxiedAsync(httpx.AsyncBaseTransport):
    """`ProxiedSync` for the async client."""

    def __init__(self, inner: httpx.AsyncHTTPTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Check the target, then send through the proxy."""
        try:
            await _check_target_async(request)
        except httpcore.ConnectTimeout as error:
            raise httpx.ConnectTimeout(str(error), request=request) from None
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        """Close the proxy's connections."""
        await self._inner.aclose()
