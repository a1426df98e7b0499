"""Read a page's JSON-LD blocks, tolerating the broken JSON that news sites ship."""

from __future__ import annotations

import contextlib
import html
import json
import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser

# Past this a "JSON-LD block" is not metadata; do not spend time on it.
_MAX_BLOCK = 200_000
_MAX_OBJECTS = 200
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_WRAPPERS = re.compile(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$")
# Last resort for blocks json cannot read: the two fields worth having.
_FIELD = re.compile(r'"(headline|datePublished)"\s*:\s*"((?:[^"\\]|\\.){1,1000})"')


def _load(text: str) -> Any:
    text = _WRAPPERS.sub("", text.strip())
    for candidate in (text, _TRAILING_COMMA.sub(r"\1", text)):
        try:
            return json.loads(candidate, strict=False)
        except (ValueError, RecursionError):
            continue
    fields = {name: value for name, value in _FIELD.findall(text)}
    if not fields:
        return None
    with contextlib.suppress(ValueError):
        fields = {name: json.loads(f'"{value}"', strict=False) for name, value in fields.items()}
    return {"@type": "Article", **fields}


def _flatten(value: Any, out: list[dict[str, Any]], depth: int = 0) -> None:
    """Collect the objects of a block: top-level ones, lists and @graph members."""
    if depth > 4 or len(out) >= _MAX_OBJECTS:
        return
    if isinstance(value, list):
        for item in value:
            _flatten(item, out, depth + 1)
    elif isinstance(value, dict):
        out.append(value)
        if "@graph" in value:
            _flatten(value["@graph"], out, depth + 1)


def jsonld_objects(tree: LexborHTMLParser) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page, in page order; unreadable blocks are skipped."""
    objects: list[dict[str, Any]] = []
    for script in tree.css('script[type="application/ld+json"]'):
        text = script.text(deep=True)
        if text and len(text) <= _MAX_BLOCK:
            _flatten(_load(text), objects)
    return objects


def types_of(obj: dict[str, Any]) -> list[str]:
    """The schema.org types of an object, without any "schema:" or URL prefix."""
    value = obj.get("@type")
    names = value if isinstance(value, list) else [value]
    return [n.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for n in names if isinstance(n, str)]


def text_value(value: Any) -> str | None:
    """A JSON-LD string field as plain text: entities decoded (some sites escape twice)."""
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if not isinstance(value, str):
        return None
    for _ in range(2):
        if "&" not in value:
            break
        value = html.unescape(value)
    value = " ".join(value.split())
    return value or None
