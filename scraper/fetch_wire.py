"""A lean HTTP/1.1 transport for the crawl's AsyncFetcher: httpx's API, asyncio's sockets.

httpx's default async transport goes through httpcore, anyio and h11: cancel scopes, locks,
typed-attribute lookups and event objects cost ~2 ms of the event loop's CPU per page, more
than everything else the crawl does in its main process. This transport speaks the same
protocol straight on an asyncio Protocol: one keep-alive pool per transport, the head parsed
with a few `bytes` operations, the body handed on raw (still content-encoded: BodyDecoder
decompresses it under the cap) chunk by chunk as it arrives.

It honours the request's connect, read and pool timeouts (`request.extensions["timeout"]`) and
raises httpx's own exceptions, so the fetcher's policy (timeouts, redirects hop by hop, body
cap, status and content checks) runs unchanged on top. It does plain HTTP/1.1 and TLS, no
proxies (the fetcher keeps httpx's transport when a proxy is configured) and no HTTP/2.
"""

from __future__ import annotations

import asyncio
import ssl
from collections import deque
from collections.abc import AsyncIterator

import httpx

MAX_HEAD_BYTES = 64 * 1024  # status line and headers together
_HIGH_WATER = 256 * 1024  # pause reading the socket when this much is waiting unread
_NO_BODY = frozenset({204, 304})


class _Conn(asyncio.Protocol):
    """One connection: bytes received wait in a buffer until the response reader takes them."""

    def __init__(self, key: tuple[str, str, int]) -> None:
        self.key = key
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.eof = False
        self.error: BaseException | None = None
        self.paused = False
        self.waiter: asyncio.Future[None] | None = None
        self.used = 0  # responses read on this connection

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) > _HIGH_WATER and not self.paused and self.transport is not None:
            self.paused = True
            self.transport.pause_reading()
        self._wake()

    def eof_received(self) -> bool:
        self.eof = True
        self._wake()
        return False  # close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.eof = True
        self.error = exc
        self._wake()

    def _wake(self) -> None:
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    @property
    def usable(self) -> bool:
        """Idle and still open, as far as we know."""
        return not self.eof and self.transport is not None and not self.transport.is_closing()

    async def fill(self, timeout: float | None) -> None:
        """Wait until more bytes (or the end) arrive; raise httpx.ReadTimeout after `timeout`."""
        if self.paused and self.transport is not None:
            self.paused = False
            self.transport.resume_reading()
        self.waiter = asyncio.get_running_loop().create_future()
        try:
            async with asyncio.timeout(timeout):
                await self.waiter
        except TimeoutError:
            raise httpx.ReadTimeout("timed out reading the response") from None
        finally:
            self.waiter = None

    def take(self, limit: int) -> bytes:
        """Up to `limit` buffered bytes, removed from the buffer."""
        if limit >= len(self.buffer):
            data = bytes(self.buffer)
            self.buffer.clear()
        else:
            data = bytes(self.buffer[:limit])
            del self.buffer[:limit]
        if self.paused and len(self.buffer) < _HIGH_WATER and self.transport is not None:
            self.paused = False
            self.transport.resume_reading()
        return data

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()
        self.eof = True


