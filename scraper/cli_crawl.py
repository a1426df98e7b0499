"""`newsclean crawl` and `newsclean export` (placeholders until the crawler lands)."""

import typer


def crawl() -> None:
    """Discover new articles of the configured sites and store them."""
    raise typer.Exit(2)


def export() -> None:
    """Print the stored articles as JSON Lines."""
    raise typer.Exit(2)
