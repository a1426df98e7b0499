"""The pipeline: fronts turn input into blocks, the rules keep the body, metadata completes it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from cleaners import rules, text_layout
from cleaners.blocks import is_prose, word_count
from cleaners.dateline import dateline_date, find_opening, split_date_prefix
from cleaners.language_option import language_to_keep
from cleaners.model import Article, Block, Removal
from cleaners.normalize import (
    MAX_BLOCKS,
    MAX_HTML_CHARS,
    MAX_TEXT_CHARS,
    normalize_html,
    normalize_text,
    separate_marks,
    to_str,
)
from cleaners.printed_dates import Line, story_date
from cleaners.reasons import Reason
from cleaners.removal_order import in_page_order, page_text
from cleaners.text_listing import is_text_listing
from cleaners.vocabulary import heading_key

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser

    from cleaners.html_listing import PageShape
    from cleaners.metadata import PageMetadata
    from cleaners.page_fields import PageFields


@dataclass(frozen=True)
class Body:
    """The kept paragraphs of a page with what the rules removed, and the languages seen."""

    paragraphs: tuple[str, ...]
    removed: tuple[Removal, ...]
    language: str | None
    notes: tuple[str, ...]
    trace: tuple[tuple[str | None, str], ...] = ()
    dateline: str | None = None

    def lines(self) -> list[Line]:
        """Every block in page order with whether it was kept: the evidence for a printed date."""
        return [Line(text, reason is None) for reason, text in self.trace]


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
    if not links_known and is_text_listing([block for _, block in indexed]):
        return _listing_body(indexed, removed)
    indexed, dropped = rules.drop_junk_sections(indexed, language)
    removed += dropped
    indexed, dropped = rules.drop_trailing_headlines(indexed)
    removed += dropped
    indexed, dropped = rules.drop_repeated_openings(indexed)
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

    indexed, dropped, dateline = _open_story(indexed)
    removed += dropped
    if not links_known and target:
        if dateline is None:
            # a dateline already marks where the story starts: the layout's guess is for the rest
            indexed, dropped = text_layout.split_header(indexed)
            removed += dropped
        indexed, dropped = text_layout.split_footer(indexed)
        removed += dropped

    indexed, dropped, is_listing = rules.drop_listing(indexed, links_known=links_known)
    removed += dropped
    if is_listing:
        notes.append(LISTING_NOTE)

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
        dateline,
    )


LISTING_NOTE = "listing page: headlines and teasers, no story"


def _listing_body(indexed: rules.Indexed, removed: rules.Removed) -> Body:
    """The empty body of a listing page: every block goes, with the listing note."""
    removed = removed + [(i, Removal(Reason.LISTING, block.text)) for i, block in indexed]
    removed.sort(key=lambda item: item[0])
    return Body(
        (),
        tuple(r for _, r in removed),
        None,
        (LISTING_NOTE,),
        tuple((r.reason, r.text) for _, r in removed),
    )


def _as_listing(body: Body) -> Body:
    """The body of a page whose shape says listing: what the rules kept goes too, as teasers."""
    trace = tuple((reason or Reason.LISTING, text) for reason, text in body.trace)
    return Body(
        (),
        tuple(Removal(reason, text) for reason, text in trace),
        body.language,
        (LISTING_NOTE, *body.notes),
        trace,
    )


def _bounded(blocks: list[Block]) -> tuple[list[Block], tuple[str, ...]]:
    """The first MAX_BLOCKS blocks: no story has more, and the rules' time grows with them."""
    if len(blocks) <= MAX_BLOCKS:
        return blocks, ()
    return blocks[:MAX_BLOCKS], (f"body cut at {MAX_BLOCKS:,} paragraphs",)


def _open_story(indexed: rules.Indexed) -> tuple[rules.Indexed, rules.Removed, str | None]:
    """Start the body at its dateline: what stands before it goes, a lone one joins its story."""
    opening = find_opening([block.text for _, block in indexed])
    if opening is None:
        return indexed, [], None
    before = indexed[: opening.index]
    rest = indexed[opening.index :]
    if opening.lone:  # "Hanoi (VNA) –" on its own line: the story goes on in the next one
        (index, head), (_, story) = rest[0], rest[1]
        rest = [(index, replace(story, text=f"{head.text} {story.text}")), *rest[2:]]
    dropped = [(index, Removal(Reason.BEFORE_DATELINE, block.text)) for index, block in before]
    return rest, dropped, opening.dateline


