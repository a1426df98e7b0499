"""The pipeline: fronts turn input into blocks, the rules keep the body, metadata completes it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from cleaners import rules
from cleaners.dateline import find_dateline, split_date_prefix
from cleaners.model import Article, Block, Removal
from cleaners.normalize import (
    MAX_HTML_CHARS,
    MAX_TEXT_CHARS,
    normalize_html,
    normalize_text,
    to_str,
)
from cleaners.vocabulary import heading_key

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser

    from cleaners.metadata import PageMetadata


@dataclass(frozen=True)
class Body:
    """The kept paragraphs of a page with what the rules removed, and the languages seen."""

    paragraphs: tuple[str, ...]
    removed: tuple[Removal, ...]
    language: str | None
    notes: tuple[str, ...]
    trace: tuple[tuple[str | None, str], ...] = ()


def clean_blocks(
    blocks: list[Block], language: str | None = "en", *, links_known: bool = False
) -> Body:
    """Run the block rules on `blocks`, keeping the body in `language` (None: the page's own)."""
    indexed: rules.Indexed = list(enumerate(blocks))
    removed: rules.Removed = []
    notes: list[str] = []

    indexed, dropped = rules.drop_duplicates(indexed)
    removed += dropped
    indexed, dropped = rules.drop_furniture_lines(indexed)
    removed += dropped
    indexed, dropped = rules.drop_junk_sections(indexed, language)
    removed += dropped
    indexed, dropped = rules.drop_trailing_headlines(indexed)
    removed += dropped

    verdicts = rules.quick_verdicts(indexed)
    page_language = rules.main_language(indexed, verdicts)
    target = language or page_language
    if target:
        verdicts = rules.refine_verdicts(indexed, verdicts, target)
        indexed, dropped = rules.drop_other_languages(indexed, verdicts, target)
        removed += dropped
    if language is None and target is not None:
        # a junk heading's run is only known to be foreign once the page's language is
        indexed, dropped = rules.drop_junk_sections(indexed, target)
        removed += dropped

    indexed, dropped, is_listing = rules.drop_listing(indexed, links_known=links_known)
    removed += dropped
    if is_listing:
        notes.append("listing page: headlines and teasers, no story")

    paragraphs = tuple(block.text for _, block in indexed)
    if not paragraphs:
        if page_language and language and page_language != language:
            notes.append(f"no {language} body: the page is in {page_language}")
        elif not notes:
            notes.append("no body text found")
    kept_language = target if paragraphs else page_language
    removed.sort(key=lambda item: item[0])
    trace = sorted(
        [(i, None, block.text) for i, block in indexed]
        + [(i, removal.reason, removal.text) for i, removal in removed],
        key=lambda item: item[0],
    )
    return Body(
        paragraphs,
        tuple(r for _, r in removed),
        kept_language,
        tuple(notes),
        tuple((reason, text) for _, reason, text in trace),
    )


def text_blocks(text: str) -> list[Block]:
    """Split plain text into blocks: one per non-empty line."""
    return [Block(text=line.strip()) for line in text.splitlines() if line.strip()]


def _article(body: Body, **metadata: object) -> Article:
    paragraphs = body.paragraphs
    dateline = find_dateline(paragraphs[0]) if paragraphs else None
    return Article(
        text="\n\n".join(paragraphs),
        paragraphs=paragraphs,
        dateline=dateline,
        language=body.language,
        removed=body.removed,
        notes=body.notes,
        trace=body.trace,
        **metadata,  # type: ignore[arg-type]
    )


VIETNAM_OFFSET = "+07:00"


def _is_vietnamese_site(tree: LexborHTMLParser, url: str | None) -> bool:
    host = urlsplit(url).hostname or "" if url else ""
    if host.endswith(".vn"):
        return True
    root = tree.css_first("html")
    lang = (root.attributes.get("lang") or "") if root is not None else ""
    return lang.lower().startswith("vi")


def _without_title(blocks: list[Block], title: str | None) -> list[Block]:
    """Drop the headline where the extraction repeated it at the top of the body."""
    if not title:
        return blocks
    key = heading_key(title)
    return [b for i, b in enumerate(blocks) if i >= 3 or heading_key(b.text) != key]


def _with_lead(blocks: list[Block], lead: str | None) -> list[Block]:
    """Put the template's lead paragraph first when the extraction missed it."""
    if not lead or not blocks:
        return blocks
    lead = normalize_text(lead)
    probe = lead[:60]
    if any(probe in block.text or block.text[:60] in lead for block in blocks[:6]):
        return blocks
    return [Block(lead, "lead"), *blocks]


def _failed(exc: Exception) -> Article:
    return Article(notes=(f"cleaning failed: {type(exc).__name__}: {exc}"[:300],))


def clean_text(text: str, *, language: str | None = "en") -> Article:
    """Clean already-extracted plain text, one paragraph or line per line."""
    try:
        return _clean_text(text, language)
    except Exception as exc:  # the library never raises on user input; report instead
        return _failed(exc)


def _clean_text(text: str, language: str | None) -> Article:
    text = to_str(text)
    notes: tuple[str, ...] = ()
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS]
        notes = (f"input cut at {MAX_TEXT_CHARS} characters",)
    text = normalize_text(text)
    date, text = split_date_prefix(text)
    body = clean_blocks(text_blocks(text), language)
    if notes:
        body = replace(body, notes=body.notes + notes)
    return _article(body, date=date, date_source="text" if date else None)


