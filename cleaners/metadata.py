"""A page's metadata: headline, publication date and its source, authors, canonical URL, language.

Read from the whole parsed page before any pruning; the tree is never modified. The date the page
declares (JSON-LD, <meta>, <time datetime>) comes first, and a later source that tells the same
day more precisely (the time, the seconds) refines it; the date printed in the article header
overrides it only where it is plainly not the publication's (`_printed_overrides`). Without a
declared date: the header's printed date, the URL's, a date in an element near the headline whose
class names a date. The pipeline then tries the story's date lines, its dateline and htmldate's
guess (`guess_date`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from cleaners.dates import date_from_url, find_dates, normalize_iso, parse_date_text
from cleaners.header_dates import PrintedDate, header_dates, page_top_dates
from cleaners.jsonld import jsonld_objects, text_value, types_of
from cleaners.normalize import nfd

_MAX_NAME = 60  # longer "author names" are sentences or boilerplate
_MAX_DATE_TEXT = 150  # longer "date elements" are containers, not a printed date
_TITLE_SEPARATOR = re.compile(r"(\s+(?:[|–—»·]|-{1,2}|::)\s+)")
_URL_LIKE = re.compile(r"https?:|www\.|\.(?:com|net|org|vn)\b", re.IGNORECASE)
_HOST_NOISE = frozenset({"www", "com", "net", "org", "vn", "co", "gov", "edu", "e", "m", "en"})


@dataclass(frozen=True)
class PageMetadata:
    """What the page says about its article, apart from the body."""

    title: str | None = None
    date: str | None = None
    date_source: str | None = None  # jsonld, meta, time, text or url
    authors: tuple[str, ...] = ()
    canonical_url: str | None = None
    html_lang: str | None = None
    site_name: str | None = None
    # days the site's header prints as its clock: never the article's date, whoever finds them
    site_days: frozenset[str] = frozenset()


@cache
def _vocabulary() -> dict[str, Any]:
    data = resources.files("cleaners").joinpath("data/metadata.toml").read_text(encoding="utf-8")
    return tomllib.loads(data)


def _fold(text: str) -> str:
    """Lower-case letters and digits without diacritics: "Tuổi Trẻ Online" -> "tuoitreonline"."""
    text = nfd(text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text.casefold() if c.isalnum() and c.isascii())


def _clean(text: str | None) -> str | None:
    text = " ".join(text.split()) if text else ""
    return text or None


def _metas(tree: LexborHTMLParser) -> dict[str, str]:
    """The first non-empty content of each <meta> key, keys lower-cased."""
    found: dict[str, str] = {}
    for node in tree.css("meta[content]"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        content = _clean(attrs.get("content"))
        if key and content:
            found.setdefault(key.strip().lower(), content)
    return found


@dataclass(frozen=True)
class _Page:
    """What several extractors share: parsed once per page."""

    tree: LexborHTMLParser
    metas: dict[str, str]
    article: dict[str, Any]
    site_names: tuple[str, ...]  # folded
    host_labels: tuple[str, ...]
    vietnamese: bool
    lang: str | None
    headline: LexborNode | None = None  # the <h1> that holds the title, once it is known

    def is_site_name(self, text: str) -> bool:
        """True when `text` names the site ("Báo Dân trí" on dantri.com.vn), not a person."""
        folded = _fold(text)
        if not folded:
            return False
        names = (*self.site_names, *self.host_labels)
        # A name inside a longer text counts only in a short text ("Báo Dân trí",
        # "VnExpress International"), not in a headline that mentions the site ("The Guardian
        # view on Hong Kong").
        short = len(text.split()) <= 4
        return any(
            folded == name
            or (short and len(name) >= 3 and name in folded)
            or (len(folded) >= 4 and folded in name)
            for name in names
        )


def _article_object(objects: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON-LD object that describes the article (a NewsArticle before a WebPage)."""
    ranks = {name: i for i, name in enumerate(_vocabulary()["article_types"])}
    best, best_rank = {}, len(ranks)
    for obj in objects:
        for name in types_of(obj):
            if ranks.get(name, best_rank) < best_rank:
                best, best_rank = obj, ranks[name]
    return best


