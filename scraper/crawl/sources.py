"""Discovery: RSS/Atom feeds and sitemaps (plain, index, Google News) to candidate article URLs.

Pure parsing, no network: bytes in, `Discovery` out. XML is parsed by defusedxml, which refuses
entity declarations and external references, so a billion-laughs feed is a `DiscoveryError`
rather than a hang. A source's kind is sniffed from its root element, so a sitemap listed among
the feeds (or the reverse) still works.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin
from xml.etree.ElementTree import Element, ParseError
from zoneinfo import ZoneInfo

import defusedxml.ElementTree as safe_et
from defusedxml import DefusedXmlException

MAX_XML_BYTES = 50_000_000  # the sitemap protocol's own limit, uncompressed
_DTD_DANGER = re.compile(rb"<!ENTITY|<!DOCTYPE[^>]*\[", re.IGNORECASE)


class DiscoveryError(Exception):
    """A feed or sitemap that cannot be read safely; the error belongs to that source only."""


@dataclass(frozen=True)
class Candidate:
    """A URL announced by a feed or sitemap, with what the announcement said about it."""

    url: str
    title: str | None = None
    date: str | None = None  # ISO 8601, in the site's zone when the source gave no offset
    date_source: str | None = None  # "feed" or "sitemap"
    language: str | None = None  # ISO 639-1, lower case


@dataclass(frozen=True)
class Discovery:
    """What one feed or sitemap yielded: article candidates and child sitemaps to read next."""

    kind: str  # "feed", "sitemap" or "sitemapindex"
    candidates: tuple[Candidate, ...] = ()
    sitemaps: tuple[str, ...] = ()
    lastmods: tuple[float | None, ...] = ()  # each child sitemap's <lastmod>, epoch seconds


def parse_source(content: bytes, base_url: str, *, timezone: str = "Asia/Ho_Chi_Minh") -> Discovery:
    """Parse a feed or sitemap (gzip'd or not); raise `DiscoveryError` if unsafe or not XML."""
    content = _gunzip(content)
    if _DTD_DANGER.search(content[:65536]):
        raise DiscoveryError("XML declares entities or an internal DTD; refused")
    try:
        root = safe_et.fromstring(content)
    except DefusedXmlException as exc:
        raise DiscoveryError(f"unsafe XML refused: {type(exc).__name__}") from None
    except ParseError:
        root = None  # feedparser reads many broken feeds; let it try
    zone = ZoneInfo(timezone)
    if root is not None and _local(root.tag) in ("urlset", "sitemapindex"):
        return _parse_sitemap(root, base_url, zone)
    return _parse_feed(content, base_url, zone)


def _parse_sitemap(root: Element, base_url: str, zone: tzinfo) -> Discovery:
    kind = _local(root.tag)
    if kind == "sitemapindex":
        children = [
            (_join(base_url, loc), _epoch(_child_text(el, "lastmod"), zone))
            for el in root
            if _local(el.tag) == "sitemap" and (loc := _child_text(el, "loc"))
        ]
        return Discovery(
            kind,
            sitemaps=tuple(url for url, _ in children),
            lastmods=tuple(when for _, when in children),
        )
    found = []
    for el in root:
        if _local(el.tag) != "url" or not (loc := _child_text(el, "loc")):
            continue
        news = _child(el, "news")
        title = language = when = None
        if news is not None:
            title = _child_text(news, "title")
            when = _iso_date(_child_text(news, "publication_date"), zone)
            publication = _child(news, "publication")
            if publication is not None:
                language = _language(_child_text(publication, "language"))
        found.append(
            Candidate(
                url=_join(base_url, loc),
                title=title,
                date=when,
                date_source="sitemap" if when else None,
                language=language,
            )
        )
    return Discovery(kind, candidates=tuple(found))


def _parse_feed(content: bytes, base_url: str, zone: tzinfo) -> Discovery:
    import feedparser  # slow to import; only the crawl needs it

    # Bytes, never a URL: feedparser fetches URLs itself, and the crawl owns every request.
    parsed = feedparser.parse(content, response_headers={"content-location": base_url})
    if not parsed.entries and parsed.get("bozo") and not parsed.get("feed"):
        raise DiscoveryError(f"not a feed or sitemap: {parsed.get('bozo_exception')}")
    feed_language = _language(parsed.feed.get("language"))
    found = []
    for entry in parsed.entries:
        link = entry.get("link")
        url = _join(base_url, link) if link else ""
        if not url.lower().startswith(("http://", "https://")):
            continue
        raw_date = entry.get("published") or entry.get("updated")
        when = _feed_date(raw_date, zone)
        found.append(
            Candidate(
                url=url,
                title=(entry.get("title") or "").strip() or None,
                date=when,
                date_source="feed" if when else None,
                language=_language(entry.get("language")) or feed_language,
            )
        )
    return Discovery("feed", candidates=tuple(found))


def _join(base_url: str, link: str) -> str:
    """`link` made absolute against `base_url`; a link too broken to join is kept as written,
    for the crawl to refuse as `invalid_url` (one bad entry never spoils its whole source)."""
    try:
        return urljoin(base_url, link)
    except ValueError:
        return link


def _epoch(text: str | None, zone: tzinfo) -> float | None:
    iso = _iso_date(text, zone)
    if iso is None:
        return None
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).timestamp()


def _gunzip(content: bytes) -> bytes:
    if not content.startswith(b"\x1f\x8b"):
        return content
    inflater = zlib.decompressobj(wbits=31)
    try:
        data = inflater.decompress(content, MAX_XML_BYTES)
    except zlib.error as exc:
        raise DiscoveryError(f"broken gzip: {exc}") from None
    if inflater.unconsumed_tail:
        raise DiscoveryError(f"gzip'd source larger than {MAX_XML_BYTES} bytes; refused")
    return data


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(el: Element, name: str) -> Element | None:
    return next((c for c in el if _local(c.tag) == name), None)


def _child_text(el: Element, name: str) -> str | None:
    child = _child(el, name)
    text = (child.text or "").strip() if child is not None else ""
    return text or None


def _language(code: str | None) -> str | None:
    if not code:
        return None
    primary = re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]
    return primary or None


def _iso_date(text: str | None, zone: tzinfo) -> str | None:
    """W3C datetime (sitemaps, Atom) to ISO 8601: the day alone, or the time with an offset."""
    if not text:
        return None
    text = text.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return _with_zone(moment, zone)


def _feed_date(text: str | None, zone: tzinfo) -> str | None:
    """RSS dates are RFC 822; Atom ones are W3C. Try both."""
    if not text:
        return None
    try:
        return _with_zone(parsedate_to_datetime(text), zone)
    except (TypeError, ValueError, IndexError):
        return _iso_date(text, zone)


def _with_zone(moment: datetime, zone: tzinfo) -> str:
    # A naive time is the site's local time; an aware one is shown in the site's zone, so the day
    # matches what the site printed.
    moment = moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)
    return moment.isoformat(timespec="seconds")
