"""Crawl throughput and memory: 2,000 articles on 10 local hosts, politeness delay 0.

    python -m bench.crawl_bench [--quick]

Prints end-to-end pages/second of the crawl (`run_crawl`, from start to summary: discovery,
fetching, cleaning, SQLite) against cleaning alone on the same pages, measured the same way: the
crawl's own CleanerPool, with the same number of worker processes, fed the same page bytes.
Then the crawl's peak memory at 500 and at 2,000 pages, for the whole process tree (main,
forkserver, workers), sampled from /proc.

Two sets of pages:
- real: the 162 English pages of the AEB benchmark (../shared/data/aeb, median 114 KB), each
  served under ~12 URLs with a serial number written into its paragraphs, so every copy is a
  distinct article. This is the figure the target is judged on: pages as news sites serve them.
- small: generated 4 KB pages (tests.fakes.news). Cleaning one costs ~6 ms, so the fixed
  cost of each HTTP request weighs 4-5 times more than on a real page: a stress figure for
  the event loop's per-request cost, printed so that cost stays in view.

The site is the measuring rig, not the thing measured, so it is made cheap: one asyncio process
serving pre-built responses (headers and body bytes) from memory, ~0.1 ms of CPU a request. Each
figure is the best of a few alternating runs, because other work on the machine can only slow a
run down.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HOSTS = 10
ROUNDS = 2  # alternating crawl / cleaning-alone runs; the best of each is kept
WORKERS = os.cpu_count() or 1
AEB_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "aeb"
KINDS = ("real", "small")

_CRAWL = """
import json, sys, time
from scraper.crawl.config import load_config
from scraper.crawl import run_crawl
if __name__ == "__main__":
    started = time.perf_counter()
    summary = run_crawl(load_config(sys.argv[1]))
    elapsed = time.perf_counter() - started
    print(json.dumps({"new": summary.new, "pages": summary.fetched, "seconds": elapsed}))
"""


# --- the pages ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchPage:
    """One article of the bench site, as served."""

    path: str
    body: bytes
    charset: str | None  # what the Content-Type header says
    title: str  # the sitemap's news:title
    date: str  # the sitemap's news:publication_date


def pages_for(kind: str, host_index: int, base: str, per_host: int) -> list[BenchPage]:
    """The articles of one host; the same arguments give the same bytes."""
    if kind == "small":
        from tests.fakes.news import article_page, make_article

        host = f"host{host_index}"
        articles = [make_article(host, i, date_in_page=i % 2 == 0) for i in range(per_host)]
        return [
            BenchPage(a.path, article_page(a, base).encode("utf-8"), "utf-8", a.title, a.date)
            for a in articles
        ]
    originals = _real_pages()
    pages = []
    for i in range(per_host):
        serial = host_index * per_host + i
        mark = rb"\g<0>[%d] " % serial  # after each <p ...>: a serial number
        body = _PARAGRAPH.sub(mark, originals[serial % len(originals)])
        date = f"2026-11-{1 + serial % 28:02d}T08:00:00+07:00"
        pages.append(BenchPage(f"/news/{i:05d}.html", body, None, f"Article {serial}", date))
    return pages


_PARAGRAPH = re.compile(rb"<p(?:\s[^>]*)?>", re.IGNORECASE)


@functools.cache
def _real_pages() -> tuple[bytes, ...]:
    """The AEB benchmark's English pages, raw bytes, in a fixed order."""
    english = sorted(json.loads((AEB_DIR / "english-ids.json").read_text(encoding="utf-8")))
    return tuple(gzip.decompress((AEB_DIR / "html" / f"{i}.html.gz").read_bytes()) for i in english)


def have_real_pages() -> bool:
    """Whether ../shared/data/aeb is beside the project."""
    return (AEB_DIR / "english-ids.json").is_file()


# --- the site: pre-built responses served by one asyncio process --------------------------------


def _site(kind: str, bases: dict[str, str], per_host: int) -> dict[str, dict[str, bytes]]:
    """Each host's paths and their whole HTTP responses (status line, headers, body)."""
    from tests.fakes.news import news_sitemap

    routes: dict[str, dict[str, bytes]] = {}
    for h, (host, base) in enumerate(bases.items()):
        pages = pages_for(kind, h, base, per_host)
        answers = {p.path: _response(p.body, "text/html", p.charset) for p in pages}
        entries = [(base + p.path, p.title, p.date, "en") for p in pages]
        answers["/sitemap.xml"] = _response(
            news_sitemap(entries).encode("utf-8"), "application/xml", "utf-8"
        )
        routes[host] = answers
    return routes


def _response(body: bytes, kind: str, charset: str | None) -> bytes:
    content_type = f"{kind}; charset={charset}" if charset else kind
    head = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode("ascii") + body


_NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n"


