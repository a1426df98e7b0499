"""WCXB development split: article quality, dates, titles and the listing verdict.

Articles (790 with English text) are scored with AEB's shingle F1 against `main_content`, the day of
`date` against `publish_date` and the title against the labelled title. Listing and collection
pages hold no article: the share that come out with an empty body is their score.

    python -m bench.wcxb            # ours and trafilatura, quality and median time per page
    python -m bench.wcxb --quick    # ours only, no timing
    python -m bench.wcxb --quick --dump DIR   # each page's output beside its truth
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.aeb import DATA_DIR, PageScore, Score, median_ms, score_page, summarize
from bench.parallel import map_pages

TARGET_F1_MARGIN = 0.01  # F1 at least trafilatura's + 0.01
TARGET_RECALL_GAP = 0.01  # recall no more than 0.01 below trafilatura's
TARGET_DAY = 0.90
TARGET_TITLE = 0.86
TARGET_EMPTY_NON_ARTICLE = 0.90
TARGET_ARTICLES_EMPTIED = 0.01


@dataclass(frozen=True)
class Page:
    """One WCXB page with its labels."""

    id: str
    html: bytes
    url: str
    kind: str  # article, listing, collection
    truth: str
    title: str | None
    day: str | None


@dataclass(frozen=True)
class Output:
    """What an extractor gave for one page."""

    text: str
    date: str | None
    title: str | None
    notes: tuple[str, ...] = ()


Extractor = Callable[[bytes, str], Output]


def load_pages(data_dir: Path = DATA_DIR) -> list[Page]:
    """All pages of the split in id order; raise FileNotFoundError when the data is absent."""
    root = data_dir / "wcxb-dev"
    index = json.loads((root / "index.json").read_text(encoding="utf-8"))["pages"]
    pages = []
    for page_id in sorted(index):
        label = json.loads((root / "ground-truth" / f"{page_id}.json").read_text("utf-8"))
        truth = label.get("ground_truth") or {}
        pages.append(
            Page(
                id=page_id,
                html=gzip.decompress((root / "html" / f"{page_id}.html.gz").read_bytes()),
                url=index[page_id].get("url") or label.get("url") or "",
                kind=index[page_id]["page_type"],
                truth=truth.get("main_content") or "",
                title=truth.get("title"),
                day=(truth.get("publish_date") or "")[:10] or None,
            )
        )
    return pages


def english_articles(pages: list[Page]) -> list[Page]:
    """The article pages whose labelled text is English (790 of 791)."""
    from cleaners.language import detect_language

    return [p for p in pages if p.kind == "article" and detect_language(p.truth[:3000]) == "en"]


def ours(html: bytes, url: str) -> Output:
    """clean_html with its defaults (English filter)."""
    from cleaners import clean_html

    article = clean_html(html, url)
    return Output(article.text, article.date, article.title, article.notes)


def trafilatura_output(html: bytes, url: str) -> Output:
    """trafilatura.bare_extraction with its defaults and metadata: text, date, title."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if doc is None or isinstance(doc, dict):  # a dict only when asked for one
        return Output("", None, None)
    return Output(doc.text or "", doc.date, doc.title)


def trafilatura_extract(html: bytes, url: str) -> str:
    """trafilatura.extract with every setting at its default: the timing reference."""
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


def clean_html_text(html: bytes, url: str) -> str:
    """clean_html's text, for timing."""
    from cleaners import clean_html

    return clean_html(html, url).text


_NON_WORD = re.compile(r"[\W_]+")


def title_key(title: str | None) -> str:
    """A title compared without case, punctuation or accents' composition."""
    text = unicodedata.normalize("NFKC", title or "").casefold()
    return " ".join(_NON_WORD.sub(" ", text).split())


@dataclass(frozen=True)
class ArticleScores:
    """Article-page figures of one extractor."""

    shingles: Score
    per_page: list[PageScore]
    day: float
    title: float
    emptied: int
    listing_verdicts: int


def score_articles(pages: list[Page], outputs: dict[str, Output]) -> ArticleScores:
    """Shingle F1, day accuracy, title accuracy, and how many came out empty."""
    per_page = [score_page(p.id, outputs[p.id].text, p.truth) for p in pages]
    with_day = [p for p in pages if p.day]
    days = sum(1 for p in with_day if (outputs[p.id].date or "")[:10] == p.day)
    with_title = [p for p in pages if p.title]
    titles = sum(1 for p in with_title if title_key(outputs[p.id].title) == title_key(p.title))
    emptied = sum(1 for p in pages if not outputs[p.id].text.strip())
    listing = sum(1 for p in pages if any(n.startswith("listing") for n in outputs[p.id].notes))
    return ArticleScores(
        summarize(per_page),
        per_page,
        days / len(with_day) if with_day else 0.0,
        titles / len(with_title) if with_title else 0.0,
        emptied,
        listing,
    )


def empty_share(pages: list[Page], outputs: dict[str, Output]) -> float:
    """Share of pages whose body came out empty."""
    return sum(1 for p in pages if not outputs[p.id].text.strip()) / max(1, len(pages))


