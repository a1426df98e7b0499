"""The page's descriptive fields beyond the contract's: description, main image, tags, section,
site name and modification date, read from JSON-LD first, then Open Graph and <meta> tags.

Read from the parsed page before any pruning (the <head> goes then); the tree is never modified.
"""

from __future__ import annotations

import html
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from cleaners.dates import normalize_iso
from cleaners.jsonld import jsonld_objects, text_value, types_of

_MAX_FIELD = 1_000  # longer "descriptions" or "section names" are not metadata
_MAX_TAGS = 50
_MAX_TAG = 100


@dataclass(frozen=True)
class PageFields:
    """What the page declares about itself besides headline, date and bylines."""

    description: str | None = None
    image: str | None = None
    tags: tuple[str, ...] = ()
    section: str | None = None
    site_name: str | None = None
    date_modified: str | None = None

    def as_article_fields(self) -> dict[str, Any]:
        """The keyword arguments of `Article` these fields fill."""
        return {
            "description": self.description,
            "image": self.image,
            "tags": self.tags,
            "section": self.section,
            "site_name": self.site_name,
            "date_modified": self.date_modified,
        }


@cache
def _keys() -> dict[str, Any]:
    data = resources.files("cleaners").joinpath("data/page_fields.toml").read_text(encoding="utf-8")
    return tomllib.loads(data)


def _one_line(value: str | None, limit: int = _MAX_FIELD) -> str | None:
    text = " ".join(value.split()) if value else ""
    return text[:limit] or None


def _metas(tree: LexborHTMLParser) -> dict[str, list[str]]:
    """Every non-empty content of each <meta> key (lower-cased), in page order."""
    found: dict[str, list[str]] = {}
    for node in tree.css("meta[content]"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        content = _one_line(attrs.get("content"))
        if key and content:
            found.setdefault(key.strip().lower(), []).append(content)
    return found


def _first(metas: dict[str, list[str]], keys: Iterable[str]) -> str | None:
    return next((metas[key][0] for key in keys if key in metas), None)


def _article(objects: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON-LD object that describes the article: a NewsArticle before a WebPage."""
    ranks = {name: i for i, name in enumerate(_keys()["article_types"])}
    best: dict[str, Any] = {}
    best_rank = len(ranks)
    for obj in objects:
        rank = min((ranks.get(name, len(ranks)) for name in types_of(obj)), default=len(ranks))
        if rank < best_rank:
            best, best_rank = obj, rank
    return best


def _jsonld_image(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl")
    return value if isinstance(value, str) else None


def _absolute(url: str | None, base: str | None) -> str | None:
    """`url` made absolute against the page's; only http(s) URLs are kept."""
    if not url:
        return None
    url = html.unescape(url.strip())  # some sites escape the "&" of a query twice
    if base:
        try:
            url = urljoin(base, url)
        except ValueError:
            return None
    return url if urlsplit(url).scheme in {"http", "https"} else None


def _split_tags(values: Iterable[str]) -> tuple[str, ...]:
    """Tags in first-seen order, split at commas (keywords="a, b"), duplicates folded."""
    tags: list[str] = []
    seen: set[str] = set()
    for value in values:
        for part in value.split(","):
            tag = _one_line(part, _MAX_TAG)
            if tag and tag.casefold() not in seen:
                seen.add(tag.casefold())
                tags.append(tag)
            if len(tags) >= _MAX_TAGS:
                return tuple(tags)
    return tuple(tags)


def _jsonld_strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value if (text := text_value(item))]
    return []


def _site_name(metas: dict[str, list[str]], objects: list[dict[str, Any]]) -> str | None:
    name = _first(metas, _keys()["site_name_keys"])
    if name:
        return name.lstrip("@") or None
    for obj in objects:
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and (found := text_value(publisher.get("name"))):
            return found
    for obj in objects:
        is_site = {"WebSite", "NewsMediaOrganization"} & set(types_of(obj))
        if is_site and (found := text_value(obj.get("name"))):
            return found
    return None


def _read(tree: LexborHTMLParser, url: str | None, offset: str | None) -> PageFields:
    keys = _keys()
    metas = _metas(tree)
    objects = jsonld_objects(tree)
    article = _article(objects)

    description = text_value(article.get("description")) or _first(metas, keys["description_keys"])
    image = _absolute(_jsonld_image(article.get("image")), url) or _absolute(
        _first(metas, keys["image_keys"]), url
    )
    tag_values = _jsonld_strings(article.get("keywords"))
    for key in keys["tag_keys"]:
        tag_values += metas.get(key, [])
    section = text_value(article.get("articleSection")) or _first(metas, keys["section_keys"])
    modified = article.get("dateModified")
    if not isinstance(modified, str):
        modified = _first(metas, keys["modified_keys"])
    return PageFields(
        description=_one_line(description),
        image=image,
        tags=_split_tags(tag_values),
        section=_one_line(section),
        site_name=_one_line(_site_name(metas, objects)),
        date_modified=normalize_iso(modified, default_offset=offset) if modified else None,
    )


def read_page_fields(
    tree: LexborHTMLParser, url: str | None = None, *, default_offset: str | None = None
) -> PageFields:
    """Description, main image, tags, section, site name and modification date of a page."""
    try:
        return _read(tree, url, default_offset)
    except Exception:  # odd markup never costs the caller its article
        return PageFields()
