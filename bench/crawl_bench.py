"""Crawl throughput and memory: 2,000 generated articles on 10 local hosts, politeness delay 0.

Prints end-to-end pages/second of `newsclean crawl` against what cleaning alone reaches on the
same pages with every core, and the crawl's peak memory at 500 and at 2,000 pages.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HOSTS = 10

_CRAWL = """
import json, resource, sys, time
from scraper.config import load_config
from scraper.crawl import run_crawl
started = time.perf_counter()
summary = run_crawl(load_config(sys.argv[1]))
elapsed = time.perf_counter() - started
me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print(json.dumps({"new": summary.new, "seconds": elapsed, "main_mb": me, "worker_mb": workers}))
"""


def _pages(per_host: int) -> list[tuple[str, str]]:
    from scraper.crawl_fakenews import article_page, make_article

    out = []
    for h in range(HOSTS):
        host = f"host{h}"
        for i in range(per_host):
            article = make_article(host, i, date_in_page=i % 2 == 0)
            out.append((article_page(article, "http://127.0.0.1:1"), host + article.path))
    return out


def _clean_one(job: tuple[str, str]) -> int:
    from cleaners import clean_html

    return len(clean_html(job[0], job[1]).text)


def clean_only(per_host: int) -> float:
    """Pages/second of cleaning alone, with one process per core."""
    pages = _pages(per_host)
    with ProcessPoolExecutor(os.cpu_count()) as pool:
        list(pool.map(_clean_one, pages[:20]))  # warm the workers' imports
        started = time.perf_counter()
        list(pool.map(_clean_one, pages, chunksize=8))
        return len(pages) / (time.perf_counter() - started)


def crawl_run(per_host: int) -> dict:
    """Serve the site from a child process and crawl it in another; return the crawl's figures."""
    from scraper.crawl_fakenews import article_page, make_article, news_sitemap

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        names = [f"host{h}" for h in range(HOSTS)]
        for host in names:
            base = "{{base:" + host + "}}"
            articles = [make_article(host, i, date_in_page=i % 2 == 0) for i in range(per_host)]
            for article in articles:
                path = root / "site" / host / article.path.lstrip("/")
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(article_page(article, base), "utf-8")
            entries = [(base + a.path, a.title, a.date, "en") for a in articles]
            (root / "site" / host / "sitemap.xml").write_text(news_sitemap(entries), "utf-8")
        server = subprocess.Popen(
            [sys.executable, "-c", _SERVE, str(root / "site"), *names],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            bases = json.loads(server.stdout.readline())
            lines = ["[crawl]", f'db = "{root / "db.sqlite"}"', "concurrency = 16"]
            for host in names:
                lines += [
                    "[[site]]",
                    f'name = "{host}"',
                    f'sitemaps = ["{bases[host]}/sitemap.xml"]',
                    "delay = 0.0",
                    "in_flight = 4",
                ]
            (root / "sources.toml").write_text("\n".join(lines) + "\n", "utf-8")
            done = subprocess.run(
                [sys.executable, "-c", _CRAWL, str(root / "sources.toml")],
                capture_output=True,
                text=True,
                check=True,
            )
            return json.loads(done.stdout.strip().splitlines()[-1])
        finally:
            server.terminate()
            server.wait()


_SERVE = """
import json, sys, time
from pathlib import Path
from scraper.crawl_fakesite import FakeSite
site = FakeSite(sys.argv[2:])
site.load_dir(Path(sys.argv[1]))
with site:
    print(json.dumps({h: site.base(h) for h in sys.argv[2:]}), flush=True)
    while True:
        time.sleep(3600)
"""


def main() -> None:
    """Print the crawl benchmark's figures."""
    print(f"crawl bench: {HOSTS} hosts, delay 0, {os.cpu_count()} cores")
    small = crawl_run(50)
    big = crawl_run(200)
    clean = clean_only(200)
    crawl_pps = big["new"] / big["seconds"]
    print(f"  cleaning alone (all cores): {clean:6.1f} pages/s")
    print(f"  crawl end to end:           {crawl_pps:6.1f} pages/s ({big['new']} pages)")
    print(f"  crawl / cleaning:           {crawl_pps / clean:6.0%} (target >= 80%)")
    for label, run in (("500", small), ("2,000", big)):
        total = run["main_mb"] + run["worker_mb"]
        print(
            f"  peak memory at {label:>5} pages: main {run['main_mb']} MB,"
            f" largest worker {run['worker_mb']} MB (sum {total} MB; target < 300)"
        )


if __name__ == "__main__":
    main()
