"""How commands print an article (JSON, text, Markdown) and fail in one line: shared by the CLI."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from scraper.exit_codes import ExitCode

if TYPE_CHECKING:
    from cleaners import Article


class OutputFormat(StrEnum):
    """How a command prints the article."""

    json = "json"
    text = "text"
    markdown = "markdown"


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="How to print the article.")
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write the article here, not stdout.")
]

LanguageOption = Annotated[
    str,
    typer.Option(
        help='The language to keep: an ISO 639-1 code ("en", the default), or "auto" for each '
        "page's own.",
    ),
]


def language_to_keep(option: str) -> str | None:
    """The cleaner's `language` argument for a `--language` value ("auto" is None); a value
    that is neither an ISO 639-1 code nor "auto" is a one-line usage error (exit 2)."""
    from cleaners.language_option import language_to_keep as check

    try:
        return check(option)
    except ValueError as error:
        fail(f"--language: {error}", ExitCode.USAGE)


def render(article: Article, format: OutputFormat) -> str:
    """The article as one JSON line, plain text or Markdown, ending with a newline."""
    if format is OutputFormat.json:
        import json

        return json.dumps(article.to_dict(), ensure_ascii=False) + "\n"
    if format is OutputFormat.text:
        parts = [article.title, article.text] if article.title else [article.text]
        return "\n\n".join(parts) + "\n"
    return article.to_markdown()


def emit(article: Article, format: OutputFormat, output: Path | None) -> None:
    """Print the rendered article to stdout, or write it to `output`."""
    rendered = render(article, format)
    if output is None:
        sys.stdout.write(rendered)
    else:
        write_file(output, rendered.encode("utf-8"))


def write_file(path: Path, data: bytes) -> None:
    """Write `data` to `path`; a failure is a one-line usage error."""
    try:
        path.write_bytes(data)
    except OSError as error:
        fail(f"cannot write {path}: {error.strerror or error}", ExitCode.USAGE)


def crawl_database(db: Path | None, config: Path | None) -> Path:
    """The crawl's SQLite file: `--db`, else the one `--config` names; a missing file or a bad
    configuration is one line and exit 78."""
    from scraper.crawl.config import ConfigError, load_config

    if db is None:
        try:
            db = load_config(config).crawl.db
        except ConfigError as error:
            fail(str(error), ExitCode.CONFIG)
    if not db.is_file():
        fail(f"no crawl database at {db} (run `newsclean crawl` or pass --db)", ExitCode.CONFIG)
    return db


def fail(message: str, code: int) -> NoReturn:
    """Say `message` on stderr in one line (user info in URLs redacted) and exit with `code`."""
    from scraper.redact import redact

    sys.stderr.write(f"newsclean: {redact(message)}\n")
    raise typer.Exit(int(code))
