"""Poison pages: time and peak memory of cleaning each hostile input, each in a fresh process.

The inputs are the ones issue 9 names (each must clean in under 2 s and 500 MB) and 10 MB pages
of many shapes, the fetch cap (each under 10 s and 800 MB). "wall" is the cleaning call's wall
time, "cpu" its process CPU time (steadier when other work shares the machine); peak memory is
the child process's peak resident set size, interpreter, trafilatura, langdetect and the input
included; "base" is the same process just before cleaning. A child that passes `--timeout` is
killed and reported.

    python -m bench.poison [--quick] [--only NAME ...] [--timeout SECONDS]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TEN_MB = 10 * 1024 * 1024

ENGLISH = (
    "The ministry said on Monday that exports grew strongly this year, according to a report "
    "released by the General Statistics Office in Hà Nội."
)
VIETNAMESE = "Tin liên quan: Giá vàng hôm nay giảm mạnh, người dân đổ xô đi bán vàng."


@dataclass(frozen=True)
class Poison:
    """One hostile input: how to build it, which cleaner eats it, and the target it must meet."""

    build: Callable[[], str | bytes]
    cleaner: str  # "html" or "text"
    max_seconds: float
    max_mb: float


def _repeat_to(unit: str, size: int = TEN_MB) -> str:
    return unit * (size // len(unit.encode()))


def _nested(tags: list[str], size: int = TEN_MB) -> str:
    parts, total, i = [], 0, 0
    while total < size:
        tag = f"<{tags[i % len(tags)]}>"
        parts.append(tag)
        total += len(tag)
        i += 1
    return "".join(parts) + f"<p>{ENGLISH}</p>"


def _attributes(count: int) -> str:
    attrs = " ".join(f'a{i}="v{i}"' for i in range(count))
    return f"<html><body><div {attrs}><p>{ENGLISH}</p></div></body></html>"


def _random_bytes(size: int = TEN_MB) -> bytes:
    return random.Random(9).randbytes(size)


def _article_page(size: int = TEN_MB) -> str:
    """A real-looking page: English paragraphs among Vietnamese related-news boxes."""
    rng = random.Random(10)
    words = ENGLISH.replace(",", "").replace(".", "").split()
    parts, total, n = [], 0, 0
    while total < size:
        if n % 7 == 0:
            part = f'<div class="related"><a href="/{n}.html">{VIETNAMESE} {n}</a></div>\n'
        else:
            part = "<p>" + " ".join(rng.choices(words, k=rng.randint(20, 60))) + ".</p>\n"
        parts.append(part)
        total += len(part.encode())
        n += 1
    return "<html><body><article>" + "".join(parts) + "</article></body></html>"


def _vietnamese_words(size: int = TEN_MB) -> str:
    line = "<p>" + VIETNAMESE + " " + ENGLISH + "</p>\n"
    return _repeat_to(line, size)


def _one_paragraph(size: int = TEN_MB) -> str:
    return "<html><body><p>" + _repeat_to(ENGLISH + " ", size - 40) + "</p></body></html>"


def _nested_around_text(opening: str, depth: int = 200, size: int = TEN_MB) -> str:
    """Furniture-like containers nested `depth` deep around one long paragraph."""
    text = _repeat_to(ENGLISH + " ", size - depth * (len(opening) + 10))
    closing = "</" + opening[1:].split()[0].rstrip(">") + ">"
    return opening * depth + f"<p>{text}</p>" + closing * depth


def _nested_groups(opening: str, depth: int = 200, size: int = TEN_MB) -> str:
    """Groups of `depth` nested containers around a short line, repeated up to `size`."""
    closing = "</" + opening[1:].split()[0].rstrip(">") + ">"
    group = opening * depth + f"<p>{VIETNAMESE}</p>" + closing * depth
    return _repeat_to(group, size)


def _reopened_formatting(count: int) -> str:
    """Formatting elements the parser reopens in every paragraph (its adoption agency)."""
    return "".join(f"<p><b id={i}></p>x" for i in range(count))


def _chinese(size: int = TEN_MB) -> str:
    line = "<p>越南胡志明市经济发展迅速，出口增长强劲。" * 3 + "</p>\n"
    return _repeat_to(line, size)


def _jsonld(size: int = TEN_MB) -> str:
    block = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "'
        + "x" * 150_000
        + '", "datePublished": "2025-09-15T08:31:00+07:00",,,}</script>\n'
    )
    return "<html><head>" + _repeat_to(block, size) + f"</head><body><p>{ENGLISH}</p></body></html>"


POISONS: dict[str, Poison] = {
    # the inputs issue 9 names: under 2 s and 500 MB each
    "letters-html": Poison(lambda: "a" * 100_000, "html", 2, 500),
    "letters-text": Poison(lambda: "a" * 100_000, "text", 2, 500),
    "vi-letters-text": Poison(lambda: "ư" * 100_000, "text", 2, 500),
    "div-a": Poison(lambda: "<div a" * 100_000, "html", 2, 500),
    "blockquote-deep": Poison(lambda: "<blockquote>" * 100_000, "html", 2, 500),
    "attributes": Poison(lambda: _attributes(100_000), "html", 2, 500),
    "p-x-8mb": Poison(lambda: "<p>x</p>" * 1_000_000, "html", 2, 500),
    # combining marks of two classes in turn: NFC must reorder them all
    "combining-html": Poison(lambda: "a" + "\u0301\u0323" * 80_000, "html", 2, 500),
    "combining-text": Poison(lambda: "a" + "\u0301\u0323" * 80_000, "text", 2, 500),
    "combining-across-tags": Poison(
        lambda: "<p>a" + "<b>\u0301</b><i>\u0323</i>" * 80_000 + "</p>", "html", 2, 500
    ),
    "combining-entities": Poison(
        lambda: "<p>a" + "&#x301;&#x323;" * 80_000 + "</p>", "html", 2, 500
    ),
    "nested-optgroups": Poison(
        lambda: '<optgroup id="comments">' * 3_700 + "<p>x</p>" * 60_000, "html", 2, 500
    ),
    "nested-links": Poison(
        lambda: "".join(f"<a href=/{i}><div><a href=/x{i}>" for i in range(7_000)),
        "html",
        2,
        500,
    ),
    "reopened-formatting": Poison(lambda: _reopened_formatting(20_000), "html", 2, 500),
    "script-escapes": Poison(
        lambda: "<div><script><!--<script></script></div></script>" * 20_000, "html", 2, 500
    ),
    # 10 MB of one shape each (the fetch cap): under 10 s and 800 MB
    "10mb-p-x": Poison(lambda: _repeat_to("<p>x</p>"), "html", 10, 800),
    "10mb-letters": Poison(lambda: "<p>" + "a" * (TEN_MB - 7) + "</p>", "html", 10, 800),
    "10mb-letters-text": Poison(lambda: "a" * TEN_MB, "text", 10, 800),
    "10mb-div-a": Poison(lambda: _repeat_to("<div a"), "html", 10, 800),
    "10mb-blockquote": Poison(lambda: _nested(["blockquote"]), "html", 10, 800),
    "10mb-nested-mixed": Poison(
        lambda: _nested(["section", "b", "table", "li", "em", "td", "a", "ul", "article", "h2"]),
        "html",
        10,
        800,
    ),
    "10mb-unclosed-p": Poison(lambda: _repeat_to("<p>" + ENGLISH), "html", 10, 800),
    "10mb-attributes": Poison(lambda: _attributes(900_000), "html", 10, 800),
    "10mb-combining": Poison(lambda: "<p>a" + "\u0301" * (TEN_MB // 2) + "</p>", "html", 10, 800),
    "10mb-combining-text": Poison(lambda: "a" + "\u0301\u0323" * (TEN_MB // 4), "text", 10, 800),
    "10mb-one-paragraph": Poison(_one_paragraph, "html", 10, 800),
    "10mb-article": Poison(_article_page, "html", 10, 800),
    "10mb-vietnamese": Poison(_vietnamese_words, "html", 10, 800),
    "10mb-links": Poison(
        lambda: _repeat_to('<li><a href="/x">Giá vàng hôm nay giảm mạnh</a></li>'), "html", 10, 800
    ),
    "10mb-table": Poison(lambda: _repeat_to("<tr><td>1</td><td>x</td></tr>"), "html", 10, 800),
    "10mb-entities": Poison(
        lambda: _repeat_to("&amp;&#x1F600;&bogus;&#0;&#99999999;"), "html", 10, 800
    ),
    "10mb-unclosed-comment": Poison(lambda: "<!--" + _repeat_to("a -- b > "), "html", 10, 800),
    "10mb-open-brackets": Poison(lambda: _repeat_to("<"), "html", 10, 800),
    "10mb-spaces": Poison(lambda: "<p>a" + _repeat_to(" \t\n") + "b</p>", "html", 10, 800),
    "10mb-nul": Poison(lambda: _repeat_to("a\x00"), "html", 10, 800),
    "10mb-random-bytes": Poison(_random_bytes, "html", 10, 800),
    "10mb-jsonld": Poison(_jsonld, "html", 10, 800),
    "10mb-chinese": Poison(_chinese, "html", 10, 800),
    "10mb-class-tokens": Poison(
        lambda: '<div class="' + _repeat_to("related-news x ") + '">x</div>', "html", 10, 800
    ),
    "10mb-attribute-tags": Poison(
        lambda: _repeat_to("<i " + " ".join(f"a{i}=v" for i in range(250)) + ">x</i>"),
        "html",
        10,
        800,
    ),
    "10mb-nested-aside": Poison(lambda: _nested_around_text("<aside>"), "html", 10, 800),
    "10mb-nested-share": Poison(
        lambda: _nested_around_text('<div class="share">'), "html", 10, 800
    ),
    "10mb-nav-groups": Poison(lambda: _nested_groups("<nav>"), "html", 10, 800),
    "10mb-text-lines": Poison(
        lambda: _repeat_to(VIETNAMESE + "\n" + ENGLISH + "\n"), "text", 10, 800
    ),
}

QUICK = [name for name in POISONS if not name.startswith("10mb-")]


def _child(name: str) -> None:
    """Clean one poison in this (fresh) process and print seconds and peak memory as JSON."""
    import gc
    import resource
    import time

    from cleaners import clean_html, clean_text

    clean_html(f"<html><body><p>{ENGLISH}</p><p>{VIETNAMESE}</p></body></html>")  # load it all
    poison = POISONS[name]
    data = poison.build()
    gc.collect()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu_start = time.perf_counter(), time.process_time()
    if poison.cleaner == "html":
        article = clean_html(data)
    else:
        article = clean_text(data if isinstance(data, str) else data.decode("utf-8", "replace"))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    json.dumps(article.to_dict())
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu": cpu,
                "base_mb": base / 1024,
                "peak_mb": peak / 1024,
                "input_mb": len(data if isinstance(data, bytes) else data.encode()) / 2**20,
                "text_chars": len(article.text),
                "notes": list(article.notes),
            }
        )
    )


def measure(name: str, timeout: float) -> dict[str, Any]:
    """Run one poison in a fresh interpreter; a child past `timeout` is killed."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.poison", "--child", name],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    timer = threading.Timer(timeout, lambda: os.kill(proc.pid, signal.SIGKILL))
    timer.start()
    out, err = proc.communicate()
    timer.cancel()
    if proc.returncode == -signal.SIGKILL:
        return {"killed": True}
    if proc.returncode:
        return {"error": (err.decode(errors="replace").strip().splitlines() or ["?"])[-1]}
    result: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    """Print time and peak memory per poison input; exit 1 when one misses its target."""
    parser = argparse.ArgumentParser(prog="python -m bench.poison")
    parser.add_argument("--quick", action="store_true", help="only the inputs issue 9 names")
    parser.add_argument("--only", nargs="+", choices=sorted(POISONS), metavar="NAME")
    parser.add_argument("--timeout", type=float, default=60.0, help="kill a child after this")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child)
        return 0
    names = args.only or (QUICK if args.quick else list(POISONS))
    print("poison inputs, each cleaned in a fresh process (peak RSS includes the interpreter)")
    header = ("input", "cleaner", "wall s", "cpu s", "peak MB", "base MB")
    print("  {:<22} {:<7} {:>7} {:>7} {:>8} {:>8}  verdict".format(*header))
    missed = []
    for name in names:
        poison = POISONS[name]
        result = measure(name, args.timeout)
        if "killed" in result or "error" in result:
            what = f"killed after {args.timeout:.0f} s" if "killed" in result else result["error"]
            print(f"  {name:<22} {poison.cleaner:<7} {what}", flush=True)
            missed.append(name)
            continue
        seconds, peak = float(result["seconds"]), float(result["peak_mb"])
        failed = any(str(n).startswith("cleaning failed") for n in result["notes"])
        ok = seconds < poison.max_seconds and peak < poison.max_mb and not failed
        if not ok:
            missed.append(name)
        verdict = "ok" if ok else f"OVER (< {poison.max_seconds:.0f} s, < {poison.max_mb:.0f} MB)"
        verdict = "FAILED" if failed else verdict
        notes = "; ".join(str(note) for note in result["notes"])
        print(
            f"  {name:<22} {poison.cleaner:<7} {seconds:7.2f} {float(result['cpu']):7.2f} "
            f"{peak:8.0f} {float(result['base_mb']):8.0f}  {verdict}  {notes}",
            flush=True,
        )
    print(f"  {len(names) - len(missed)}/{len(names)} within target")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
