"""`newsclean get` speed: its overhead over cleaning alone, `newsclean --help` start-up, and a
whole `newsclean get URL` in a fresh process.

The overhead is what `get` adds in one process after start-up: a new Fetcher (client, robots.txt
request, connection) and the page request on loopback, against `clean_html` of the same bytes.
Run as `python -m bench.get_bench`, or through `make bench` which calls `main()`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "fetch" / "article_vn_junk.html"
ROUNDS = 30
STARTS = 7


def _serve(body: bytes) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # like a real server: headers and body in one segment, no Nagle delay between them
        disable_nagle_algorithm = True
        wbufsize = 1 << 16

        def do_GET(self) -> None:
            found = self.path == "/story"
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body) if found else 0))
            self.end_headers()
            if found:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


def _median_ms(run: object, rounds: int = ROUNDS) -> float:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()  # type: ignore[operator]
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def get_overhead_ms() -> tuple[float, float]:
    """Median ms of cleaning alone and of fetch + clean (a fresh Fetcher each time, as `get`)."""
    from cleaners import clean_html
    from scraper.http.settings import FetchSettings
    from scraper.http.sync_fetcher import Fetcher
    from scraper.scrape_page import fetch_and_clean

    body = PAGE.read_bytes()
    html = body.decode("utf-8")
    server = _serve(body)
    url = f"http://127.0.0.1:{server.server_address[1]}/story"

    def fetch_and_clean_once() -> None:
        with Fetcher(FetchSettings()) as fetcher:
            fetch_and_clean(fetcher, url)

    try:
        for _ in range(3):  # warm-up: imports, langdetect profiles, first connection
            clean_html(html, url)
            fetch_and_clean_once()
        clean_ms = _median_ms(lambda: clean_html(html, url))
        get_ms = _median_ms(fetch_and_clean_once)
    finally:
        server.shutdown()
        server.server_close()
    return clean_ms, get_ms


def get_command_ms() -> float:
    """Median ms of a whole `newsclean get URL` in a fresh interpreter, page on loopback: its
    start-up (imports, client, robots.txt) and the fetch and cleaning."""
    server = _serve(PAGE.read_bytes())
    url = f"http://127.0.0.1:{server.server_address[1]}/story"
    command = [sys.executable, "-m", "scraper", "get", url]
    try:
        subprocess.run(command, capture_output=True, check=True)  # warm the file cache
        return _median_ms(lambda: subprocess.run(command, capture_output=True, check=True), STARTS)
    finally:
        server.shutdown()
        server.server_close()


def help_startup_ms() -> float:
    """Median ms of `newsclean --help` in a fresh interpreter."""
    command = [sys.executable, "-m", "scraper", "--help"]
    subprocess.run(command, capture_output=True, check=True)  # warm the file cache
    return _median_ms(lambda: subprocess.run(command, capture_output=True, check=True), STARTS)


def main() -> None:
    """Print the overhead of `get` over cleaning alone, and the start-up time of --help."""
    clean_ms, get_ms = get_overhead_ms()
    overhead = get_ms - clean_ms
    startup = help_startup_ms()
    whole = get_command_ms()
    print("newsclean get (page on 127.0.0.1, median after warm-up)")
    print(f"  clean_html alone        {clean_ms:7.1f} ms")
    print(f"  fetch + clean           {get_ms:7.1f} ms")
    verdict = "ok" if overhead < 50 else "OVER BUDGET"
    print(f"  overhead of get         {overhead:7.1f} ms   (budget 50 ms: {verdict})")
    verdict = "ok" if startup < 500 else "OVER BUDGET"
    print(f"  newsclean --help        {startup:7.1f} ms   (budget 500 ms: {verdict})")
    print(f"  newsclean get URL       {whole:7.1f} ms   (a fresh process: start-up, fetch, clean)")


if __name__ == "__main__":
    main()