def _site_names(metas: dict[str, str], objects: list[dict[str, Any]]) -> list[str]:
    names = [metas[key] for key in _vocabulary()["site_keys"] if key in metas]
    for obj in objects:
        if {"Organization", "NewsMediaOrganization", "WebSite"} & set(types_of(obj)):
            names.append(text_value(obj.get("name")) or "")
        publisher = obj.get("publisher")
        if isinstance(publisher, dict):
            names.append(text_value(publisher.get("name")) or "")
    return [name.lstrip("@") for name in names if name]


def _host_labels(*urls: str | None) -> tuple[str, ...]:
    labels: list[str] = []
    for url in urls:
        host = urlsplit(url).hostname if url else None
        for label in (host or "").split("."):
            if len(label) >= 3 and label not in _HOST_NOISE and label not in labels:
                labels.append(label)
    return tuple(labels)


def _strip_site_name(title: str, page: _Page) -> str:
    """Drop site-name segments at either end: "Headline - Tuổi Trẻ Online" -> "Headline"."""
    parts = _TITLE_SEPARATOR.split(title)
    while len(parts) >= 3 and page.is_site_name(parts[-1]):
        parts = parts[:-2]
    while len(parts) >= 3 and page.is_site_name(parts[0]):
        parts = parts[2:]
    # "Headline | Site" is the common shape even when we cannot tell the site's name.
    if len(parts) == 3 and parts[1].strip() == "|" and len(parts[2]) < len(parts[0]):
        parts = parts[:1]
    return "".join(parts).strip()


def _similar(a: str, b: str) -> bool:
    words_a, words_b = set(a.casefold().split()), set(b.casefold().split())
    if not words_a or not words_b:
        return False
    return len(words_a & words_b) / min(len(words_a), len(words_b)) >= 0.6


def _title(page: _Page) -> tuple[str | None, LexborNode | None]:
    """The headline and its <h1>: the visible <h1> when the metadata agrees it is the headline."""
    declared = [text_value(page.article.get("headline")), text_value(page.article.get("name"))]
    declared += [page.metas.get(key) for key in _vocabulary()["title_keys"]]
    declared_titles = [_strip_site_name(t, page) for t in declared if t]
    title_node = page.tree.css_first("title")
    page_title = _clean(title_node.text()) if title_node else None
    if page_title:
        declared_titles.append(_strip_site_name(page_title, page))
    headings = [
        (text, node)
        for node in page.tree.css("h1")[:5]
        if (text := _clean(node.text(separator=" ")))
    ]
    for text, node in headings:
        if any(_similar(text, t) for t in declared_titles):
            return text, node
    first = headings[0] if headings else (None, None)
    for title in declared_titles:
        if title and not page.is_site_name(title):
            return title, first[1]
    return first


def _in_order(*candidates: tuple[str, str | None]) -> tuple[str | None, str | None]:
    """The first date found, refined by a later one that tells the same moment more precisely."""
    chosen: tuple[str | None, str | None] = (None, None)
    for source, value in candidates:
        if value is None:
            continue
        current = chosen[0]
        if current is None:
            chosen = (value, source)
        elif len(current) == 10 and value.startswith(current) and len(value) > 10:
            chosen = (value, source)  # the day, now with its time
        elif (
            current[:16] == value[:16]
            and current[16:19] == ":00"
            and value[16:19] != ":00"
            and current[19:] == value[19:]
        ):
            chosen = (value, source)  # the minute, now with its seconds
    return chosen


def _near_headline(page: _Page, selector: str) -> list[LexborNode]:
    """Nodes matching `selector` in the headline's surroundings, nearest first, then <article>."""
    scopes: list[LexborNode] = []
    heading = page.headline
    node = heading.parent if heading is not None else None
    while node is not None and node.tag not in ("body", "html", None) and len(scopes) < 4:
        scopes.append(node)
        node = node.parent
    scopes += [n for n in (page.tree.css_first("article"), page.tree.css_first("main")) if n]
    seen: set[int] = set()
    found: list[LexborNode] = []
    for scope in scopes:
        for match in scope.css(selector):
            key = match.mem_id
            if key not in seen:
                seen.add(key)
                found.append(match)
    return found


def _time_element_date(page: _Page, offset: str | None) -> str | None:
    for node in _near_headline(page, "time") or page.tree.css("time"):
        value = node.attributes.get("datetime")
        parsed = normalize_iso(value, default_offset=offset) if value else None
        if parsed is None and not value:
            parsed = parse_date_text(
                node.text()[:_MAX_DATE_TEXT], default_offset=offset, day_first=page.vietnamese
            )
        if parsed:
            return parsed
    return None


