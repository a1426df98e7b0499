"""Listing pages in HTML: a category page, a headline grid or a shop's collection holds no story.

The verdict weighs the shape of the whole page, read once from the parsed tree before pruning:
- what the page says it is: schema.org types and og:type (an article, or a collection/list);
- its headline and address: a story's headline is a sentence and its URL a slug of words or an
  id; a section's headline is a name ("Science", "Men's sneakers") and its URL a short path;
- its links: a page of teasers is mostly link text;
- its controls: result filters, "Sort by", "124 results", pagination;
- its items: repeated cards that each hold a link, and prices and "Add to cart" buttons, as shops
  print one per item;
- its prose: a story is a run of paragraphs under one parent that holds much of the page's text,
  where a listing's teasers stand one to a card;
- what the block rules kept of it: a story's body is running sentences, a listing's is product
  names, headlines, table rows and labels.
No one of these decides alone: each adds evidence, and only a page with enough of it is a listing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from cleaners.blocks import is_prose, letter_word_count, word_count
from cleaners.jsonld import jsonld_objects, types_of
from cleaners.vocabulary import load_data

_DATA = load_data("listing")
_ARTICLE_TYPES = frozenset(_DATA["types"]["article"])
_LISTING_TYPES = frozenset(_DATA["types"]["listing"])
_ARTICLE_OG = tuple(_DATA["open_graph"]["article"])
_LISTING_OG = tuple(_DATA["open_graph"]["listing"])
_PUBLISHED_SELECTOR = ", ".join(
    f'meta[property="{name}"]' for name in _DATA["open_graph"]["published"]
)
_CONTROL_SELECTOR = ", ".join(
    f'[class*="{part}" i], [id*="{part}" i]' for part in _DATA["controls"]["class_parts"]
)
_CONTROL_PHRASES = re.compile(_DATA["controls"]["phrases"], re.IGNORECASE)
_PRICE = re.compile(_DATA["prices"]["pattern"])
_SHOP_ACTION = re.compile(_DATA["shop_actions"]["pattern"], re.IGNORECASE)
# A shop action's label is a few words: a longer link or button is something else.
_SHOP_ACTION_CHARS = 30
_URL_ID = re.compile(r"\d{4,}")
# The page text searched for control phrases: they stand near the top of a listing.
_PHRASE_SAMPLE = 20_000
# Without a URL its slug is no evidence either way: counted as halfway between a section's
# (one or two words) and a story's (four or more).
_UNKNOWN_SLUG_WORDS = 3
# Filter and pagination elements below this count are a widget, not the page's controls.
_MIN_CONTROL_ELEMENTS = 3


@dataclass(frozen=True)
class PageShape:
    """The page-wide evidence for the listing verdict, read before pruning."""

    headline_words: int  # words of the first <h1>; 0 without one
    slug_words: int  # words of the URL's wordiest path segment
    url_has_id: bool  # a run of four digits in the URL's path: an id or a date
    article_typed: bool  # schema.org says "article", or og:type with a publication time
    listing_typed: bool  # schema.org or og:type says "collection", "list" or "product"
    link_density: float  # share of the page's text that is link text
    controls: int  # kinds of listing controls: filters/pagination, phrases, rel=next (0-3)
    card_share: float  # share of the page's words in repeated linked cards
    prices: int  # prices printed on the page
    shop_actions: int  # links and buttons labelled "Add to cart", "Quick view" and the like
    page_words: int  # words of the page's text


def read_shape(
    tree: LexborHTMLParser, url: str | None, jsonld: list[dict[str, Any]] | None = None
) -> PageShape:
    """Read the page-wide evidence from `tree` (its <head> and scripts still in place;
    `jsonld`: its JSON-LD objects when the caller has read them already)."""
    objects = jsonld_objects(tree) if jsonld is None else jsonld
    types = {name for obj in objects for name in types_of(obj)}
    og_node = tree.css_first('meta[property="og:type"]')
    og_type = " ".join(((og_node.attributes.get("content") if og_node else None) or "").split())
    og_type = og_type.lower()
    og_article = og_type.startswith(_ARTICLE_OG) and tree.css_first(_PUBLISHED_SELECTOR) is not None
    next_link = tree.css_first('link[rel="next"], a[rel="next"]') is not None
    tree.strip_tags(["script", "style", "noscript", "template"])
    body = tree.body
    words = body.text(separator=" ").split() if body is not None else []
    text = " ".join(words)
    anchors = body.css("a") if body is not None else []
    anchor_texts = [anchor.text(separator=" ").strip() for anchor in anchors]
    linked = sum(len(anchor_text) for anchor_text in anchor_texts)
    buttons = body.css("button") if body is not None else []
    labels = anchor_texts + [button.text(separator=" ").strip() for button in buttons]
    elements = len(body.css(_CONTROL_SELECTOR)) if body is not None else 0
    controls = (
        int(elements >= _MIN_CONTROL_ELEMENTS)
        + int(_CONTROL_PHRASES.search(text[:_PHRASE_SAMPLE]) is not None)
        + int(next_link)
    )
    path = _url_path(url)
    slug_words = max((letter_word_count(part) for part in (path or "").split("/")), default=0)
    return PageShape(
        headline_words=_headline_words(tree),
        slug_words=_UNKNOWN_SLUG_WORDS if path is None else slug_words,
        url_has_id=bool(_URL_ID.search(path or "")),
        article_typed=bool(types & _ARTICLE_TYPES) or og_article,
        listing_typed=bool(types & _LISTING_TYPES) or og_type.startswith(_LISTING_OG),
        link_density=min(1.0, linked / len(text)) if text else 0.0,
        controls=controls,
        prices=len(_PRICE.findall(text)),
        shop_actions=sum(1 for label in labels if _is_shop_action(label)),
        card_share=min(1.0, _card_words(anchors) / len(words)) if words else 0.0,
        page_words=len(words),
    )


def _is_shop_action(label: str) -> bool:
    if len(label) > _SHOP_ACTION_CHARS:
        return False
    return _SHOP_ACTION.fullmatch(" ".join(label.split())) is not None


def _url_path(url: str | None) -> str | None:
    """The decoded path of `url`; None when there is none or it cannot be read."""
    try:
        return unquote(urlsplit(url).path) if url else None
    except ValueError:  # "http://[::1/": a malformed URL is no evidence
        return None


# A card: one of at least _MIN_CARDS siblings of the same tag and class, holding a link and the
# words of a teaser (a headline, a summary, a price), as listings print their items. Cards are
# found from the links up: a link and its nearest _CARD_DEPTH - 1 ancestors are candidates.
_MIN_CARDS = 4
_CARD_WORDS = (4, 120)
_CARD_DEPTH = 4


def _card_words(anchors: list[LexborNode]) -> int:
    """Words of the page's teaser cards: repeated siblings that each hold a link."""
    groups: dict[tuple[int, str, str], dict[int, LexborNode]] = {}
    for anchor in anchors:
        node = anchor
        for _ in range(_CARD_DEPTH):
            parent = node.parent
            if parent is None:
                break
            key = (parent.mem_id, node.tag or "", node.attributes.get("class") or "")
            groups.setdefault(key, {})[node.mem_id] = node
            node = parent
    total = 0
    for items in groups.values():
        if len(items) >= _MIN_CARDS:
            cards = [words for item in items.values() if (words := _card_item_words(item))]
            if len(cards) >= _MIN_CARDS:
                total += sum(cards)
    return total