# Running text a body needs before htmldate guesses its date (a page of headlines and teasers
# has no publication date of its own): on WCXB this skips 103 of the 166 undated listing pages
# that still come out with a body, and 16 of the 127 undated articles.
_STORY_WORDS = 150


def _is_story(paragraphs: tuple[str, ...]) -> bool:
    return sum(word_count(text) for text in paragraphs if is_prose(text)) >= _STORY_WORDS


def _dateline_date(dateline: str | None, day_first: bool = True) -> str | None:
    return dateline_date(dateline, day_first=day_first) if dateline else None


def _article(body: Body, **metadata: object) -> Article:
    paragraphs = body.paragraphs
    return Article(
        text="\n\n".join(paragraphs),
        paragraphs=paragraphs,
        dateline=body.dateline,
        language=body.language,
        removed=body.removed,
        notes=body.notes,
        trace=body.trace,
        **metadata,  # type: ignore[arg-type]
    )


VIETNAM_OFFSET = "+07:00"


def _is_vietnamese_site(tree: LexborHTMLParser, url: str | None) -> bool:
    try:
        host = urlsplit(url).hostname or "" if url else ""
    except ValueError:  # a malformed URL ("http://[::1/") names no host
        host = ""
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
    """Clean already-extracted plain text, one paragraph or line per line.

    `language` is an ISO 639-1 code, or "auto" / None for the text's own; anything else raises
    ValueError (the one error this function raises: it is the caller's, not the input's).
    """
    language = language_to_keep(language)
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
    blocks, cut = _bounded(text_layout.text_blocks(text))
    notes += cut
    body = clean_blocks(blocks, language)
    if notes:
        body = replace(body, notes=body.notes + notes)
    date = date or story_date(body.lines()) or _dateline_date(body.dateline)
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
    elsewhere; None always keeps only the day. `language` is an ISO 639-1 code, or "auto" /
    None for the page's own; anything else raises ValueError (the caller's error, not the
    page's: no page content ever raises).
    """
    language = language_to_keep(language)
    try:
        return _clean_html(html, url, language, default_offset)
    except Exception as exc:  # the library never raises on user input; report instead
        return _failed(exc)


def explain_html(
    html: str | bytes,
    url: str | None = None,
    *,
    language: str | None = "en",
    default_offset: str | None = "auto",
) -> Article:
    """`clean_html`'s Article, its `trace` in page order with the text the main-text extraction
    left out (`not_main_text`): what `newsclean explain` shows. Slower; never raises."""
    try:
        return _clean_html(html, url, language, default_offset, explain=True)
    except Exception as exc:  # the library never raises on user input; report instead
        return _failed(exc)


def _clean_html(
    html: str | bytes,
    url: str | None,
    language: str | None,
    default_offset: str | None,
    explain: bool = False,
) -> Article:
    from cleaners.decoding import decode_html
    from cleaners.html_front import extract_blocks
    from cleaners.html_listing import is_listing_page
    from cleaners.metadata import guess_date

    if isinstance(html, bytes | bytearray | memoryview):
        html = decode_html(bytes(html)[:MAX_HTML_CHARS])
    page = _read_page(
        normalize_html(to_str(html)[:MAX_HTML_CHARS]), url, default_offset, explain=explain
    )
    del html  # with the parsed tree gone too, only the pruned page stays in memory
    if page.root_blocks is not None:  # the story is in paragraphs: its root read as it stands
        extracted, cut = _bounded(list(page.root_blocks))
    else:
        extracted, cut = _bounded(
            extract_blocks(
                page.pruned_html, url, page.linked, page.story, page.root_words, page.body_words
            )
        )
    blocks = [Block(normalize_text(b.text), b.kind, b.link_density) for b in extracted]
    blocks = _without_title(_with_lead(blocks, page.lead), page.meta.title)
    body = clean_blocks(blocks, language, links_known=True)
    if body.paragraphs and is_listing_page(page.shape, page.prose_words, body.paragraphs):
        body = _as_listing(body)
    lines = body.lines()  # the extracted blocks only, before the pruned ones join the trace
    if page.page_key is not None:
        from cleaners import page_order

        dropped = page_order.not_main_text(page.pruned_html, [text for _, text in body.trace])
        trace = page_order.in_page_order(page.pruned, body.trace, dropped, page.page_key)
    else:
        trace = tuple((r.reason, r.text) for r in page.pruned) + body.trace
    body = replace(
        body,
        notes=body.notes + page.notes + cut,
        removed=in_page_order(page.pruned, body.removed, page.page_text),
        trace=trace,
    )
    meta = page.meta
    date, date_source = meta.date, meta.date_source
    if date is None and body.paragraphs:  # none in the metadata or the header: the story's
        day_first = not (meta.html_lang or "").startswith("en-us")  # date line, then htmldate
        date = story_date(lines, day_first=day_first, default_offset=page.offset)
        date = date or _dateline_date(body.dateline, day_first)
        if not date and _is_story(body.paragraphs):  # headlines and teasers have no date
            date = guess_date(page.start or "", url, site_days=meta.site_days)
        date_source = "text" if date else None
    return _article(
        body,
        url=meta.canonical_url or url,
        title=meta.title,
        date=date,
        date_source=date_source,
        authors=meta.authors,
        **page.fields.as_article_fields(),
    )


@dataclass(frozen=True)
class _Page:
    """What the parsed tree gives before extraction; the tree itself is not kept."""

    meta: PageMetadata
    fields: PageFields
    lead: str | None
    pruned: tuple[Removal, ...]
    pruned_html: str
    linked: set[str]
    notes: tuple[str, ...]  # what was cut from the page before parsing
    story: tuple[str, ...]  # the story's paragraphs as the content root holds them
    offset: str | None = None  # of times printed without one
    start: str | None = None  # the page's start, kept for htmldate when the metadata has no date
    page_key: str | None = None  # for `explain` only: the page's visible text, to order blocks
    page_text: str = ""  # the page's visible text before pruning: to put removals in page order
    shape: PageShape | None = None  # the page-wide evidence for the listing verdict
    prose_words: int = 0  # words of the page's runs of story paragraphs
    root_words: int = 0  # words of the content root once pruned
    body_words: int = 0  # words of the body once pruned
    root_blocks: tuple[Block, ...] | None = None  # the content root read, when in paragraphs


def _read_page(
    html: str, url: str | None, default_offset: str | None, *, explain: bool = False
) -> _Page:
    from cleaners.html_front import (
        anchor_keys,
        find_lead,
        main_html,
        parse_html,
        prune_furniture,
    )
    from cleaners.html_listing import read_shape
    from cleaners.jsonld import jsonld_objects
    from cleaners.metadata import DATE_GUESS_CHARS, extract_metadata
    from cleaners.page_fields import read_page_fields
    from cleaners.root_reader import read_root

    tree, notes = parse_html(html)
    if default_offset == "auto":
        default_offset = VIETNAM_OFFSET if _is_vietnamese_site(tree, url) else None
    jsonld = jsonld_objects(tree)  # read once for the metadata, the fields and the listing shape
    meta = extract_metadata(tree, url, default_offset=default_offset, jsonld=jsonld)
    fields = read_page_fields(tree, url, default_offset=default_offset, jsonld=jsonld)
    # htmldate's guess waits for the body: a page with none (a listing) needs no date
    start = html[:DATE_GUESS_CHARS] if meta.date is None else None
    lead = find_lead(tree)
    key = None
    if explain:
        from cleaners.page_order import page_key

        key = page_key(tree)  # before pruning changes the tree
    text = page_text(tree.body.text(separator=" ")) if tree.body is not None else ""
    shape = read_shape(tree, url, jsonld)
    pruned = prune_furniture(tree)
    linked = anchor_keys(tree)
    root_blocks = read_root(tree.body, linked) if tree.body is not None else None
    # trafilatura reads the pruned page when the root was not read; explain compares with it
    pruned_html = separate_marks(main_html(tree)) if root_blocks is None or explain else ""
    return _Page(
        meta,
        fields,
        lead,
        tuple(pruned.removed),
        pruned_html,
        linked,
        notes,
        pruned.story,
        default_offset,
        start,
        key,
        text,
        shape,
        pruned.prose_words,
        pruned.root_words,
        pruned.body_words,
        None if root_blocks is None else tuple(root_blocks),
    )
