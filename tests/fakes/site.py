"""A fake news site on 127.0.0.1, one port per host, for the demo, the tests and the benchmark.

Each host serves a dict of paths to bodies; `{{base:NAME}}` in a body becomes the base URL of
host NAME. Responses carry an ETag and Last-Modified and answer conditional requests with 304,
as real news CDNs do. Every request is logged with its arrival time, and hosts can be made slow,
dead, or to answer 503 with `Retry-After`, so politeness and failure handling can be checked from
the server's side.
"""

from __future__ import annotations

import hashlib
import re
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

_PLACEHOLDER = re.compile(r"\{\{base:([a-z0-9_-]+)\}\}")
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


@dataclass(frozen=True)
class Request:
    """One request as the server saw it."""

    host: str
    path: str
    at: float  # the site's clock on arrival (time.monotonic() unless given another)
    status: int
    headers: dict[str, str]


class FakeSite:
    """Serve several hosts on loopback ports; use as a context manager."""

    def __init__(
        self,
        hosts: list[str],
        *,
        dead: tuple[str, ...] = (),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Bind one port per host; hosts in `dead` get a port where nothing listens. Requests
        are stamped with `clock` on arrival."""
        self.log: list[Request] = []
        self.clock = clock
        self.closing = threading.Event()
        self.slow: dict[str, float] = {}  # host -> seconds to stall before answering a page
        self.retry_after: dict[tuple[str, str], list[int]] = {}  # (host, path) -> [count, secs]
        self._routes: dict[str, dict[str, tuple[bytes, str]]] = {h: {} for h in hosts}
        self._lock = threading.Lock()
        self._servers: dict[str, ThreadingHTTPServer] = {}
        self._ports: dict[str, int] = {}
        for host in hosts:
            if host in dead:
                self._ports[host] = _closed_port()
                continue
            server = _QuietServer(("127.0.0.1", 0), _handler_for(self, host))
            server.daemon_threads = True
            self._servers[host] = server
            self._ports[host] = server.server_address[1]

    def base(self, host: str) -> str:
        """Return `http://127.0.0.1:PORT` of `host`."""
        return f"http://127.0.0.1:{self._ports[host]}"

    def url(self, host: str, path: str) -> str:
        """Return the absolute URL of `path` on `host`."""
        return self.base(host) + path

    def put(self, host: str, path: str, body: str | bytes, content_type: str | None = None) -> None:
        """Serve `body` at `path` of `host`, with base URL placeholders filled in."""
        if isinstance(body, str):
            body = _PLACEHOLDER.sub(lambda m: self.base(m.group(1)), body).encode("utf-8")
        kind = content_type or _TYPES.get(Path(path).suffix, "text/html; charset=utf-8")
        with self._lock:
            self._routes[host][path] = (body, kind)

    def remove(self, host: str, path: str) -> None:
        """Stop serving `path` of `host`: it answers 404 (a page not live yet, or taken down)."""
        with self._lock:
            self._routes[host].pop(path, None)

    def load_dir(self, root: Path) -> None:
        """Serve each file under `root/HOST/` at its relative path on HOST."""
        for host in self._routes:
            base = root / host
            for file in sorted(base.rglob("*")) if base.is_dir() else []:
                if file.is_file():
                    self.put(host, "/" + file.relative_to(base).as_posix(), file.read_text("utf-8"))

    def body(self, host: str, path: str) -> bytes:
        """Return the exact bytes served at `path` of `host`."""
        with self._lock:
            return self._routes[host][path][0]

    def requests(self, host: str | None = None) -> list[Request]:
        """Return the logged requests, of one host or all, in arrival order."""
        with self._lock:
            return [r for r in self.log if host is None or r.host == host]

    def __enter__(self) -> FakeSite:
        for server in self._servers.values():
            # a short poll: shutting a host down waits for it
            threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(
        self, exc_type: type | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.closing.set()
        for server in self._servers.values():
            server.shutdown()
            server.server_close()

    def _respond(self, host: str, path: str, headers: dict[str, str]) -> tuple[int, dict, bytes]:
        with self._lock:
            route = self._routes[host].get(path)
            rule = self.retry_after.get((host, path))
            if rule and rule[0] > 0:
                rule[0] -= 1
                return 503, {"Retry-After": str(rule[1])}, b"busy"
        if route is None:
            return 404, {"Content-Type": "text/plain"}, b"not found"
        body, kind = route
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        out = {"Content-Type": kind, "ETag": etag, "Last-Modified": formatdate(0, usegmt=True)}
        if headers.get("if-none-match") == etag:
            return 304, {"ETag": etag}, b""
        return 200, out, body


class _QuietServer(ThreadingHTTPServer):
    """Says nothing when a client hangs up mid-request (a crawl killed on purpose, say)."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Report anything but a connection the client dropped."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _handler_for(site: FakeSite, host: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            arrived = site.clock()
            headers = {k.lower(): v for k, v in self.headers.items()}
            stall = site.slow.get(host, 0.0)
            if stall and not self.path.startswith("/robots.txt"):
                site.closing.wait(stall)  # a stall that ends when the site closes
            status, out, body = site._respond(host, self.path, headers)
            with site._lock:
                site.log.append(Request(host, self.path, arrived, status, headers))
            try:
                self.send_response(status)
                for key, value in out.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test); nothing to tell it

        def log_message(self, format: str, *args: object) -> None:
            pass  # the request log above replaces stderr chatter

    return Handler


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
