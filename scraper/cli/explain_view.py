"""The `explain` view: every block of a page, kept or removed and why, coloured in a terminal."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from cleaners import Article

_WIDTH = 160  # characters of a block shown; the JSON output has the whole text


def print_explanation(article: Article, console: Console | None = None) -> None:
    """Print the article's metadata, then each block with `kept` or the rule that removed it."""
    console = console or Console(highlight=False, soft_wrap=True)
    for label, value in (
        ("title", article.title),
        ("url", article.url),
        ("date", f"{article.date} ({article.date_source})" if article.date else None),
        ("dateline", article.dateline),
        ("authors", ", ".join(article.authors) or None),
        ("language", article.language),
    ):
        console.print(Text.assemble((f"{label:>9} ", "bold"), value or "-"))
    for note in article.notes:
        console.print(Text.assemble(("     note ", "bold yellow"), note))
    kept = sum(1 for reason, _ in article.trace if reason is None)
    console.print(Text(f"\n{kept} blocks kept, {len(article.trace) - kept} removed", style="bold"))
    for reason, text in article.trace:
        shown = text if len(text) <= _WIDTH else text[: _WIDTH - 1] + "…"
        if reason is None:
            console.print(Text.assemble(("  kept          ", "bold green"), shown))
        else:
            console.print(Text.assemble((f"- {reason:<13} ", "red"), (shown, "dim")))
