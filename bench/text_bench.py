"""Median ms per document of `clean_text` on a few hundred documents of mixed English/Vietnamese.

python -m bench.text_bench [--quick]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONSTRUCTED = ROOT / "fixtures" / "constructed"
DOCUMENTS = 300
WARMUP = 10


def paragraph_pool() -> tuple[list[str], list[str]]:
    """English paragraphs and Vietnamese junk lines from the constructed fixtures."""
    english: list[str] = []
    vietnamese: list[str] = []
    for path in sorted(CONSTRUCTED.glob("*.json")):
        english += json.loads(path.read_text(encoding="utf-8"))["paragraphs"]
    for path in sorted(CONSTRUCTED.glob("*.junk.txt")):
        vietnamese += [line for line in path.read_text(encoding="utf-8").splitlines() if line]
    return english, vietnamese


def documents(count: int, seed: int = 7) -> list[str]:
    """`count` documents: some English paragraphs with Vietnamese lines before, among, after."""
    english, vietnamese = paragraph_pool()
    rng = random.Random(seed)
    docs = []
    for _ in range(count):
        lines = rng.sample(english, rng.randint(3, 9))
        for _ in range(rng.randint(2, 12)):
            lines.insert(rng.randint(0, len(lines)), rng.choice(vietnamese))
        docs.append("\n".join(lines))
    return docs


def median_ms(docs: list[str]) -> float:
    """Median ms per document of clean_text, after a warm-up."""
    from cleaners import clean_text

    for doc in docs[:WARMUP]:
        clean_text(doc)
    times = []
    for doc in docs:
        start = time.perf_counter()
        clean_text(doc)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    """Print clean_text's median ms per document."""
    parser = argparse.ArgumentParser(prog="python -m bench.text_bench")
    parser.add_argument("--quick", action="store_true", help="50 documents instead of 300")
    args = parser.parse_args(argv)
    docs = documents(50 if args.quick else DOCUMENTS)
    if not docs:
        print("text: no constructed fixtures; skipped", file=sys.stderr)
        return 0
    paragraphs = sum(doc.count("\n") + 1 for doc in docs)
    print(f"clean_text: {len(docs)} mixed documents ({paragraphs} lines)")
    print(f"  median {median_ms(docs):.2f} ms/document")
    return 0


if __name__ == "__main__":
    sys.exit(main())
