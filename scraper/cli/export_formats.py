"""The formats of `newsclean export`: JSON Lines as stored, CSV with fixed columns, Markdown."""

from __future__ import annotations

import csv
import json
from enum import StrEnum
from typing import Any, TextIO


class ExportFormat(StrEnum):
    """How `export` prints the stored articles."""

    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"


# The CSV's columns, always these in this order whatever the rows hold: the contract's keys
# (`paragraphs` and `removed` left out: `text` holds the first, the JSON the second), the
# extras, then where the row came from. Lists are joined with LIST_SEPARATOR.
CSV_COLUMNS = (
    "url",
    "title",
    "date",
    "date_source",
    "dateline",
    "authors",
    "language",
    "description",
    "image",
    "tags",
    "section",
    "site_name",
    "date_modified",
    "source",
    "fetched_at",
    "notes",
    "text",
)
LIST_SEPARATOR = "; "
MARKDOWN_SEPARATOR = "\n---\n\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(item) for item in value)
    return str(value)


def _article(line: str) -> dict[str, Any]:
    try:
        data = json.loads(line)
    except ValueError:
        return {"notes": ["stored JSON unreadable"], "text": line}
    return data if isinstance(data, dict) else {"text": line}


class ExportWriter:
    """Writes stored JSON lines to `out` in one format: `write` each line, then `close`."""

    def __init__(self, out: TextIO, format: ExportFormat) -> None:
        self.out = out
        self.format = format
        self.count = 0
        self._csv = csv.writer(out, lineterminator="\n") if format is ExportFormat.csv else None
        if self._csv is not None:
            self._csv.writerow(CSV_COLUMNS)

    def write(self, line: str) -> None:
        """Write one stored article (its JSON line)."""
        if self.format is ExportFormat.jsonl:
            self.out.write(line + "\n")
        elif self._csv is not None:
            data = _article(line)
            self._csv.writerow([_cell(data.get(column)) for column in CSV_COLUMNS])
        else:
            from cleaners import Article

            if self.count:
                self.out.write(MARKDOWN_SEPARATOR)
            self.out.write(Article.from_dict(_article(line)).to_markdown())
        self.count += 1