def _day_first(page: _Page) -> bool:
    """Whether "03/08/2021" is the 3rd of August: everywhere but on US English pages."""
    return page.vietnamese or not (page.lang or "").startswith("en-us")


def _text_date(page: _Page, offset: str | None) -> str | None:
    day_first = _day_first(page)
    for node in _near_headline(page, _vocabulary()["date_selector"]):
        text = node.text(separator=" ")
        if len(text) <= _MAX_DATE_TEXT:
            parsed = parse_date_text(text, default_offset=offset, day_first=day_first)
            if parsed:
                return parsed
    return None


def _structured_date(page: _Page, offset: str | None) -> tuple[str | None, str | None]:
    """The publication date the page declares: JSON-LD, then <meta>, then <time datetime>."""
    from_jsonld = normalize_iso(page.article.get("datePublished") or "", default_offset=offset)
    meta_value = next((page.metas[k] for k in _vocabulary()["date_keys"] if k in page.metas), None)
    if meta_value is None:
        node = page.tree.css_first('[itemprop="datePublished"]')
        if node is not None:
            meta_value = node.attributes.get("content") or node.attributes.get("datetime")
    from_meta = normalize_iso(meta_value, default_offset=offset) if meta_value else None
    return _in_order(
        ("jsonld", from_jsonld), ("meta", from_meta), ("time", _time_element_date(page, offset))
    )


def _modified_date(page: _Page, offset: str | None) -> str | None:
    value = page.article.get("dateModified")
    if not isinstance(value, str):
        value = next((page.metas[k] for k in _vocabulary()["modified_keys"] if k in page.metas), "")
    return normalize_iso(value, default_offset=offset) if value else None


def _header_choice(printed: list[PrintedDate]) -> PrintedDate | None:
    """The header's date: after the headline the first, before it the nearest; a date labelled
    as the publication before an unlabelled one, and an update's date last."""
    after = [p for p in printed if p.after_headline]
    before = [p for p in reversed(printed) if not p.after_headline]
    for group in (after, before):
        for label in ("published", "", "updated"):
            chosen = next((p for p in group if p.label == label), None)
            if chosen is not None:
                return chosen
    return None


def _printed_overrides(
    printed: PrintedDate, declared: str, page: _Page, offset: str | None
) -> bool:
    """Whether the header's printed date beats the declared one.

    Only where the declared date is plainly not the publication's: the header labels another
    day as "Published" (more than a day away, so that a time zone's shift does not count), or
    the declared publication is the same instant as the last modification (the page's last
    export, as some site builders stamp) and the header prints an earlier day. An "Updated"
    date never wins: it is not the publication date, whatever the page shows first.
    """
    if printed.label == "updated":
        return False
    printed_day, declared_day = printed.value[:10], declared[:10]
    if printed_day == declared_day:
        return False
    gap = abs(date.fromisoformat(printed_day) - date.fromisoformat(declared_day))
    if gap <= timedelta(days=1):
        return False  # a time zone's shift of the same moment
    if printed.label == "published":
        return True
    modified = _modified_date(page, offset)
    return modified is not None and modified[:16] == declared[:16] and printed_day < declared_day


# The site's clock is short; a longer node holding a date is a container, not a clock.
_MAX_CLOCK_TEXT = 300


def _site_days(page: _Page) -> frozenset[str]:
    """The days of the site's clock: printed at the very top of the page, or in its header."""
    days = set(page_top_dates(page.tree.body, page.headline))
    for node in page.tree.css(_vocabulary()["site_clock_selector"])[:_MAX_CLOCK_NODES]:
        if node.css_first("h1, h2") is not None or _in_article(node):
            continue  # the article's own header
        text = node.text(separator=" ")
        if len(text) <= _MAX_CLOCK_TEXT * 10:
            sample = " ".join(text.split())[:_MAX_CLOCK_TEXT]
            days.update(value[:10] for _, _, value in find_dates(sample, default_offset=None))
    return frozenset(days)


_MAX_CLOCK_NODES = 8


