"""LeanAsyncTransport under AsyncFetcher: HTTP/1.1 framing, keep-alive and timeouts on the wire."""

from __future__ import annotations

import asyncio
import gzip

import pytest

from scraper.errors import ConnectFailed, FetchTimeout
from scraper.fetch import AsyncFetcher, FetchSettings

FAST = FetchSettings(
    connect_timeout=2.0, read_timeout=0.5, total_timeout=3.0, retries=0, obey_robots=False
)
PAGE = "<html><body><p>Xin chào, Hà Nội</p></body></html>".encode()


def _head(extra: str = "", length: int | None = None) -> bytes:
    lines = ["HTTP/1.1 200 OK", "Content-Type: text/html; charset=utf-8"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n" + extra + "\r\n").encode()


async def _serve(answers: list[bytes], *, close_after_each: bool = False):
    """A server that answers each request with the next scripted bytes; counts connections."""
    state = {"connections": 0, "requests": []}

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        state["connections"] += 1
        try:
            while answers:
                state["requests"].append(await reader.readuntil(b"\r\n\r\n"))
                writer.write(answers.pop(0))
                await writer.drain()
                if close_after_each:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", state


async def _fetch_all(base: str, paths: list[str], settings: FetchSettings = FAST) -> list:
    async with AsyncFetcher(settings) as fetcher:
        return [await fetcher.fetch(base + path) for path in paths]


def test_chunked_gzip_body_with_trailers_and_keep_alive() -> None:
    async def main():
        packed = gzip.compress(PAGE)
        chunked = b"".join(
            b"%x;ext=1\r\n%s\r\n" % (len(packed[i : i + 7]), packed[i : i + 7])
            for i in range(0, len(packed), 7)
        )
        first = _head("Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n")
        first += chunked + b"0\r\nX-Trailer: 1\r\n\r\n"
        second = _head(length=len(PAGE)) + PAGE
        server, base, state = await _serve([first, second])
        async with server:
            results = await _fetch_all(base, ["/a", "/b?x=1"])
        return results, state

    results, state = asyncio.run(main())
    assert [r.text for r in results] == [PAGE.decode()] * 2
    assert state["connections"] == 1  # the second request reused the connection
    assert state["requests"][1].startswith(b"GET /b?x=1 HTTP/1.1\r\n")
    assert b"\r\nhost: 127.0.0.1:" in state["requests"][0].lower()


def test_a_closed_keep_alive_connection_is_replaced_and_eof_ends_a_body() -> None:
    async def main():
        no_length = _head("Connection: keep-alive\r\n") + PAGE  # HTTP/1.1, no length: until EOF
        answers = [_head(length=len(PAGE)) + PAGE, no_length, _head(length=len(PAGE)) + PAGE]
        server, base, state = await _serve(answers, close_after_each=True)
        async with server:
            results = await _fetch_all(base, ["/a", "/b", "/c"])
        return results, state

    results, state = asyncio.run(main())
    assert [r.text for r in results] == [PAGE.decode()] * 3
    assert state["connections"] == 3


def test_a_stalled_body_is_a_read_timeout_and_a_cut_one_a_connection_failure() -> None:
    async def main():
        stalled = _head(length=1000) + PAGE  # promises more than it sends, then waits
        server, base, _ = await _serve([stalled, b""])
        async with server:
            with pytest.raises(FetchTimeout, match="read"):
                await _fetch_all(base, ["/slow"])
        cut = _head(length=1000) + PAGE
        server, base, _ = await _serve([cut], close_after_each=True)
        async with server:
            with pytest.raises(ConnectFailed):
                await _fetch_all(base, ["/cut"])

    asyncio.run(main())


def test_a_refused_connection_is_a_connection_failure() -> None:
    async def main():
        server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        server.close()
        await server.wait_closed()
        with pytest.raises(ConnectFailed):
            await _fetch_all(f"http://127.0.0.1:{port}", ["/"])

    asyncio.run(main())
