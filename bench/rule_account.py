"""Per-rule account: for each removal reason, on each development set, what it cost and gained.

Cost is ground-truth body text the reason removed and the output lacks; gain is removed text that
is not body. On HTML sets both are counted in AEB shingles (runs of 4 words); on realtext-dev in
labelled lines. `not_main_text` is the body the extraction left out that no rule claims. A
reason whose cost exceeds its gain on any set is flagged: it must be rewritten or dropped.

    python -m bench.rule_account [--sets aeb,wcxb,realtext] [--show REASON]
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench import aeb, realtext, wcxb
from bench.parallel import map_pages

Removals = list[tuple[str, str]]
Account = dict[str, list[int]]  # reason -> [cost, gain, pages touched]


def _clean_page(html: bytes, url: str) -> tuple[str, Removals]:
    from cleaners import clean_html

    article = clean_html(html, url)
    return article.text, [(r.reason, r.text) for r in article.removed]


def account_html(pages: Iterable[tuple[str, str, str, Removals]], examples: dict) -> Account:
    """Account of (page id, output, truth, removals), in shingles."""
    totals: Account = defaultdict(lambda: [0, 0, 0])
    for page_id, output, truth, removed in pages:
        true = aeb.shingles(truth)
        missing = true - aeb.shingles(output)
        claimed: Counter[tuple[str, ...]] = Counter()
        for reason, text in removed:
            mine = aeb.shingles(text)
            cost_set = mine & (missing - claimed)
            cost = sum(cost_set.values())
            claimed += cost_set
            gain = sum((mine - true).values())
            entry = totals[reason]
            entry[0] += cost
            entry[1] += gain
            entry[2] += 1
            if cost > gain:
                examples.setdefault(reason, []).append((page_id, cost, gain, text[:200]))
        rest = sum((missing - claimed).values())
        if rest:
            entry = totals["not_main_text"]
            entry[0] += rest
            entry[2] += 1
    return totals


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def account_text(data_dir: Path, examples: dict) -> Account:
    """realtext-dev account, in labelled lines: body lines removed vs junk lines removed."""
    from cleaners import clean_text

    totals: Account = defaultdict(lambda: [0, 0, 0])
    for raw, labels in realtext.load_docs(data_dir):
        lines = raw.split("\n")
        body = {_norm(lines[i]) for i in labels.get("body_lines", [])}
        junk = {_norm(lines[i]) for i in labels.get("junk_lines", [])}
        article = clean_text(raw)
        kept = {_norm(p) for p in article.paragraphs}
        for removal in article.removed:
            text = _norm(removal.text)
            entry = totals[removal.reason]
            if text in body and text not in kept:
                entry[0] += 1
                examples.setdefault(removal.reason, []).append((labels["id"], 1, 0, text[:200]))
            elif text in junk:
                entry[1] += 1
            entry[2] += 1
    return totals


def _cell(entry: list[int] | None) -> str:
    if not entry:
        return f"{'':>15}"
    flag = "!" if entry[0] > entry[1] else " "
    return f"{entry[0]:>6}/{entry[1]:<7}{flag}"


def main(argv: list[str] | None = None) -> int:
    """Print the account table: cost/gain of each reason on each set."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.rule_account", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--data", type=Path, default=aeb.DATA_DIR)
    parser.add_argument("--show", help="print the costly removals of this reason")
    parser.add_argument("--quick", action="store_true", help="(same as the full run)")
    args = parser.parse_args(argv)
    accounts: dict[str, Account] = {}
    examples: dict[str, dict[str, list[Any]]] = {}
    try:
        pages = [p for p in aeb.load_pages(args.data) if p.english]
        results = map_pages(_clean_page, [(p.html, p.url) for p in pages])
        examples["aeb"] = {}
        triples = [
            (p.id[:12], *(r or ("", []))[:1], p.truth, (r or ("", []))[1])
            for p, r in zip(pages, results, strict=True)
        ]
        accounts["aeb"] = account_html(triples, examples["aeb"])
    except FileNotFoundError:
        print("rule account: no AEB data; skipped", file=sys.stderr)
    try:
        pages_w = wcxb.load_pages(args.data)
        results = map_pages(_clean_page, [(p.html, p.url) for p in pages_w])
        for name, kinds in (("wcxb-art", {"article"}), ("wcxb-non", {"listing", "collection"})):
            chosen = [(p, r) for p, r in zip(pages_w, results, strict=True) if p.kind in kinds]
            examples[name] = {}
            triples = [
                (
                    p.id,
                    (r or ("", []))[0],
                    p.truth if p.kind == "article" else "",
                    (r or ("", []))[1],
                )
                for p, r in chosen
            ]
            accounts[name] = account_html(triples, examples[name])
    except FileNotFoundError:
        print("rule account: no WCXB data; skipped", file=sys.stderr)
    try:
        examples["realtext"] = {}
        accounts["realtext"] = account_text(args.data, examples["realtext"])
    except FileNotFoundError:
        print("rule account: no realtext data; skipped", file=sys.stderr)
    reasons = sorted({r for account in accounts.values() for r in account})
    print(
        "cost/gain per removal reason (shingles on HTML sets, lines on realtext); ! = cost > gain"
    )
    print(f"{'reason':<18}" + "".join(f"{name:>15}" for name in accounts))
    flagged = []
    for reason in reasons:
        cells = [accounts[name].get(reason) for name in accounts]
        print(f"{reason:<18}" + "".join(_cell(c) for c in cells))
        if reason != "not_main_text" and any(c and c[0] > c[1] for c in cells):
            flagged.append(reason)
    print(f"reasons costing more than they gain somewhere: {', '.join(flagged) or 'none'}")
    if args.show:
        for name, by_reason in examples.items():
            for page, cost, gain, text in sorted(by_reason.get(args.show, []), key=lambda e: -e[1])[
                :15
            ]:
                print(f"  {name} {page} cost {cost} gain {gain}: {text!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
