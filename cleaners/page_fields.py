"""The page's descriptive fields beyond the contract's: description, main image, tags, section,
site name and modification date, read from JSON-LD first, then Open Graph and <meta> tags.

Read from the parsed page before any pruning (the <head> goes then); the tree is never modified.
"""

from __future__ import annotations

import html
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, replace
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
    # where each field found was read: ("image", "jsonld"), ("tags", "meta article:tag"), …
    sources: tuple[tuple[str, str], ...] = ()

    def as_article_fields(self) -> dict[str, Any]:
        """The keyword arguments of `Article` these fields fill."""
        return {
            "description": self.description,
            "image": self.image,
            "tags": self.tags,
            "section": self.section,
            "site_name": self.site_name,
            "date_modified": self.date_modified,
            "field_sources": self.sources,
        }


@cache
def _keys() -> dict[str, Any]:
    """page_fields.toml, with the article types, modification and site-name keys of
    metadata.toml (one list each for the whole cleaner)."""
    data = resources.files("cleaners").joinpath("data")
    own = tomllib.loads(data.joinpath("page_fields.toml").read_text(encoding="utf-8"))
    shared = tomllib.loads(data.joinpath("metadata.toml").read_text(encoding="utf-8"))
    return {
        **own,
        "article_types": shared["article_types"],
        "modified_keys": shared["modified_keys"],
        "site_name_keys": shared["site_keys"],
    }


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


def _site_name(
    metas: dict[str, list[str]], objects: list[dict[str, Any]]
) -> tuple[str | None, str | None]:
    """The site's name with where it was read."""
    name, source = _from_metas(metas, _keys()["site_name_keys"])
    if name and name.lstrip("@"):
        return name.lstrip("@"), source
    for obj in objects:
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and (found := text_value(publisher.get("name"))):
            return found, "jsonld"
    for obj in objects:
        is_site = {"WebSite", "NewsMediaOrganization"} & set(types_of(obj))
        if is_site and (found := text_value(obj.get("name"))):
            return found, "jsonld"
    return None, None


def _from_metas(metas: dict[str, list[str]], keys: Iterable[str]) -> tuple[str | None, str | None]:
    """The first value of the first key present, with `meta KEY` as its source."""
    key = next((key for key in keys if key in metas), None)
    return (metas[key][0], f"meta {key}") if key else (None, None)


def _read(
    tree: LexborHTMLParser,
    url: str | None,
    offset: str | None,
    objects: list[dict[str, Any]] | None,
) -> PageFields:
    keys = _keys()
    metas = _metas(tree)
    objects = jsonld_objects(tree) if objects is None else objects
    article = _article(objects)
    sources: dict[str, str | None] = {}

    def pick(name: str, declared: str | None, meta_keys: str) -> str | None:
        if declared:
            sources[name] = "jsonld"
            return declared
        value, sources[name] = _from_metas(metas, keys[meta_keys])
        return value

    description = pick("description", text_value(article.get("description")), "description_keys")
    image = _absolute(_jsonld_image(article.get("image")), url)
    if image:
        sources["image"] = "jsonld"
    else:
        found, sources["image"] = _from_metas(metas, keys["image_keys"])
        image = _absolute(found, url)
    tag_values = _jsonld_strings(article.get("keywords"))
    tag_sources = ["jsonld"] if tag_values else []
    for key in keys["tag_keys"]:
        if key in metas:
            tag_values += metas[key]
            tag_sources.append(f"meta {key}")
    sources["tags"] = ", ".join(tag_sources)
    section = pick("section", text_value(article.get("articleSection")), "section_keys")
    declared = article.get("dateModified")
    declared = declared if isinstance(declared, str) else None
    modified = pick("date_modified", declared, "modified_keys")
    site_name, sources["site_name"] = _site_name(metas, objects)
    fields = PageFields(
        description=_one_line(description),
        image=image,
        tags=_split_tags(tag_values),
        section=_one_line(section),
        site_name=_one_line(site_name),
        date_modified=normalize_iso(modified, default_offset=offset) if modified else None,
    )
    values = fields.as_article_fields()  # sources only for the fields that were found
    return replace(
        fields,
        sources=tuple(
            (name, source) for name, source in sources.items() if source and values.get(name)
        ),
    )


def read_page_fields(
    tree: LexborHTMLParser,
    url: str | None = None,
    *,
    default_offset: str | None = None,
    jsonld: list[dict[str, Any]] | None = None,
) -> PageFields:
    """Description, main image, tags, section, site name and modification date of a page
    (`jsonld`: the page's JSON-LD objects when the caller has read them already)."""
    try:
        return _read(tree, url, default_offset, jsonld)
    except Exception:  # odd markup never costs the caller its article
        return PageFields()
