"""Peak memory of cleaning one 20 MB page, and whether memory grows over 1,000 pages.

Each measure runs in a fresh interpreter so the numbers are its own; `ru_maxrss` is the peak
resident set size (KiB on Linux).

    python -m bench.memory_bench [--quick]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

TARGET_PEAK_MB = 500
BIG_PAGE_MB = 20

BIG_PAGE = """
import json, random, resource, sys
from pathlib import Path
from cleaners import clean_html
words = sorted({
    word
    for path in Path("fixtures/constructed").glob("*.json")
    for paragraph in json.loads(path.read_text(encoding="utf-8"))["paragraphs"]
    for word in paragraph.split()
})
rng = random.Random(20)
junk = '<div class="related"><a href="/{0}.html">Tin liên quan: Giá vàng giảm {0}</a></div>\\n'
size = int(sys.argv[1]) * 1024 * 1024
parts, total, n = [], 0, 0
while total < size:
    # Random English-word paragraphs, so deduplication cannot make the page small.
    text = " ".join(rng.choices(words, k=rng.randint(30, 70)))
    part = junk.format(n) if n % 9 == 0 else "<p>" + text + ".</p>\\n"
    parts.append(part)
    total += len(part.encode())
    n += 1
page = ("<html><body><article>" + "".join(parts) + "</article></body></html>").encode("utf-8")
del parts  # the page is held once, as the bytes a fetcher would hand over
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
article = clean_html(page)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(len(page) / 2**20, before / 1024, peak / 1024, len(article.text))
"""

MANY_PAGES = """
import gzip, resource, sys
from pathlib import Path
from cleaners import clean_html
pages = [gzip.decompress(p.read_bytes()) for p in sorted(Path("fixtures/vn").glob("*.html.gz"))]
pages += [p.read_bytes() for p in sorted(Path("fixtures/constructed").glob("*.html"))]
marks = [int(x) for x in sys.argv[1:]]
def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20
for n in range(1, marks[-1] + 1):
    clean_html(pages[n % len(pages)], language=None if n % 3 == 0 else "en")
    if n in marks:
        print(n, round(rss_mb(), 1))
"""


def run(code: str, *args: str) -> str:
    """Run a probe in a fresh interpreter from the project root and return its stdout."""
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=root, capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(result.stderr.strip().splitlines()[-1])
    return result.stdout


def main(argv: list[str] | None = None) -> int:
    """Print peak RSS for one 20 MB page and RSS after 200 and 1,000 pages."""
    parser = argparse.ArgumentParser(prog="python -m bench.memory_bench")
    parser.add_argument("--quick", action="store_true", help="5 MB page, 100 vs 300 pages")
    args = parser.parse_args(argv)
    size = 5 if args.quick else BIG_PAGE_MB
    marks = ["50", "100", "300"] if args.quick else ["100", "200", "500", "1000"]

    page_mb, before, peak, kept = run(BIG_PAGE, str(size)).split()
    verdict = "ok" if float(peak) < TARGET_PEAK_MB else "OVER TARGET"
    print(f"memory: one {float(page_mb):.1f} MB page in a fresh process")
    print(
        f"  peak RSS {float(peak):.0f} MB (after imports {float(before):.0f} MB), "
        f"kept {int(kept):,} chars  target < {TARGET_PEAK_MB} MB: {verdict}"
    )

    rows = [line.split() for line in run(MANY_PAGES, *marks).splitlines()]
    print("  RSS after N pages in one process: " + ", ".join(f"{n}: {mb} MB" for n, mb in rows))
    growth = float(rows[-1][1]) - float(rows[1][1])
    print(f"  growth from {rows[1][0]} to {rows[-1][0]} pages: {growth:+.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
