"""The `explain` view: every block of a page in page order, kept or removed and why, coloured in
a terminal and fitted to its width."""

from __future__ import annotations

import shutil

from rich.console import Console
from rich.text import Text

from cleaners import Article
from cleaners.reasons import Reason

_LABEL = 16  # columns of the "kept" / reason label before each block
_MIN_WIDTH = 40  # narrower terminals still get this much


def metadata_rows(article: Article) -> list[tuple[str, str | None, str | None]]:
    """(field, value, where it came from) for each metadata field, in the order shown."""
    sources = dict(article.field_sources)
    date = article.date
    return [
        ("title", article.title, "headline: JSON-LD, meta tags or <h1>"),
        ("url", article.url, "canonical link, else the URL given"),
        ("date", date, article.date_source),
        ("date_modified", article.date_modified, sources.get("date_modified")),
        ("dateline", article.dateline, "the story's opening line" if article.dateline else None),
        ("authors", ", ".join(article.authors) or None, "bylines: JSON-LD, meta or the page"),
        ("language", article.language, "the kept body" if article.text else "the page"),
        ("description", article.description, sources.get("description")),
        ("image", article.image, sources.get("image")),
        ("tags", ", ".join(article.tags) or None, sources.get("tags")),
        ("section", article.section, sources.get("section")),
        ("site_name", article.site_name, sources.get("site_name")),
    ]


def block_counts(article: Article) -> tuple[int, int, int]:
    """Blocks kept, removed by a rule, and left out by the main-text extraction."""
    kept = sum(1 for reason, _ in article.trace if reason is None)
    left_out = sum(1 for reason, _ in article.trace if reason == Reason.NOT_MAIN_TEXT)
    return kept, len(article.trace) - kept - left_out, left_out


def summary_line(article: Article) -> str:
    """ "9 blocks kept, 14 removed", and how many the main-text extraction left out."""
    kept, removed, left_out = block_counts(article)
    line = f"{kept} blocks kept, {removed} removed"
    if left_out:
        line += f", {left_out} not in the main text ({Reason.NOT_MAIN_TEXT})"
    return line


def terminal_width() -> int:
    """The terminal's width in columns (COLUMNS, else the terminal, else 80)."""
    return max(_MIN_WIDTH, shutil.get_terminal_size().columns)


def print_explanation(article: Article, console: Console | None = None) -> None:
    """Print the article's metadata, then each block in page order with `kept` or the rule that
    removed it, one line each, cut to the terminal's width."""
    width = terminal_width()
    console = console or Console(highlight=False, width=width, soft_wrap=False)
    for label, value, source in metadata_rows(article):
        if value is None and label not in {"title", "url", "date", "language"}:
            continue
        line = Text.assemble((f"{label:>13} ", "bold"), value or "-")
        if value and source:
            line.append(f"  ({source})", style="dim")
        line.truncate(width, overflow="ellipsis")
        console.print(line, no_wrap=True, overflow="ellipsis", crop=True)
    for note in article.notes:
        line = Text.assemble(("         note ", "bold yellow"), note)
        line.truncate(width, overflow="ellipsis")
        console.print(line, no_wrap=True, overflow="ellipsis", crop=True)
    console.print()
    line = Text(summary_line(article), style="bold")
    line.truncate(width, overflow="ellipsis")
    console.print(line, no_wrap=True, overflow="ellipsis", crop=True)
    for reason, text in article.trace:
        if reason is None:
            line = Text.assemble((f"  {'kept':<{_LABEL - 2}}", "bold green"), text)
        elif reason == Reason.NOT_MAIN_TEXT:
            line = Text.assemble((f"~ {reason:<{_LABEL - 2}}", "yellow"), (text, "dim"))
        else:
            line = Text.assemble((f"- {reason:<{_LABEL - 2}}", "red"), (text, "dim"))
        line.truncate(width, overflow="ellipsis")
        console.print(line, no_wrap=True, overflow="ellipsis", crop=True)
