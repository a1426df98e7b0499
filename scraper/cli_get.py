"""`newsclean get URL` (placeholder until the fetcher lands)."""

import typer


def get(url: str) -> None:
    """Fetch one page, clean it and print the article."""
    raise typer.Exit(2)
