"""The data model: blocks of a page, what was removed and why, and the resulting Article."""

from __future__ import annotations

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


@dataclass(frozen=True)
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
    # every block in page order with the rule that removed it (None: kept); for `explain`
    trace: tuple[tuple[str | None, str], ...] = field(default=(), repr=False, compare=False)

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
        }