def _in_article(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in ("article", "main"):
            return True
        parent = parent.parent
    return False


def _date(
    page: _Page, url: str | None, offset: str | None
) -> tuple[str | None, str | None, frozenset[str]]:
    """The date, its source, and the days of the site's clock when they had to be read."""
    value, source = _structured_date(page, offset)
    printed = header_dates(page.headline, day_first=_day_first(page), default_offset=offset)
    printed = [p for p in printed if p.label != "today"]
    choice = _header_choice(printed)
    if value is not None:
        if choice is not None and _printed_overrides(choice, value, page, offset):
            return choice.value, "text", frozenset()
        local_day = _url_local_day(value, url)
        if local_day is not None:
            return local_day, "url", frozenset()
        if len(value) == 10:  # the day alone: a printed time of the same day refines it
            value, source = _in_order((source or "", value), ("text", _text_date(page, offset)))
        return value, source, frozenset()
    site_days = _site_days(page)  # read only for pages that declare no date
    if choice is not None and choice.label != "updated":
        return choice.value, "text", site_days
    from_url = date_from_url(url) if url else None
    if from_url:
        return from_url, "url", site_days
    if choice is not None:
        return choice.value, "text", site_days
    from_text = _text_date(page, offset)
    return (from_text, "text", site_days) if from_text else (None, None, site_days)


_UTC_SUFFIXES = ("+00:00", "Z")


def _url_local_day(declared: str, url: str | None) -> str | None:
    """The URL's day when the declared instant is in UTC and the URL names the day before: the
    story went out in the evening of a site west of Greenwich, after midnight in UTC."""
    if len(declared) <= 10 or not declared.endswith(_UTC_SUFFIXES) or not url:
        return None
    from_url = date_from_url(url)
    if from_url is None:
        return None
    day_before = date.fromisoformat(declared[:10]) - timedelta(days=1)
    return from_url if from_url == day_before.isoformat() else None


# htmldate rejects dates after this one; a fixed day keeps the output free of the clock.
_LATEST_DATE = datetime(2099, 12, 31)
# htmldate parses the page again: its guess reads only the page's start, where a date sits (on
# WCXB the first 100,000 characters found one page fewer than the first 200,000, in 80% of the
# time, and the same as the whole pages at a seventh of the mean time).
DATE_GUESS_CHARS = 100_000


def guess_date(
    html: str, url: str | None = None, *, site_days: frozenset[str] = frozenset()
) -> str | None:
    """htmldate's reading of the page's markup and text: the fallback for a page with no date.

    Its fast search with `original_date` (the publication, not the last update). Its extensive
    search, as trafilatura runs it, found 2 more days on WCXB's 658 dated articles but costs
    four times as much (a full-text search on pages that have no date), which the time budget
    of clean_html does not allow. A guess of 1 January is the copyright year, not a day, and a
    day the site's clock prints (`site_days`) is the day the page was served: both are dropped.
    """
    if not isinstance(html, str) or not html:
        return None
    html = html[:DATE_GUESS_CHARS]
    if html.startswith("http"):
        # htmldate downloads a string that starts like a URL and holds no space: the library
        # never touches the network, so it is never handed one
        html = " " + html
    try:
        from htmldate import find_date  # imported here: only pages without a date need it

        found = find_date(
            html, url=url, extensive_search=False, original_date=True, max_date=_LATEST_DATE
        )
    except Exception:  # a page htmldate cannot read simply has no guess
        return None
    if not found or found.endswith("-01-01") or found[:10] in site_days:
        return None
    return normalize_iso(found, default_offset=None)


_LABEL_BY = re.compile(r"^(?:[^\W\d_]+\s+){1,3}by\s+(?=\w)", re.IGNORECASE)


def _split_names(text: str) -> list[str]:
    text = " ".join(text.split())  # the pattern rescans a run of spaces from each of its spaces
    return [p for p in re.split(r"\s*(?:[;|]|\s+and\s+|\s+và\s+|&)\s*", text) if p]


def _author_name(raw: str, page: _Page) -> str | None:
    name = _clean(raw) or ""
    lowered = name.casefold()
    for prefix in _vocabulary()["author_prefixes"]:
        if lowered.startswith(prefix):
            name = name[len(prefix) :].strip()
            break
    else:  # "Analysis by Chris Cillizza", "Story and photos by Lê Hoàng"
        name = _LABEL_BY.sub("", name, count=1)
    # "Jill Disis, CNN Business", "TOM KRISHER, AP Auto Writer": keep the person, drop the
    # outlet and the job title
    first, *rest = (part.strip() for part in name.split(","))
    rest = [part for part in rest if part and not page.is_site_name(part) and not _is_role(part)]
    name = ", ".join(part for part in [first, *rest] if part and not page.is_site_name(part))
    name = name.strip(" ,.-–—:")
    if not name or len(name) > _MAX_NAME or len(name.split()) > 6:
        return None
    if any(c.isdigit() for c in name) or _URL_LIKE.search(name) or page.is_site_name(name):
        return None
    return None if _is_prose(name) else name


def _is_prose(name: str) -> bool:
    """A bio line, not a name: capitalised words mixed with lower-case ones that are not name
    particles ("publisher of The Space Review", but "Ludwig van Beethoven" is a name)."""
    words = name.split()
    particles = _vocabulary()["name_particles"]
    capitalised = any(w[:1].isupper() for w in words)
    return capitalised and any(w[:1].islower() and len(w) > 2 and w not in particles for w in words)


def _is_role(part: str) -> bool:
    """Whether a byline part after a comma is a job title or a wire service, not a name."""
    roles = _vocabulary()["author_role_words"]
    return any(word in roles for word in re.findall(r"\w+", part.casefold()))


def _jsonld_author_names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict) and "Organization" not in types_of(item):
            names.extend(_split_names(text_value(item.get("name")) or ""))
        elif isinstance(item, str):
            names.extend(_split_names(item))
    return names