def _card_item_words(item: LexborNode) -> int:
    words = len(item.text(separator=" ").split())
    return words if _CARD_WORDS[0] <= words <= _CARD_WORDS[1] else 0


def _headline_words(tree: LexborHTMLParser) -> int:
    for node in tree.css("h1"):
        words = word_count(node.text(separator=" "))
        if words:
            return words
    return 0


# Weights of the evidence, in log-odds of a listing: fitted by logistic regression on the pages of
# WCXB's development split (790 articles, 216 listings, of 1,295 sites) and AEB's 181 news
# pages (articles weighted 3 to 1, L2 0.001 per page), then rounded.
_BIAS = 1.95
_PER_SLUG_WORD = -0.9  # up to _MAX_SLUG_WORDS
_MAX_SLUG_WORDS = 8
_PER_HEADLINE_WORD = -0.35  # up to _MAX_HEADLINE_WORDS
_MAX_HEADLINE_WORDS = 10
_HAS_ID = -1.3
_ARTICLE_TYPED = -2.4
_LISTING_TYPED = 1.1
_PER_LINK_DENSITY = 2.85
_PER_STORY_SHARE = -2.1
_PER_CONTROL = 1.0
_PER_CARD_SHARE = 1.3
_PER_LOG_PRICES = 0.35  # per log(1 + prices): a shop's grid prints one per item
_SHOP_ACTIONS = 1.75  # with at least _MIN_SHOP_ACTIONS: one per item, not one per review
_MIN_SHOP_ACTIONS = 3
_PER_BODY_PROSE_SHARE = -1.45
# The score a listing needs: about 0.25 above the second-highest development article (the highest
# is a portfolio index), as emptying an article costs far more than keeping teasers. On the
# development pages 1 of 790 articles and none of AEB's reach it; in 5x2-fold cross-validation
# with the threshold set the same way on each training half, 0.53% of held-out articles did.
_THRESHOLD = 0.45
# A run of story paragraphs this long is a story, whatever else the page shows (a guide with
# filters and cards around it).
_STORY_WORDS = 1500


