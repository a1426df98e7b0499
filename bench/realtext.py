"""realtext-dev: 58 real page texts labelled line by line, scored by the set's own scorer.

Prints the figures the quality issue sets targets on, for clean_text and trafilatura side by side:
English-article line F1, documents with junk left, dates and datelines found, listing and
Vietnamese-only pages emptied.

    python -m bench.realtext [--quick] [--show]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from bench.aeb import DATA_DIR

TARGET_F1 = 0.95
TARGET_JUNK_DOCS = 4
TARGET_DATES = 21
TARGET_DATELINES = 0.90
TARGET_LISTING_EMPTY = 13


def load_scorer(data_dir: Path = DATA_DIR) -> ModuleType:
    """The set's own score.py, imported from the shared data."""
    path = data_dir / "realtext-dev" / "score.py"
    if not path.exists():
        raise FileNotFoundError(path)
    spec = importlib.util.spec_from_file_location("realtext_score", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_docs(data_dir: Path = DATA_DIR) -> list[tuple[str, dict[str, Any]]]:
    """(raw text, labels) of every document, in file order."""
    import json

    docs = []
    for path in sorted((data_dir / "realtext-dev" / "docs").glob("[0-9][0-9][0-9].txt")):
        raw = path.read_bytes().decode("utf-8")
        labels = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        docs.append((raw, labels))
    return docs


def score_all(scorer: ModuleType, docs: list, run) -> list[dict[str, Any]]:
    """Score every document with the set's scorer; `run(text)` gives the output dict."""
    rows = []
    for raw, labels in docs:
        out, err = scorer.call(run, raw, 60)
        row = scorer.score_doc(raw, labels, out)
        row.update(error=err, gt_date=labels.get("date"), gt_dateline=labels.get("dateline"))
        rows.append(row)
    return rows


def figures(scorer: ModuleType, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The issue's figures from the scored rows."""
    english = [r for r in rows if r["kind"].startswith("en_")]
    listing = [r for r in rows if r["kind"] == "listing"]
    vi_only = [r for r in rows if r["kind"] == "vi_only"]
    with_date = [r for r in rows if r["gt_date"]]
    with_dateline = [r for r in rows if r["gt_dateline"]]
    overall = scorer.aggregate(rows)
    return {
        "f1": scorer.aggregate(english)["F1"] or 0.0,
        "junk_docs": sum(1 for r in english if r["junk_left"]),
        "english": len(english),
        "english_empty": sum(1 for r in english if r["empty"]),
        "dates": sum(1 for r in with_date if r["date_ok"]),
        "with_date": len(with_date),
        "datelines": sum(1 for r in with_dateline if r["dateline_ok"]),
        "with_dateline": len(with_dateline),
        "dateline_all": overall["dl"] or 0.0,
        "listing_empty": sum(1 for r in listing if r["empty"]),
        "listing": len(listing),
        "vi_empty": sum(1 for r in vi_only if r["empty"]),
        "vi_only": len(vi_only),
    }


def _ours(text: str) -> dict[str, Any]:
    from cleaners import clean_text

    return clean_text(text).to_dict()


def _verdict(ok: bool) -> str:
    return "ok" if ok else "BELOW TARGET"


def _print(name: str, f: dict[str, Any]) -> None:
    print(
        f"    {name:<12} English F1 {f['f1']:.3f}  junk left in {f['junk_docs']}/{f['english']}  "
        f"emptied {f['english_empty']}  dates {f['dates']}/{f['with_date']}  "
        f"datelines {f['datelines']}/{f['with_dateline']} (all docs {f['dateline_all']:.2f})  "
        f"listing empty {f['listing_empty']}/{f['listing']}  vi-only empty "
        f"{f['vi_empty']}/{f['vi_only']}"
    )


def main(argv: list[str] | None = None) -> int:
    """Print the realtext-dev figures of clean_text beside trafilatura's."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.realtext", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="ours only")
    parser.add_argument("--show", action="store_true", help="one line per document")
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="the shared data directory")
    args = parser.parse_args(argv)
    try:
        scorer = load_scorer(args.data)
        docs = load_docs(args.data)
    except FileNotFoundError:
        print(f"realtext: no data at {args.data / 'realtext-dev'}; skipped", file=sys.stderr)
        return 0
    print(f"realtext-dev: {len(docs)} documents")
    rows = score_all(scorer, docs, _ours)
    mine = figures(scorer, rows)
    _print("clean_text", mine)
    if not args.quick:
        run, _ = scorer.trafilatura_runner()
        _print("trafilatura", figures(scorer, score_all(scorer, docs, run)))
    checks = [
        (f"F1 >= {TARGET_F1}", mine["f1"] >= TARGET_F1),
        (f"junk docs <= {TARGET_JUNK_DOCS}", mine["junk_docs"] <= TARGET_JUNK_DOCS),
        ("no English emptied", mine["english_empty"] == 0),
        (f"dates >= {TARGET_DATES}", mine["dates"] >= TARGET_DATES),
        (
            f"datelines >= {TARGET_DATELINES:.0%}",
            mine["datelines"] >= TARGET_DATELINES * mine["with_dateline"],
        ),
        (f"listing empty >= {TARGET_LISTING_EMPTY}", mine["listing_empty"] >= TARGET_LISTING_EMPTY),
        ("all vi-only empty", mine["vi_empty"] == mine["vi_only"]),
    ]
    print("    " + "; ".join(f"{name}: {_verdict(ok)}" for name, ok in checks))
    if args.show:
        for row in rows:
            print(
                f"    {row['id']} {row['kind']:<16} exp={row['n_exp']:>2} tp={row['tp_exp']:>2} "
                f"fp={row['fp_pred']:>2} junk_left={row['junk_left']} "
                f"date={'ok' if row['date_ok'] else 'NO'}({row['date_pred']}) "
                f"dl={'ok' if row['dateline_ok'] else 'NO'}({row['dateline_pred']})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