class _Body(httpx.AsyncByteStream):
    """The raw body of one response; returns the connection to the pool once read to its end."""

    def __init__(
        self,
        pool: LeanAsyncTransport,
        conn: _Conn,
        length: int | None,
        chunked: bool,
        reusable: bool,
        timeout: float | None,
    ) -> None:
        self._pool, self._conn = pool, conn
        self._left = length  # None: until the connection closes (or chunked)
        self._chunked = chunked
        self._reusable = reusable
        self._timeout = timeout
        self._done = length == 0
        self._released = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self._chunked:
            async for data in self._chunks():
                yield data
            self._done = True
            return
        conn = self._conn
        while not self._done:
            if not conn.buffer:
                if conn.eof:
                    if self._left is None:
                        self._done = True
                        return
                    raise httpx.RemoteProtocolError("the server closed the connection mid-body")
                await conn.fill(self._timeout)
                continue
            data = conn.take(len(conn.buffer) if self._left is None else self._left)
            if self._left is not None:
                self._left -= len(data)
                self._done = self._left == 0
            yield data

    async def _chunks(self) -> AsyncIterator[bytes]:
        conn = self._conn
        while True:
            line = await self._line()
            size_text = line.split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise httpx.RemoteProtocolError("malformed chunk size") from None
            if size < 0:
                raise httpx.RemoteProtocolError("malformed chunk size")
            if size == 0:
                while await self._line():  # trailers, up to the empty line
                    pass
                return
            while size:
                if not conn.buffer:
                    if conn.eof:
                        raise httpx.RemoteProtocolError("the server closed the connection mid-body")
                    await conn.fill(self._timeout)
                    continue
                data = conn.take(size)
                size -= len(data)
                yield data
            if await self._line():
                raise httpx.RemoteProtocolError("malformed chunk ending")

    async def _line(self) -> bytes:
        conn = self._conn
        while (end := conn.buffer.find(b"\r\n")) < 0:
            if len(conn.buffer) > MAX_HEAD_BYTES:
                raise httpx.RemoteProtocolError("chunk line too long")
            if conn.eof:
                raise httpx.RemoteProtocolError("the server closed the connection mid-body")
            await conn.fill(self._timeout)
        line = bytes(conn.buffer[:end])
        del conn.buffer[: end + 2]
        return line

    async def aclose(self) -> None:
        if self._released:
            return
        self._released = True
        if self._done and self._reusable and not self._conn.buffer:
            self._pool._put_back(self._conn)
        else:
            self._pool._discard(self._conn)


class LeanAsyncTransport(httpx.AsyncBaseTransport):
    """HTTP/1.1 over asyncio with keep-alive; at most `max_connections` open at once."""

    def __init__(self, *, ssl_context: ssl.SSLContext, max_connections: int) -> None:
        self._ssl = ssl_context
        self._idle: dict[tuple[str, str, int], deque[_Conn]] = {}
        self._open: set[_Conn] = set()
        self._room = asyncio.Semaphore(max_connections)
        self._held: set[_Conn] = set()  # connections holding a slot of `_room`

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeouts = request.extensions.get("timeout", {})
        url = request.url
        scheme = url.scheme
        if scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(f"unsupported URL scheme {scheme!r}")
        host = url.host
        if not host:
            raise httpx.UnsupportedProtocol("the URL has no host")
        port = url.port or (443 if scheme == "https" else 80)
        key = (scheme, host, port)
        head = _request_head(request)
        reused = self._take_idle(key)
        if reused is not None:
            try:
                return await self._exchange(reused, request, head, timeouts)
            except _StaleConnection:
                pass  # the server closed the idle connection as we reused it: a fresh one
        conn = await self._connect(key, timeouts)
        try:
            return await self._exchange(conn, request, head, timeouts)
        except _StaleConnection:
            raise httpx.RemoteProtocolError("the server closed the connection") from None

    def _take_idle(self, key: tuple[str, str, int]) -> _Conn | None:
        idle = self._idle.get(key)
        while idle:
            conn = idle.pop()
            if conn.usable and not conn.buffer:
                return conn
            self._discard(conn)
        return None

    async def _connect(self, key: tuple[str, str, int], timeouts: dict) -> _Conn:
        scheme, host, port = key
        if self._room.locked():
            self._close_idle_one()
        try:
            async with asyncio.timeout(timeouts.get("pool")):
                await self._room.acquire()
        except TimeoutError:
            raise httpx.PoolTimeout("no connection free in the pool") from None
        conn = _Conn(key)
        self._held.add(conn)
        loop = asyncio.get_running_loop()
        tls = self._ssl if scheme == "https" else None
        try:
            async with asyncio.timeout(timeouts.get("connect")):
                await loop.create_connection(
                    lambda: conn,
                    host.strip("[]"),
                    port,
                    ssl=tls,
                    server_hostname=host if tls else None,
                )
        except TimeoutError:
            self._discard(conn)
            raise httpx.ConnectTimeout(f"timed out connecting to {host}:{port}") from None
        except (OSError, ssl.SSLError) as error:
            self._discard(conn)
            raise httpx.ConnectError(str(error) or type(error).__name__) from None
        except BaseException:
            self._discard(conn)
            raise
        self._open.add(conn)
        return conn

    def _close_idle_one(self) -> None:
        """Free a slot held by an idle connection of any host, when all slots are taken."""
        for idle in self._idle.values():
            if idle:
                self._discard(idle.popleft())
                return

    async def _exchange(
        self, conn: _Conn, request: httpx.Request, head: bytes, timeouts: dict
    ) -> httpx.Response:
        fresh = conn.used == 0
        try:
            assert conn.transport is not None
            conn.transport.write(head)
            status, version, reason, headers = await _read_head(conn, timeouts.get("read"), fresh)
        except _StaleConnection:
            self._discard(conn)
            raise
        except BaseException:
            self._discard(conn)
            raise
        conn.used += 1
        length, chunked, reusable = _framing(request.method, status, version, headers)
        body = _Body(self, conn, length, chunked, reusable, timeouts.get("read"))
        return httpx.Response(
            status,
            headers=headers,
            stream=body,
            extensions={"http_version": version, "reason_phrase": reason},
        )

    def _put_back(self, conn: _Conn) -> None:
        if conn.usable:
            self._idle.setdefault(conn.key, deque()).append(conn)
        else:
            self._discard(conn)

    def _discard(self, conn: _Conn) -> None:
        conn.close()
        self._open.discard(conn)
        if conn in self._held:
            self._held.discard(conn)
            self._room.release()

    async def aclose(self) -> None:
        for conn in list(self._held):
            self._discard(conn)
        self._idle.clear()