def _authors(page: _Page) -> tuple[str, ...]:
    sources: list[Callable[[], list[str]]] = [
        lambda: _jsonld_author_names(page.article.get("author")),
        lambda: [
            name
            for key in _vocabulary()["author_keys"]
            if key in page.metas
            for name in _split_names(page.metas[key])
        ],
        lambda: [
            name
            for node in _near_headline(page, _vocabulary()["byline_selector"])[:10]
            for name in _split_names(node.text(separator=" "))
        ],
    ]
    for source in sources:
        names: list[str] = []
        for raw in source():
            name = _author_name(raw, page)
            if name and name.casefold() not in (n.casefold() for n in names):
                names.append(name)
        if names:
            return tuple(names[:10])
    return ()


def _canonical(tree: LexborHTMLParser, metas: dict[str, str], url: str | None) -> str | None:
    node = tree.css_first('link[rel="canonical"][href]')
    href = _clean(node.attributes.get("href")) if node else None
    href = href or metas.get("og:url")
    if not href:
        return None
    absolute = urljoin(url, href) if url else href
    return absolute if absolute.startswith(("http://", "https://")) else None


def _html_lang(tree: LexborHTMLParser, metas: dict[str, str]) -> str | None:
    root = tree.css_first("html")
    lang = root.attributes.get("lang") if root is not None else None
    lang = lang or metas.get("content-language") or metas.get("og:locale")
    lang = (lang or "").strip().replace("_", "-").lower()
    return lang or None


def _extract(
    tree: LexborHTMLParser,
    url: str | None,
    offset: str | None,
    objects: list[dict[str, Any]] | None,
) -> PageMetadata:
    metas = _metas(tree)
    objects = jsonld_objects(tree) if objects is None else objects
    canonical = _canonical(tree, metas, url)
    lang = _html_lang(tree, metas)
    host = urlsplit(url or canonical or "").hostname or ""
    site_names = _site_names(metas, objects)
    page = _Page(
        tree=tree,
        metas=metas,
        article=_article_object(objects),
        site_names=tuple(s for s in (_fold(n) for n in site_names) if s),
        host_labels=_host_labels(url, canonical),
        vietnamese=(lang or "").startswith("vi") or host.endswith(".vn"),
        lang=lang,
    )
    title, headline = _title(page)
    page = replace(page, headline=headline)
    date, date_source, site_days = _date(page, url or canonical, offset)
    return PageMetadata(
        title=title,
        date=date,
        date_source=date_source,
        authors=_authors(page),
        canonical_url=canonical,
        html_lang=lang,
        site_name=site_names[0] if site_names else None,
        site_days=site_days,
    )


def extract_metadata(
    tree: LexborHTMLParser,
    url: str | None = None,
    *,
    default_offset: str | None = "+07:00",
    jsonld: list[dict[str, Any]] | None = None,
) -> PageMetadata:
    """Title, date and its source, authors, canonical URL, language and site name of a page
    (`jsonld`: the page's JSON-LD objects when the caller has read them already)."""
    try:
        return _extract(tree, url, default_offset, jsonld)
    except Exception:  # a page's odd markup must never cost the caller its article
        return PageMetadata()