def listing_score(shape: PageShape, story_words: int, body: Sequence[str]) -> float:
    """Log-odds that the page is a listing; `story_words`: words of its runs of paragraphs;
    `body`: the paragraphs the block rules kept."""
    return _shape_score(shape, story_words) + _PER_BODY_PROSE_SHARE * body_prose_share(body)


def _shape_score(shape: PageShape, story_words: int) -> float:
    story_share = min(1.0, story_words / shape.page_words) if shape.page_words else 0.0
    return (
        _BIAS
        + _PER_SLUG_WORD * min(shape.slug_words, _MAX_SLUG_WORDS)
        + _PER_HEADLINE_WORD * min(shape.headline_words, _MAX_HEADLINE_WORDS)
        + _HAS_ID * shape.url_has_id
        + _ARTICLE_TYPED * shape.article_typed
        + _LISTING_TYPED * shape.listing_typed
        + _PER_LINK_DENSITY * shape.link_density
        + _PER_STORY_SHARE * story_share
        + _PER_CONTROL * shape.controls
        + _PER_CARD_SHARE * shape.card_share
        + _PER_LOG_PRICES * math.log1p(shape.prices)
        + _SHOP_ACTIONS * (shape.shop_actions >= _MIN_SHOP_ACTIONS)
    )


def body_prose_share(paragraphs: Sequence[str]) -> float:
    """Share of the words of `paragraphs` in running sentences (0 for no words)."""
    counts = [(word_count(text), text) for text in paragraphs]
    total = sum(words for words, _ in counts)
    prose = sum(words for words, text in counts if is_prose(text))
    return prose / total if total else 0.0


def is_listing_page(shape: PageShape | None, story_words: int, body: Sequence[str]) -> bool:
    """True when the page's shape and its kept `body` say listing: teasers and controls, no
    story."""
    if shape is None or story_words >= _STORY_WORDS:
        return False
    score = _shape_score(shape, story_words)
    if score < _THRESHOLD:  # the body's prose only lowers the score: most pages stop here
        return False
    return score + _PER_BODY_PROSE_SHARE * body_prose_share(body) >= _THRESHOLD
