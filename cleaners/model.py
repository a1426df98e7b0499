"""The data model: blocks of a page, what was removed and why, and the resulting Article."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Block:
    """One paragraph-sized unit of text, with what its source said about it."""

    text: str
    kind: str = "p"  # p, heading, li, caption, quote, table: the element it came from
    link_density: float = 0.0  # share of the text that sits inside links (HTML only)


@dataclass(frozen=True)
class Removal:
    """A block that a rule dropped, with the rule's short name as reason."""

    reason: str
    text: str

    def to_dict(self) -> dict[str, str]:
        """Return the JSON-safe form used in `Article.removed`."""
        return {"reason": self.reason, "text": self.text}


_LIST_NUMBER = re.compile(r"(\d{1,9})[.)](?:\s|$)")
_REPR_TITLE = 60  # characters of the title a repr shows


@dataclass(frozen=True, repr=False)
class Article:
    """The cleaned article: the kept body, its metadata and every removed block."""

    text: str = ""
    paragraphs: tuple[str, ...] = ()
    url: str | None = None
    title: str | None = None
    date: str | None = None
    date_source: str | None = None
    dateline: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    removed: tuple[Removal, ...] = ()
    notes: tuple[str, ...] = field(default=())
    description: str | None = None
    image: str | None = None  # the main image's absolute URL
    tags: tuple[str, ...] = ()
    section: str | None = None
    site_name: str | None = None
    date_modified: str | None = None
    # every block in page order with the rule that removed it (None: kept); for `explain`
    trace: tuple[tuple[str | None, str], ...] = field(default=(), repr=False, compare=False)
    # where the descriptive fields were read ("image", "jsonld"); for `explain`, not in to_dict
    field_sources: tuple[tuple[str, str], ...] = field(default=(), repr=False, compare=False)

    @property
    def has_body(self) -> bool:
        """True when some body text was kept."""
        return bool(self.text)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-safe dict of the public schema (docs/contract.md)."""
        return {
            "url": self.url,
            "title": self.title,
            "text": self.text,
            "paragraphs": list(self.paragraphs),
            "date": self.date,
            "date_source": self.date_source,
            "dateline": self.dateline,
            "authors": list(self.authors),
            "language": self.language,
            "removed": [r.to_dict() for r in self.removed],
            "notes": list(self.notes),
            "description": self.description,
            "image": self.image,
            "tags": list(self.tags),
            "section": self.section,
            "site_name": self.site_name,
            "date_modified": self.date_modified,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """The Article of a `to_dict()` (a stored JSON line); unknown keys are ignored."""
        known = set(cls.__dataclass_fields__) - {"trace", "field_sources"}
        values: dict[str, Any] = {}
        for name, value in data.items():
            if name not in known or value is None:
                continue
            if name == "removed":
                value = tuple(
                    Removal(str(item.get("reason", "")), str(item.get("text", "")))
                    for item in value
                    if isinstance(item, dict)
                )
            elif isinstance(value, list):
                value = tuple(str(item) for item in value)
            values[name] = value
        return cls(**values)

    def __repr__(self) -> str:
        """A one-line summary: title, date, language and the body's size, never the text."""
        title = self.title
        if title and len(title) > _REPR_TITLE:
            title = title[: _REPR_TITLE - 1] + "…"
        words = sum(len(paragraph.split()) for paragraph in self.paragraphs)
        return (
            f"Article(title={title!r}, date={self.date!r}, language={self.language!r},"
            f" paragraphs={len(self.paragraphs)}, words={words})"
        )

    def to_markdown(self) -> str:
        """The article as Markdown: `# title`, an italic line of date, dateline, authors and
        URL, then the paragraphs; ends with a newline."""
        meta = [self.date, self.dateline, ", ".join(self.authors), self.url]
        line = " · ".join(_markdown_escape(item) for item in meta if item)
        parts = [f"# {_markdown_escape(self.title or 'Untitled')}"]
        if line:
            parts.append(f"*{line}*")
        parts.extend(_markdown_paragraph(text) for text in self.paragraphs)
        return "\n\n".join(parts) + "\n"


def _markdown_escape(text: str) -> str:
    """`text` on one line with Markdown's emphasis and link characters escaped."""
    text = " ".join(text.split())
    for char in "\\*_[]`":
        text = text.replace(char, "\\" + char)
    return text


def _markdown_paragraph(text: str) -> str:
    """A body paragraph that cannot turn into a heading, list or quote by its first character."""
    text = _markdown_escape(text)
    if text[:1] in {"#", ">", "-", "+", "|", "="}:
        return "\\" + text
    number = _LIST_NUMBER.match(text)
    if number:  # "1. " would open a numbered list
        return f"{number.group(1)}\\{text[number.end(1) :]}"
    return text
