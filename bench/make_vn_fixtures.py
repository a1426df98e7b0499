"""Regenerate fixtures/vn/: real Vietnamese pages made small (no scripts, styles or svg), gzip'd.

python -m bench.make_vn_fixtures
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "data" / "vn-pages"
OUT = ROOT / "fixtures" / "vn"
DROP_TAGS = "script, style, svg, noscript, iframe, link[rel=stylesheet], template"
LIST_PAGES = ["vnexpress_list", "tuoitre_list", "dantri_list"]


def shrink(raw: bytes) -> bytes:
    """The page without its scripts, styles and inline drawings; structure and text kept."""
    tree = LexborHTMLParser(raw.decode("utf-8", "replace"))
    for node in tree.css(DROP_TAGS):
        node.decompose()
    for node in tree.css("[style]"):
        del node.attrs["style"]
    # mtime=0 keeps the .gz byte-identical across runs.
    return gzip.compress((tree.html or "").encode("utf-8"), compresslevel=9, mtime=0)


def main() -> int:
    """Copy the article pages and a few listing pages, with the expected.json entries."""
    if not SOURCE.is_dir():
        print(f"make_vn_fixtures: no data at {SOURCE}", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    expected = json.loads((SOURCE / "expected.json").read_text(encoding="utf-8"))
    articles = [e for e in expected if "_article" in e["file"]]
    names = [e["file"] for e in articles] + [f"{n}.html.gz" for n in LIST_PAGES]
    for name in names:
        raw = gzip.decompress((SOURCE / name).read_bytes())
        (OUT / name).write_bytes(shrink(raw))
    text = json.dumps(articles, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
    (OUT / "expected.json").write_text(text, encoding="utf-8")
    (OUT / "LICENSE").write_bytes((SOURCE / "LICENSE").read_bytes())
    print(f"wrote {len(names)} pages to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
