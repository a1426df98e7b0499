"""The dates a page prints in its article header, just after (or just before) the headline.

"By Jane Doe Updated on June 18, 2025", "Nutrition March 1, 2024 <h1>", "Published July 8, 2025":
the visible text around the <h1> is read in document order, skipping scripts, styles and the
site's own chrome (nav, the site header, footers), so that a header's "today" above the menu and
the dates of related stories further down are out of reach.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from selectolax.lexbor import LexborNode

from cleaners.dates import find_dates

# The article header is short: past this much text after the headline the story has begun.
_AFTER_CHARS = 400
# Before the headline only a kicker, a breadcrumb or a date line can stand.
_BEFORE_CHARS = 200
# A header's date follows a name or a label on its line; after more words it is in a sentence.
_MAX_WORDS_BEFORE = 5
# Text nodes between a date above the headline and the headline: more are a menu's items.
_MAX_NODES_BETWEEN = 5
# The top of a page, where a site prints its clock above the menu.
_TOP_CHARS = 150
# How far before a date its label ("Updated on", "Published:") is looked for.
_LABEL_CHARS = 40
_INVISIBLE = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "-comment"})
_INVISIBLE_SELECTOR = "script, style, noscript, template, svg, iframe"
# the site's chrome beside the article header: never the article's own date
_CHROME = frozenset({"nav", "header", "footer", "aside", "menu", "form", "button", "select"})
# what lexbor puts between text nodes, to tell them apart (a page's text never holds it)
_NODE_BREAK = "\x1f"
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
# text nodes read from one sibling at most (white space between tags makes many empty ones)
_MAX_NODES = 400
_MAX_SIBLINGS = 2_000  # elements looked at around a headline for its date line
_CHROME_ROLES = frozenset({"banner", "navigation", "contentinfo", "complementary", "search"})


@dataclass(frozen=True)
class PrintedDate:
    """A date printed in the article header, with the label before it."""

    value: str  # the contract's ISO form
    label: str  # "published", "updated", "today" or ""
    after_headline: bool


@cache
def _vocabulary() -> dict[str, Any]:
    data = resources.files("cleaners").joinpath("data/metadata.toml").read_text(encoding="utf-8")
    labels: dict[str, Any] = tomllib.loads(data)["printed_date_labels"]
    return labels


@cache
def _label_patterns() -> dict[str, re.Pattern[str]]:
    labels = _vocabulary()
    return {
        kind: re.compile(
            rf"(?<!\w)(?:{'|'.join(re.escape(w) for w in words)})\W*(?:on|at|lúc|ngày)?\W*$",
            re.IGNORECASE,
        )
        for kind, words in labels.items()
    }


def _label(prefix: str) -> str:
    for kind, pattern in _label_patterns().items():
        if pattern.search(prefix):
            return kind
    return ""


def _is_chrome(node: LexborNode) -> bool:
    if node.tag in _CHROME:
        return True
    role = (node.attributes.get("role") or "").lower() if node.tag != "-text" else ""
    return role in _CHROME_ROLES


def _text_nodes(node: LexborNode, budget: int, *, forward: bool, chrome: bool = False) -> list[str]:
    """The texts of the visible text nodes under `node`, in document order: about `budget`
    characters of them from its start (`forward`) or from its end; the site's chrome too if
    `chrome`."""
    if node.tag in _INVISIBLE or (not chrome and _is_chrome(node)):
        return []
    if node.tag == "-text":
        return [node.text_content or ""]
    if node.css_first(_INVISIBLE_SELECTOR) is None:
        return _within(node.text(separator=_NODE_BREAK).split(_NODE_BREAK), budget, forward)
    texts: list[str] = []
    size = 0
    child = node.child if forward else node.last_child
    while child is not None and size < budget:
        found = _text_nodes(child, budget - size, forward=forward, chrome=chrome)
        texts += found if forward else reversed(found)
        size += sum(len(text.strip()) for text in found)
        child = child.next if forward else child.prev
    return texts if forward else texts[::-1]


def _within(texts: list[str], budget: int, forward: bool) -> list[str]:
    """The texts at the start (or the end) of `texts` that hold `budget` visible characters."""
    size = 0
    kept = 0
    for text in texts if forward else reversed(texts):
        if size >= budget or kept >= _MAX_NODES:
            break
        size += len(text.strip())
        kept += 1
    return texts[:kept] if forward else texts[len(texts) - kept :]


@dataclass
class _Window:
    """Visible text with its white space folded as `find_dates` folds it (so that positions
    agree), and where each of its text nodes starts."""

    text: str = ""
    starts: list[int] = field(default_factory=list)

    def add(self, piece: str) -> None:
        piece = _SPACES.sub(" ", piece)
        if not self.text or self.text.endswith(" "):
            piece = piece.lstrip(" ")
        elif piece[:1].isalnum():
            # adjacent tags render apart ("<b>Published</b><time>May 3"), but not before
            # punctuation ("<b>June 18</b>, 2025")
            piece = " " + piece
        if piece.strip():
            self.starts.append(len(self.text) + (piece[0] == " "))
        self.text += piece

    def nodes_after(self, position: int) -> int:
        """How many text nodes follow the one holding `position`."""
        return len(self.starts) - bisect_right(self.starts, position)

    def node_start(self, position: int) -> int:
        """Where the text node holding `position` starts."""
        return self.starts[bisect_right(self.starts, position) - 1] if self.starts else 0


def _window(headline: LexborNode, budget: int, *, forward: bool) -> _Window:
    """Visible text after (or before) `headline` in document order, up to about `budget` chars."""
    blocks: list[list[str]] = []
    size = 0
    visited = 0  # empty siblings add no text: without a count, 400,000 of them are all walked
    node: LexborNode | None = headline
    while node is not None and node.tag not in ("body", "html") and size < budget:
        sibling = node.next if forward else node.prev
        while sibling is not None and size < budget and visited < _MAX_SIBLINGS:
            visited += 1
            texts = _text_nodes(sibling, budget - size, forward=forward)
            size += sum(len(text.strip()) for text in texts)
            blocks.append(texts)
            sibling = sibling.next if forward else sibling.prev
        node = node.parent
    window = _Window()
    for texts in blocks if forward else reversed(blocks):
        window.add(" ")  # siblings are apart, whatever the markup
        for text in texts:
            window.add(text)
    if not forward and len(window.text) > budget:  # keep the end, nearest the headline
        cut = len(window.text) - budget
        window = _Window(window.text[cut:], [max(0, s - cut) for s in window.starts])
    return window


def header_dates(
    headline: LexborNode | None, *, day_first: bool, default_offset: str | None
) -> list[PrintedDate]:
    """Dates printed right after the headline, in order, then those right before it."""
    if headline is None:
        return []
    found: list[PrintedDate] = []
    for forward, budget in ((True, _AFTER_CHARS), (False, _BEFORE_CHARS)):
        window = _window(headline, budget, forward=forward)
        text = window.text
        for start, _, value in find_dates(text, default_offset=default_offset, day_first=day_first):
            if len(_WORD.findall(text[window.node_start(start) : start])) > _MAX_WORDS_BEFORE:
                continue  # a date inside a sentence of the story: an event, not the header's
            if not forward and window.nodes_after(start) > _MAX_NODES_BETWEEN:
                continue  # a menu stands between it and the headline: the site's clock
            label = _label(text[max(0, start - _LABEL_CHARS) : start])
            found.append(PrintedDate(value, label, forward))
    return found


def page_top_dates(body: LexborNode | None, headline: LexborNode | None) -> list[str]:
    """The days printed in the first characters a reader sees, above the headline: where a
    site's clock stands. Nothing when the headline is itself at the top, or unknown."""
    if body is None or headline is None:
        return []  # without a headline the top of the page may be the article's own header
    texts = _text_nodes(body, _TOP_CHARS, forward=True, chrome=True)
    text = " ".join(" ".join(texts).split())[:_TOP_CHARS]
    title = " ".join(headline.text().split())[:30]
    if not title or title in text:
        return []
    return [value[:10] for _, _, value in find_dates(text, default_offset=None)]