def serve(kind: str, per_host: int) -> None:
    """Serve the bench site on loopback until stdin closes; print the hosts' base URLs first."""

    async def main() -> None:
        servers, bases = {}, {}
        routes: dict[str, dict[str, bytes]] = {}
        for h in range(HOSTS):
            host = f"host{h}"
            servers[host] = await asyncio.start_server(
                functools.partial(_answer_host, routes, host), "127.0.0.1", 0
            )
            bases[host] = f"http://127.0.0.1:{servers[host].sockets[0].getsockname()[1]}"
        routes.update(_site(kind, bases, per_host))
        print(json.dumps(bases), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)  # parent's EOF

    asyncio.run(main())


async def _answer_host(
    routes: dict[str, dict[str, bytes]],
    host: str,
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
) -> None:
    await _answer(routes[host], reader, writer)


async def _answer(
    routes: dict[str, bytes], reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    try:
        while True:  # keep-alive: one request after another on the connection
            head = await reader.readuntil(b"\r\n\r\n")
            writer.write(routes.get(head.split(b" ", 2)[1].decode("latin-1"), _NOT_FOUND))
            await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, IndexError):
        pass
    finally:
        writer.close()


class _Site:
    """The bench site in a child process: `with _Site(kind, per_host) as bases:`."""

    def __init__(self, kind: str, per_host: int) -> None:
        code = f"from bench.crawl_bench import serve; serve({kind!r}, {per_host})"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def __enter__(self) -> dict[str, str]:
        assert self.process.stdout is not None
        bases: dict[str, str] = json.loads(self.process.stdout.readline())
        return bases

    def __exit__(self, *exc: object) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def cpu_seconds(self) -> float:
        return _cpu_seconds(self.process.pid)


# --- memory and CPU of a process tree, from /proc ------------------------------------------------


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _tree(pid: int) -> list[int]:
    """`pid` and all its descendants (the forkserver's workers are its grandchildren)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        with contextlib.suppress(OSError):  # children are listed per thread that forked them
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
    return out


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in kB; PSS counts pages shared with the forkserver once."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


class TreeMemory:
    """Sample the whole tree's RSS, PSS and CPU time every `interval` seconds in a thread."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid, self.interval = pid, interval
        self.cpu: dict[int, float] = {}  # the last CPU seconds seen of each process
        self.peak_rss = self.peak_pss = self.peak_processes = 0
        self.peak_largest = 0  # the largest single process's RSS
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def sample(self) -> None:
        pids = _tree(self.pid)
        for p in pids:
            self.cpu[p] = max(self.cpu.get(p, 0.0), _cpu_seconds(p))
        sizes = [_memory_kb(p) for p in pids]
        self.peak_rss = max(self.peak_rss, sum(r for r, _ in sizes))
        self.peak_pss = max(self.peak_pss, sum(p for _, p in sizes))
        self.peak_largest = max([self.peak_largest] + [r for r, _ in sizes])
        self.peak_processes = max(self.peak_processes, len(sizes))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def cpu_split(self) -> tuple[float, float]:
        """CPU seconds of the root process and of all its descendants."""
        root = self.cpu.get(self.pid, 0.0)
        return root, sum(self.cpu.values()) - root


# --- the two measurements ------------------------------------------------------------------------