def run(pages: list[Page], extractor: Extractor, processes: int | None = None) -> dict[str, Output]:
    """Extract every page (over a process pool); a crash counts as an empty output."""
    results = map_pages(extractor, [(p.html, p.url) for p in pages], processes)
    return {
        p.id: r if r is not None else Output("", None, None)
        for p, r in zip(pages, results, strict=True)
    }


def dump(directory: Path, pages: list[Page], outputs: dict[str, Output]) -> None:
    """Write <id>.out.txt and <id>.truth.txt for each page, with date and title on top."""
    directory.mkdir(parents=True, exist_ok=True)
    for page in pages:
        out = outputs[page.id]
        head = f"# {page.kind} {page.url}\n# date {out.date} (truth {page.day})\n"
        head += f"# title {out.title!r}\n#  truth {page.title!r}\n# notes {list(out.notes)}\n\n"
        (directory / f"{page.id}.out.txt").write_text(head + out.text, encoding="utf-8")
        (directory / f"{page.id}.truth.txt").write_text(page.truth, encoding="utf-8")


def _verdict(ok: bool) -> str:
    return "ok" if ok else "BELOW TARGET"


def _line(name: str, scores: ArticleScores) -> str:
    s = scores.shingles
    return (
        f"    {name:<12} F1 {s.f1:.4f}  P {s.precision:.4f}  R {s.recall:.4f}  "
        f"day {scores.day:.3f}  title {scores.title:.3f}  empty {scores.emptied}"
    )


def main(argv: list[str] | None = None) -> int:
    """Print the WCXB figures of clean_html beside trafilatura's."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.wcxb", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="ours only, no timing")
    parser.add_argument("--dump", type=Path, help="write <id>.out.txt and <id>.truth.txt here")
    parser.add_argument("--worst", type=int, default=10, help="how many worst articles to list")
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="the shared data directory")
    args = parser.parse_args(argv)
    try:
        pages = load_pages(args.data)
    except FileNotFoundError:
        print(f"wcxb: no data at {args.data / 'wcxb-dev'}; skipped", file=sys.stderr)
        return 0
    articles = english_articles(pages)
    others = [p for p in pages if p.kind != "article"]
    print(
        f"WCXB dev: {len(articles)} English article pages, {len(others)} listing/collection pages"
    )

    mine = run(pages, ours)
    my_scores = score_articles(articles, mine)
    print("  article pages:")
    print(_line("clean_html", my_scores))
    my_empty = empty_share(others, mine)
    if args.dump:
        dump(args.dump, pages, mine)
        print(f"  dumped outputs and truths to {args.dump}")
    if not args.quick:
        theirs = run(pages, trafilatura_output)
        their_scores = score_articles(articles, theirs)
        print(_line("trafilatura", their_scores))
        s, t = my_scores.shingles, their_scores.shingles
        print(
            f"    target F1 >= {t.f1 + TARGET_F1_MARGIN:.4f}: {_verdict(s.f1 >= t.f1 + 0.01)}; "
            f"recall >= {t.recall - TARGET_RECALL_GAP:.4f}: "
            f"{_verdict(s.recall >= t.recall - TARGET_RECALL_GAP)}"
        )
    print(
        f"    day >= {TARGET_DAY}: {_verdict(my_scores.day >= TARGET_DAY)}; "
        f"title >= {TARGET_TITLE}: {_verdict(my_scores.title >= TARGET_TITLE)}"
    )
    emptied_share = my_scores.listing_verdicts / max(1, len(articles))
    print(
        f"    articles emptied by the listing verdict: {my_scores.listing_verdicts} "
        f"({emptied_share:.1%}) target <= {TARGET_ARTICLES_EMPTIED:.0%}: "
        f"{_verdict(emptied_share <= TARGET_ARTICLES_EMPTIED)}"
    )
    print("  listing and collection pages with an empty body (the right answer):")
    line = f"    clean_html   {my_empty:.3f}"
    if not args.quick:
        line += f"   trafilatura {empty_share(others, theirs):.3f}"
    print(
        line + f"   target >= {TARGET_EMPTY_NON_ARTICLE}: "
        f"{_verdict(my_empty >= TARGET_EMPTY_NON_ARTICLE)}"
    )
    ranked = sorted(my_scores.per_page, key=lambda s: (s.f1, s.id))[: args.worst]
    urls = {p.id: p.url for p in pages}
    print(f"  worst {args.worst} articles:")
    for item in ranked:
        print(f"    {item.id}  P {item.precision:.3f}  R {item.recall:.3f}  {urls[item.id][:70]}")
    if args.quick:
        return 0
    ours_ms, theirs_ms = median_ms(articles + others, [clean_html_text, trafilatura_extract])
    ratio = ours_ms / theirs_ms if theirs_ms else float("inf")
    print(
        f"  median ms/page over {len(pages)} pages: clean_html {ours_ms:.1f}  "
        f"trafilatura.extract {theirs_ms:.1f} (defaults)  ratio {ratio:.2f}x  "
        f"target <= 1.0x: {_verdict(ratio <= 1.0)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