class _StaleConnection(Exception):
    """A reused keep-alive connection closed before sending a single byte back."""


def _request_head(request: httpx.Request) -> bytes:
    parts = [request.method.encode("ascii"), b" ", request.url.raw_path, b" HTTP/1.1\r\n"]
    for name, value in request.headers.raw:
        parts += [name, b": ", value, b"\r\n"]
    parts.append(b"\r\n")
    return b"".join(parts)


async def _read_head(
    conn: _Conn, timeout: float | None, fresh: bool
) -> tuple[int, bytes, bytes, list[tuple[bytes, bytes]]]:
    """Read the status line and headers, skipping interim 1xx responses."""
    while True:
        while (end := conn.buffer.find(b"\r\n\r\n")) < 0:
            if len(conn.buffer) > MAX_HEAD_BYTES:
                raise httpx.RemoteProtocolError("response head too large")
            if conn.eof:
                if not conn.buffer and not fresh:
                    raise _StaleConnection
                raise httpx.RemoteProtocolError("the server closed the connection early")
            await conn.fill(timeout)
        head = bytes(conn.buffer[:end])
        del conn.buffer[: end + 4]
        lines = head.split(b"\r\n")
        status_line = lines[0].split(b" ", 2)
        if len(status_line) < 2 or not status_line[0].startswith(b"HTTP/1."):
            raise httpx.RemoteProtocolError("malformed status line")
        version = status_line[0]
        try:
            status = int(status_line[1])
        except ValueError:
            raise httpx.RemoteProtocolError("malformed status code") from None
        if not 100 <= status <= 999:
            raise httpx.RemoteProtocolError("malformed status code")
        reason = status_line[2] if len(status_line) > 2 else b""
        headers = []
        for line in lines[1:]:
            name, colon, value = line.partition(b":")
            if not colon or not name or name != name.strip():
                raise httpx.RemoteProtocolError("malformed header line")
            headers.append((name, value.strip(b" \t")))
        if 100 <= status < 200 and status != 101:
            fresh = False  # interim answer: the real one follows
            continue
        return status, version, reason, headers


def _framing(
    method: str, status: int, version: bytes, headers: list[tuple[bytes, bytes]]
) -> tuple[int | None, bool, bool]:
    """(Content-Length or None, chunked, connection reusable) of a response (RFC 9112 6.3)."""
    length: int | None = None
    chunked = encoded = False
    close = version != b"HTTP/1.1"
    for name, value in headers:
        lower = name.lower()
        if lower == b"content-length":
            try:
                length = int(value)
            except ValueError:
                raise httpx.RemoteProtocolError("malformed Content-Length") from None
            if length < 0:
                raise httpx.RemoteProtocolError("malformed Content-Length")
        elif lower == b"transfer-encoding":
            encoded = True
            chunked = value.lower().rsplit(b",", 1)[-1].strip() == b"chunked"
        elif lower == b"connection":
            tokens = {t.strip() for t in value.lower().split(b",")}
            if b"close" in tokens:
                close = True
            elif b"keep-alive" in tokens and version == b"HTTP/1.0":
                close = False
    if method == "HEAD" or status in _NO_BODY or 100 <= status < 200:
        return 0, False, not close
    if chunked:
        return None, True, not close
    if encoded or length is None:
        return None, False, False  # read until the server closes the connection
    return length, False, not close
