"""`newsclean clean` and `newsclean explain` (filled in with the cleaning library)."""

import typer


def clean(path: str = typer.Argument("-")) -> None:
    """Clean a saved page or text and print the article."""
    raise typer.Exit(2)


def explain(path: str) -> None:
    """Show what was kept and removed, and why."""
    raise typer.Exit(2)
