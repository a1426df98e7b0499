"""A real HTTP server on 127.0.0.1 for fetch and crawl tests, with a log of every request.

    def test_x(server, loopback):
        server.route("/a", server.html("<p>hi</p>"))
        server.route("/b", [server.reply(503), server.reply(200)])  # in turn; last repeats
        server.route("/c", handler)                 # handler(request: BaseHTTPRequestHandler)
        server.route("/d", server.drip(b"x", every=0.5))   # also: endless_chunks()
        server.route("/e", server.slow_headers(every=0.5))  # a status line, then a byte a while
        server.url("/a"); server.requests_to("/a")  # LoggedRequest(method, path, headers, at)
        other = loopback()                          # as many servers (ports) as a test needs

The reply builders hang on the server object so tests need not import this conftest.
Unrouted paths answer 404 (so robots.txt means "everything allowed" unless routed).
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass(frozen=True)
class Reply:
    """A canned answer: status, headers and body (Content-Length is added unless given)."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def __call__(self, request: BaseHTTPRequestHandler) -> None:
        """Send this reply on `request`."""
        request.send_response(self.status)
        names = {name.lower() for name in self.headers}
        for name, value in self.headers.items():
            request.send_header(name, value)
        if "content-length" not in names and "transfer-encoding" not in names:
            request.send_header("Content-Length", str(len(self.body)))
        request.end_headers()
        if request.command != "HEAD":
            request.wfile.write(self.body)


def html(body: str, *, status: int = 200, charset: str | None = "utf-8", **headers: str) -> Reply:
    """A text/html reply of `body` encoded in `charset` (None: utf-8 with no charset label)."""
    content_type = f"text/html; charset={charset}" if charset else "text/html"
    data = body.encode(charset or "utf-8")
    named = {name.replace("_", "-"): value for name, value in headers.items()}
    return Reply(status, {"Content-Type": content_type, **named}, data)


@dataclass(frozen=True)
class LoggedRequest:
    """One request the server received; `at` is the server's clock on arrival."""

    method: str
    path: str
    headers: dict[str, str]
    at: float


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Stay silent when a client hangs up (the tests make them); report anything else."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class LoopbackServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 with per-path handlers and a request log."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler | list[Handler]] = {}
        self.log: list[LoggedRequest] = []
        self.stopping = threading.Event()
        self.clock: Callable[[], float] = time.monotonic  # stamps each request on arrival
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else delayed ACKs add 40 ms to keep-alive requests

            def do_GET(self) -> None:
                server._dispatch(self)

            do_HEAD = do_GET

            def log_message(self, format: str, *args: object) -> None:
                pass  # the test reads server.log instead

        self._httpd = _QuietServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    reply = staticmethod(Reply)
    html = staticmethod(html)

    def drip(self, chunk: bytes, *, every: float, length: int = 1_000_000) -> Handler:
        """A 200 text/html answer that sends `chunk` every `every` seconds until stopped."""

        def handler(request: BaseHTTPRequestHandler) -> None:
            request.send_response(200)
            request.send_header("Content-Type", "text/html; charset=utf-8")
            request.send_header("Content-Length", str(length))
            request.end_headers()
            for _ in range(length // max(len(chunk), 1)):
                if self.stopping.wait(every):
                    return
                request.wfile.write(chunk)

        return handler

    def slow_headers(self, *, every: float) -> Handler:
        """An answer that sends its status line, then one header byte every `every` seconds,
        for ever: each read gets a byte in time, so only a whole-request deadline ends it."""

        def handler(request: BaseHTTPRequestHandler) -> None:
            request.wfile.write(b"HTTP/1.1 200 OK\r\n")
            request.wfile.flush()
            while not self.stopping.wait(every):
                request.wfile.write(b"X")
                request.wfile.flush()

        return handler

    def endless_chunks(self, chunk: bytes = b"<p>" + b"x" * 65_536 + b"</p>") -> Handler:
        """A chunked text/html answer that goes on until the client leaves or the server stops."""

        def handler(request: BaseHTTPRequestHandler) -> None:
            request.send_response(200)
            request.send_header("Content-Type", "text/html; charset=utf-8")
            request.send_header("Transfer-Encoding", "chunked")
            request.end_headers()
            frame = b"%x\r\n%s\r\n" % (len(chunk), chunk)
            while not self.stopping.is_set():
                request.wfile.write(frame)

        return handler

    def url(self, path: str = "/") -> str:
        """The absolute URL of `path` on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, handler: Handler | list[Handler]) -> None:
        """Answer `path` (without query) with `handler`, or a list of them in turn."""
        self.routes[path] = handler

    def requests_to(self, path: str) -> list[LoggedRequest]:
        """The logged requests for `path` (query ignored), in order of arrival."""
        with self._lock:
            return [r for r in self.log if r.path.split("?")[0] == path]

    def _dispatch(self, request: BaseHTTPRequestHandler) -> None:
        path = request.path.split("?")[0]
        with self._lock:
            self.log.append(
                LoggedRequest(request.command, request.path, dict(request.headers), self.clock())
            )
            index = self._counts.get(path, 0)
            self._counts[path] = index + 1
        handler = self.routes.get(path, Reply(404, {"Content-Type": "text/plain"}, b"not found"))
        if isinstance(handler, list):
            handler = handler[min(index, len(handler) - 1)]
        # the client giving up mid-answer is what many tests intend
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, TimeoutError):
            handler(request)

    def close(self) -> None:
        """Stop serving and release the port."""
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def loopback() -> Iterator[Callable[[], LoopbackServer]]:
    """A factory of loopback servers; every one is shut down after the test."""
    servers: list[LoopbackServer] = []

    def start() -> LoopbackServer:
        server = LoopbackServer()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def server(loopback: Callable[[], LoopbackServer]) -> LoopbackServer:
    """One loopback server."""
    return loopback()


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ForwardingProxy:
    """A plain HTTP forward proxy on 127.0.0.1 (absolute-URI GETs only), logging each request."""

    def __init__(self) -> None:
        self.log: list[str] = []  # the request targets as the proxy received them
        proxy = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                import http.client
                from urllib.parse import urlsplit

                proxy.log.append(self.path)
                target = urlsplit(self.path)
                upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
                path = target.path + (f"?{target.query}" if target.query else "")
                skip = {"proxy-connection", "connection", "keep-alive", "host"}
                headers = {k: v for k, v in self.headers.items() if k.lower() not in skip}
                upstream.request("GET", path or "/", headers=headers)
                answer = upstream.getresponse()
                body = answer.read()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                upstream.close()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._httpd = _QuietServer(("127.0.0.1", 0), _Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        """Stop serving."""
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def proxy() -> Iterator[ForwardingProxy]:
    """A forward proxy on 127.0.0.1; set HTTP_PROXY to `proxy.url` to send requests through it."""
    forwarding = ForwardingProxy()
    yield forwarding
    forwarding.close()