def clean_html(
    html: str | bytes,
    url: str | None = None,
    *,
    language: str | None = "en",
    default_offset: str | None = "auto",
) -> Article:
    """Clean an HTML page (str, or bytes decoded by BOM, <meta charset>, then detection).

    `default_offset` is the UTC offset ("+07:00") of times the page prints without one; "auto"
    takes Vietnam's for Vietnamese sites (a .vn host or `lang="vi"`) and keeps only the day
    elsewhere; None always keeps only the day.
    """
    try:
        return _clean_html(html, url, language, default_offset)
    except Exception as exc:  # the library never raises on user input; report instead
        return _failed(exc)


def _clean_html(
    html: str | bytes, url: str | None, language: str | None, default_offset: str | None
) -> Article:
    from cleaners.decoding import decode_html
    from cleaners.html_front import extract_blocks

    if isinstance(html, bytes | bytearray | memoryview):
        html = decode_html(bytes(html)[:MAX_HTML_CHARS])
    page = _read_page(normalize_html(to_str(html)[:MAX_HTML_CHARS]), url, default_offset)
    del html  # with the parsed tree gone too, only the pruned page stays in memory
    blocks = [
        Block(normalize_text(b.text), b.kind, b.link_density)
        for b in extract_blocks(page.pruned_html, url, page.linked, page.story)
    ]
    blocks = _without_title(_with_lead(blocks, page.lead), page.meta.title)
    body = clean_blocks(blocks, language, links_known=True)
    body = replace(
        body,
        removed=page.pruned + body.removed,
        trace=tuple((r.reason, r.text) for r in page.pruned) + body.trace,
    )
    meta = page.meta
    return _article(
        body,
        url=meta.canonical_url or url,
        title=meta.title,
        date=meta.date,
        date_source=meta.date_source,
        authors=meta.authors,
    )


@dataclass(frozen=True)
class _Page:
    """What the parsed tree gives before extraction; the tree itself is not kept."""

    meta: PageMetadata
    lead: str | None
    pruned: tuple[Removal, ...]
    pruned_html: str
    linked: set[str]
    story: tuple[str, ...]


def _read_page(html: str, url: str | None, default_offset: str | None) -> _Page:
    from cleaners.html_front import (
        anchor_keys,
        find_lead,
        main_html,
        parse_html,
        prune_furniture,
    )
    from cleaners.metadata import extract_metadata

    tree = parse_html(html)
    if default_offset == "auto":
        default_offset = VIETNAM_OFFSET if _is_vietnamese_site(tree, url) else None
    meta = extract_metadata(tree, url, default_offset=default_offset)
    lead = find_lead(tree)
    pruned = prune_furniture(tree)
    return _Page(
        meta, lead, tuple(pruned.removed), main_html(tree), anchor_keys(tree), pruned.story
    )