def crawl_run(kind: str, per_host: int, script: str = _CRAWL) -> dict[str, Any]:
    """Crawl a fresh site of HOSTS x per_host articles in a child process (running `script`);
    return its figures."""
    site = _Site(kind, per_host)
    with tempfile.TemporaryDirectory() as tmp, site as bases:
        root = Path(tmp)
        lines = ["[crawl]", f'db = "{root / "db.sqlite"}"', "concurrency = 16"]
        lines.append(f"workers = {WORKERS}")
        for host, base in bases.items():
            lines += [
                "[[site]]",
                f'name = "{host}"',
                f'sitemaps = ["{base}/sitemap.xml"]',
                "delay = 0.0",
                "in_flight = 4",
            ]
        (root / "sources.toml").write_text("\n".join(lines) + "\n", "utf-8")
        crawl = subprocess.Popen(
            [sys.executable, "-c", script, str(root / "sources.toml")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        memory = TreeMemory(crawl.pid)
        site_cpu = site.cpu_seconds()
        out, err = crawl.communicate()
        memory.stop()
        site_cpu = site.cpu_seconds() - site_cpu
        main_cpu, workers_cpu = memory.cpu_split()
        if crawl.returncode:
            raise RuntimeError(f"the crawl failed ({crawl.returncode}): {err[-2000:]}")
        figures = json.loads(out.strip().splitlines()[-1])
        figures.update(
            rss_mb=memory.peak_rss // 1024,
            pss_mb=memory.peak_pss // 1024,
            largest_mb=memory.peak_largest // 1024,
            processes=memory.peak_processes,
            main_cpu=main_cpu,
            workers_cpu=workers_cpu,
            site_cpu=site_cpu,
        )
        return figures


def clean_only(kind: str, per_host: int, pool: Any = None) -> tuple[float, float]:
    """Pages/second of cleaning alone, the same pages through the crawl's CleanerPool, and the
    CPU seconds per page it took (this process feeding the pool, and the workers)."""
    from scraper.crawl.cleaner_pool import CleanerPool
    from scraper.crawl.cleaning import PageToClean, clean_page
    from scraper.crawl.sources import Candidate

    jobs = []
    for h in range(HOSTS):
        base = f"http://127.0.0.1:{8000 + h}"
        for page in pages_for(kind, h, base, per_host):
            # bytes, as the crawl's workers get them: decoding is part of cleaning a page
            url = base + page.path
            hint = Candidate(url, page.title)
            jobs.append(PageToClean(page.body, url, page.charset, "en", hint, "+07:00"))

    pool_class = pool or CleanerPool

    async def one(pool: CleanerPool, job: PageToClean) -> None:
        await pool.reserve()
        await pool.run(clean_page, job)  # a page with no English body is still cleaned

    async def run() -> tuple[float, float]:
        pool = pool_class(WORKERS)
        try:
            # the workers' first pages pay for the cleaner's lazy imports: not cleaning speed
            await asyncio.gather(*(one(pool, j) for j in jobs[: WORKERS * 4]))
            tree = TreeMemory(os.getpid(), interval=3600)
            tree.sample()
            before = dict(tree.cpu)
            started = time.perf_counter()
            await asyncio.gather(*(one(pool, j) for j in jobs))
            elapsed = time.perf_counter() - started
            tree.sample()
            tree.stop()
            cpu = sum(v - before.get(p, 0.0) for p, v in tree.cpu.items())
            return len(jobs) / elapsed, cpu / len(jobs)
        finally:
            await pool.aclose()

    return asyncio.run(run())


def measure(kind: str, quick: bool) -> bool:
    """Print one page set's figures; return whether they meet the targets."""
    small, big = (10, 40) if quick else (50, 200)
    rounds = 1 if quick else ROUNDS
    runs: dict[int, list[dict]] = {small: [], big: []}
    cleans = []
    for _ in range(rounds):  # alternate, so a busy spell on the machine hits both figures
        for per_host in (small, big):
            runs[per_host].append(crawl_run(kind, per_host))
        cleans.append(clean_only(kind, big))
    clean, clean_cpu = max(cleans)
    best = max(runs[big], key=lambda r: r["pages"] / r["seconds"])
    crawl_pps = best["pages"] / best["seconds"]
    print(
        f"  cleaning alone ({WORKERS} workers):  {clean:6.1f} pages/s  (runs: "
        + ", ".join(f"{c:.1f}" for c, _ in cleans)
        + ")"
    )
    print(
        f"  crawl end to end:           {crawl_pps:6.1f} pages/s ({best['pages']} pages; runs: "
        + ", ".join(f"{r['pages'] / r['seconds']:.1f}" for r in runs[big])
        + ")"
    )
    ratio = crawl_pps / clean
    print(f"  crawl / cleaning:           {ratio:6.0%} (target >= 80%)")
    ms = 1000 / best["pages"]
    crawl_cpu = best["main_cpu"] + best["workers_cpu"] + best["site_cpu"]
    print(
        f"  CPU per page: crawl {crawl_cpu * ms:.1f} ms (main {best['main_cpu'] * ms:.1f},"
        f" workers {best['workers_cpu'] * ms:.1f}, site {best['site_cpu'] * ms:.1f});"
        f" cleaning alone {clean_cpu * 1000:.1f} ms"
    )
    print(
        f"  on {WORKERS} otherwise idle cores that gives crawl / cleaning ="
        f" {clean_cpu / (crawl_cpu / best['pages']):.0%} (CPU-bound estimate, immune to other load)"
    )
    ok = ratio >= 0.8
    for per_host in (small, big):
        worst = max(runs[per_host], key=lambda r: r["pss_mb"])
        pages = per_host * HOSTS
        print(
            f"  peak memory at {pages:>5,} pages: {worst['pss_mb']} MB PSS over"
            f" {worst['processes']} processes (RSS sum {worst['rss_mb']} MB, largest one"
            f" {worst['largest_mb']} MB); target < 300"
        )
        fetched = min(r["pages"] for r in runs[per_host])
        stored = min(r["new"] for r in runs[per_host])
        print(f"    {fetched} of {pages} pages fetched and cleaned, {stored} stored as articles")
        ok = ok and worst["pss_mb"] < 300 and fetched == pages
    return ok


def main(argv: list[str] | None = None, quick: bool = False) -> int:
    """Print the crawl benchmark's figures (`quick`: 100 and 400 pages, one round)."""
    quick = quick or "--quick" in (argv or [])
    print(
        f"crawl bench: {HOSTS} hosts, delay 0, {os.cpu_count()} cores, {WORKERS} cleaning workers;"
        " the site is a cheap rig (one asyncio process serving pre-built bytes)"
    )
    ok = True
    if have_real_pages():
        print("real pages (AEB's 162 English pages, median 114 KB; the target's figure):")
        ok = measure("real", quick)
    else:
        print(f"real pages: skipped, {AEB_DIR} is not there")
    print("small pages (generated, 4 KB: a stress figure for the per-request cost):")
    small_ok = measure("small", quick)
    return 0 if (ok if have_real_pages() else small_ok) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
