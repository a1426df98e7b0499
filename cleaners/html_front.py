"""The HTML front: parse once, prune page furniture by structure, let trafilatura pick the text
of pages whose story is not written in paragraphs (the rest: `cleaners/root_reader.py`).

Pruning before extraction removes what trafilatura would otherwise keep (comment boxes, related-news
containers in Vietnamese, link lists) and shrinks the tree it has to walk.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence
from dataclasses import dataclass
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from cleaners.content_root import ProseMap, is_within
from cleaners.model import Block, Removal
from cleaners.reasons import Reason
from cleaners.sanitize import MAX_DEPTH, bound_markup
from cleaners.story_fill import fill_story
from cleaners.vocabulary import (
    FURNITURE_TOKENS,
    TOKEN_REASONS,
    WEAK_FURNITURE_TOKENS,
    heading_key,
)

_ALWAYS_DROP = "script, style, noscript, template, svg, iframe, object, embed, canvas, map, dialog"
_CHROME_TAGS = "nav, aside, footer, form, menu, button, select, textarea"
_ROLES = {
    "navigation": "nav",
    "complementary": "aside",
    "contentinfo": "footer",
    "banner": "header",
    "search": "nav",
    "dialog": "nav",
    "menu": "nav",
}
_TOKEN_SPLIT = re.compile(r"[-_\s]+")
# A container holding more than this share of the page's text is the page, not furniture.
_MAX_SHARE = 0.4
_MAX_HIDDEN_SHARE = 0.6


def parse_html(html: str) -> tuple[LexborHTMLParser, tuple[str, ...]]:
    """Parse `html` with lexbor after capping its nesting, attributes and size (`bound_markup`).

    Never raises on broken markup; returns the tree and notes on what was cut from the page.
    """
    checked: list[tuple[str, LexborHTMLParser]] = []

    def nests_within(markup: str) -> bool:
        tree = LexborHTMLParser(markup)
        checked.append((markup, tree))
        return tree.css_first(_TOO_DEEP) is None

    bounded = bound_markup(html, nests_within)
    if checked and checked[0][0] is bounded.html:
        return checked[0][1], bounded.notes  # parsed once already, and found shallow
    return LexborHTMLParser(bounded.html), bounded.notes


# an element with MAX_DEPTH elements above it: the tree nests deeper than the caps allow
_TOO_DEEP = " > ".join(["*"] * (MAX_DEPTH + 1))


def _text(node: LexborNode) -> str:
    # what `\s+` -> " " and strip() give, several times faster on long texts
    return " ".join(node.text(separator=" ").split())


# one regex over "class id" for the one-word tokens, standing as a whole name or as a part of
# one between dashes or underscores ("box-comment", "sidebar_left"); a token with a dash
# ("related-news") counts only as a whole name
_PART_PATTERN = re.compile(
    r"(?:^|[-_\s])("
    + "|".join(re.escape(t) for t in sorted(FURNITURE_TOKENS) if "-" not in t)
    + r")(?=$|[-_\s])"
)


def _furniture_token(names: str) -> str | None:
    """The furniture token in a lower-cased "class id" string, if any."""
    for name in names.split():
        if name in FURNITURE_TOKENS:
            return name
    match = _PART_PATTERN.search(names)
    return match.group(1) if match else None


def _reason_for_token(token: str) -> str:
    return TOKEN_REASONS.get(token, Reason.RELATED_LIST)


def _link_share(node: LexborNode, text_len: int) -> float:
    if not text_len:
        return 0.0
    linked = sum(len(_text(a)) for a in node.css("a"))
    return min(1.0, linked / text_len)


_PROTECTED_TAGS = frozenset({"html", "body", "main", "article", "h1"})


def _headline_holders(body: LexborNode) -> set[int]:
    """The elements that hold one of the page's <h1>: pruning one would take the headline."""
    holders: set[int] = set()
    for headline in body.css("h1"):
        node: LexborNode | None = headline
        while node is not None and node.mem_id not in holders:
            holders.add(node.mem_id)
            node = node.parent
    return holders


def _inside(node: LexborNode, chosen: Container[int]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id in chosen:
            return True
        parent = parent.parent
    return False


@dataclass(frozen=True)
class Pruned:
    """What pruning removed, with why, and the story paragraphs of the content root it kept."""

    removed: list[Removal]
    story: tuple[str, ...] = ()
    prose_words: int = 0  # words of the page's runs of story paragraphs, before pruning
    root_words: int = 0  # words of text in the content root once pruned
    body_words: int = 0  # words of text in the page's body once pruned


def prune_furniture(tree: LexborHTMLParser) -> Pruned:
    """Remove page furniture from `tree` in place; return what went, with why.

    Nodes are chosen first and destroyed at the end: destroying a node destroys its
    descendants, which must then never be touched again.
    """
    tree.strip_tags(_ALWAYS_DROP.split(", "))
    head = tree.head
    if head is not None:  # metadata was read before; trafilatura's txt output needs no <head>
        for child in list(head.iter()):
            child.decompose()
    body = tree.body
    if body is None:
        return Pruned([])
    total = max(1, len(_text(body)))
    candidates = [
        (node, reason, text)
        for node, reason in _candidates(body)
        if len(text := _text(node)) <= _max_share(reason) * total
    ]
    prose = ProseMap(body, {n.mem_id for n, reason, _ in candidates if reason in _STRONG_REASONS})
    root = prose.root()
    chosen: dict[int, tuple[LexborNode, str, str]] = {}
    spared: list[LexborNode] = []
    for node, reason, text in candidates:
        if _inside(node, chosen):
            continue
        if reason not in _STRONG_REASONS and _part_of_story(node, reason, text, prose, root):
            if node.tag in _EXTRACTOR_DROPS:
                spared.append(node)
            continue
        chosen[node.mem_id] = (node, reason, text)

    removed = [Removal(reason, text) for _, reason, text in chosen.values() if text]
    story = tuple(
        _text(paragraph)
        for paragraph in prose.story
        if is_within(paragraph, root) and not _inside(paragraph, chosen)
    )
    spared = [node for node in spared if not _inside(node, chosen)]  # never touch freed nodes
    for node, _, _ in chosen.values():  # ancestors chosen later are destroyed later
        node.decompose()
    for node in reversed(spared):  # inner first; trafilatura would drop these tags whole
        node.unwrap()
    body_words = len(body.text(separator=" ").split())
    if root.mem_id in chosen or _inside(root, chosen) or root.mem_id == body.mem_id:
        root_words = body_words
    else:
        root_words = len(root.text(separator=" ").split())
    return Pruned(removed, story, prose.total, root_words, body_words)


def _max_share(reason: str) -> float:
    # more is the page, not furniture; a hidden copy is at most as long as what it copies
    return _MAX_HIDDEN_SHARE if reason == "hidden" else _MAX_SHARE


# Tags that trafilatura deletes with their content: a part of the story in one loses the tag.
_EXTRACTOR_DROPS = frozenset({"aside", "nav", "menu", "button"})
# Reasons that hold whatever prose they contain: readers' comments and page footers are written
# in sentences too, but they are not the story.
_STRONG_REASONS = frozenset({"comment_box", "footer", "header", "overlay", "form", "hidden"})
# A container with this share of the page's prose (and at least _STORY_WORDS) is the story.
_STORY_SHARE = 0.3
_STORY_WORDS = 50
# A box between story paragraphs, with this many words of prose, is part of the story.
_BOX_PROSE = 25
_BOX_CONTEXT = 30
_BOX_LINK_SHARE = 0.3
# Below this many words of <p> prose the page's story is not in paragraphs: nothing is spared.
_MIN_PROSE = 150


def _candidates(body: LexborNode) -> list[tuple[LexborNode, str]]:
    """Elements that look like furniture by tag, role, class or links, in page order."""
    found = []
    seen = set()
    holders = _headline_holders(body)
    tokens: dict[str, str | None] = {}  # a page repeats its class names: each is read once
    for node in body.css(_CHROME_TAGS + ", header, [role], [class], [id], [style]"):
        reason = _structural_reason(node, tokens)  # attribute checks first: most stop here
        if reason is not None and (
            reason == "hidden" or (node.tag not in _PROTECTED_TAGS and node.mem_id not in holders)
        ):
            found.append((node, reason))
            seen.add(node.mem_id)
    for node in body.css("ul, ol"):
        if node.mem_id in seen or len(node.css("li")) < 3:
            continue
        text_len = len(_text(node))
        if _link_share(node, text_len) >= 0.75:
            found.append((node, "link_list"))
    return found


def _part_of_story(
    node: LexborNode, reason: str, text: str, prose: ProseMap, root: LexborNode
) -> bool:
    """True when a weak furniture signal stands inside the story: the story itself, or a box
    of prose (a note, a pull quote, key takeaways) between its paragraphs."""
    if prose.total < _MIN_PROSE:
        return False  # the story is not written in <p> paragraphs: no map to go by
    inside = prose.inside(node)
    link_share = _link_share(node, len(text))
    if inside >= _STORY_WORDS and inside >= _STORY_SHARE * prose.total:
        return link_share < _BOX_LINK_SHARE
    around = prose.around(node, root)
    if around is None:
        return False
    before, after = around
    if before < _BOX_CONTEXT or after < _BOX_CONTEXT:
        return False
    if reason == "link_list":
        return False  # trafilatura drops a list of links anyway; its link density decides
    return link_share < _BOX_LINK_SHARE and ProseMap.paragraph_words(node) >= _BOX_PROSE


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.IGNORECASE)


def _hidden_reason(attrs: dict[str, str | None]) -> str | None:
    style = attrs.get("style")
    if not style or not _HIDDEN_STYLE.search(style):
        return None
    # schema.org microdata kept out of sight: a copy of the headline, body and logo for robots
    if "itemscope" in attrs:
        return "hidden"
    return None


def _structural_reason(node: LexborNode, tokens: dict[str, str | None]) -> str | None:
    attrs = node.attributes
    hidden = _hidden_reason(attrs)
    if hidden:
        return hidden
    tag = node.tag
    if tag in {"nav", "menu"}:
        return "nav"
    if tag == "aside":
        return "aside"
    if tag == "footer":
        return "footer"
    if tag in {"button", "select", "textarea"}:
        return "nav"
    if tag == "form":
        # ASP.NET sites wrap the whole page in one <form>: only a small form is furniture
        return "form" if len(_text(node)) < 400 else None
    if tag == "header":
        return None if _inside_article(node) else "header"
    role = (attrs.get("role") or "").lower()
    if role in _ROLES:
        return _ROLES[role]
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
    if names in tokens:
        token = tokens[names]
    else:
        token = tokens[names] = _furniture_token(names)
    if token is None:
        return None
    if token in WEAK_FURNITURE_TOKENS:
        text = _text(node)
        if len(text) > 200 and _link_share(node, len(text)) < 0.5:
            return None
    return _reason_for_token(token)


def _inside_article(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in {"article", "main"}:
            return True
        parent = parent.parent
    return False


# class tokens of the lead paragraph ("sapo") that Vietnamese news templates print above the
# body, where trafilatura misses it (baodautu "sapo_detail", tuoitre "detail-sapo"), also named
# by a data attribute in newer templates (dantri `<h2 data-slot="sapo">`). English
# templates' "lead", "dek", "standfirst" and "summary" are left out on purpose: hand-made ground
# truth (AEB) treats those as furniture, and they are often teasers or newsletter boxes.
_LEAD_TOKENS = frozenset({"sapo", "chapeau"})
_LEAD_ATTRIBUTES = ("class", "data-slot")
_LEAD_SELECTOR = ", ".join(
    f'[{name}*="{t}" i]' for name in _LEAD_ATTRIBUTES for t in sorted(_LEAD_TOKENS)
)


def find_lead(tree: LexborHTMLParser) -> str | None:
    """Return the lead paragraph that the page's template marks as such, if any."""
    for node in tree.css(_LEAD_SELECTOR):
        attributes = node.attributes
        names = " ".join(attributes.get(name) or "" for name in _LEAD_ATTRIBUTES).lower()
        if not any(part in _LEAD_TOKENS for part in _TOKEN_SPLIT.split(names)):
            continue
        text = _text(node)
        words = len(text.split())
        if 10 <= words <= 150:
            return text
    return None


# Past this size trafilatura's fallback comparison (readability, jusText) grows faster than
# the page; a page this large is extracted by its main algorithm alone.
_FALLBACK_MAX_CHARS = 1_000_000
# Past this many tags trafilatura costs seconds (up to 250 us a tag on pages of tiny paragraphs):
# no real page comes near it (15,000 at most), and the page's paragraphs are taken as they stand.
_EXTRACTOR_MAX_TAGS = 30_000
# trafilatura's link-density test reads every link under each element it tests, so its time
# grows with the sum over links of the depth each sits at: real pages stay under 32,000 (the
# most of wcxb-dev and AEB), nested links of a hostile page reach millions (10 s of CPU).
_EXTRACTOR_MAX_LINK_DEPTHS = 250_000
# The same for every element (its empty-element pruning re-joins text tails up the tree): real
# pages stay under 140,000, a fuzzed page of 8,000 deep list items reached 556,000 (6 s).
_EXTRACTOR_MAX_DEPTHS = 500_000
_TAG_OPENING = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
_VOID_TAGS = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)

# trafilatura's main algorithm (fast=True) is trusted when it keeps this share of the content
# root's words and this share of the pruned body's; below either, its fallbacks are compared too.
_TRUSTED_ROOT_SHARE = 0.7
_TRUSTED_BODY_SHARE = 0.2


def _under_extracted(text: str | None, root_words: int, body_words: int) -> bool:
    words = len((text or "").split())
    return words < _TRUSTED_ROOT_SHARE * root_words or words < _TRUSTED_BODY_SHARE * body_words


TRAFILATURA_OPTIONS: dict[str, Any] = {  # keyword arguments of mixed types
    "output_format": "txt",
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "deduplicate": False,
    "favor_precision": False,
    "with_metadata": False,
}


def extract_blocks(
    html: str,
    url: str | None,
    linked: set[str],
    story: Sequence[str] = (),
    root_words: int = 0,
    body_words: int = 0,
) -> list[Block]:
    """Run trafilatura's main-text decision on the pruned page and split its output into blocks.

    `linked` holds the `heading_key` of the page's link texts: a block equal to one is a link.
    `story` holds the content root's paragraphs: those the extraction missed are put back when
    it missed much of the story. trafilatura's fallbacks (readability, jusText) run only when its
    main algorithm kept little of the content root's `root_words` or the body's `body_words`.
    """
    import trafilatura  # imported here: a heavy module that only the HTML front needs

    if not html.strip():
        return []
    if _too_costly(html):
        return _paragraph_blocks(html, linked)
    text = trafilatura.extract(html, url=url, fast=True, **TRAFILATURA_OPTIONS)
    if len(html) <= _FALLBACK_MAX_CHARS and _under_extracted(text, root_words, body_words):
        # the main algorithm kept little of the story's region: let trafilatura compare it
        # with its fallbacks (readability, jusText), which costs a second, slower pass
        text = trafilatura.extract(html, url=url, fast=False, **TRAFILATURA_OPTIONS)
    if not text:
        # trafilatura found nothing (or its parser gave up on a tree over 256 levels deep):
        # fall back to the page's paragraphs and let the block rules judge them
        return _paragraph_blocks(html, linked)
    blocks = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        kind = "p"
        if line.startswith("- "):
            kind, line = "li", line[2:].strip()
        elif line.startswith("|"):
            kind = "table"
        blocks.append(Block(text=line, kind=kind, link_density=float(heading_key(line) in linked)))
    return fill_story(blocks, story)


def main_html(tree: LexborHTMLParser) -> str:
    """The pruned page to extract from: its one <article> when that holds most of the text.

    Handing trafilatura the article alone spares it walking the rest of the page.
    """
    body = tree.body
    articles = tree.css("article")
    if body is None or len(articles) != 1:
        return tree.html or ""
    article_text = len(_text(articles[0]))
    if article_text < 0.6 * len(_text(body)) or article_text < 200:
        return tree.html or ""
    return f"<html><body>{articles[0].html}</body></html>"


def _too_costly(html: str) -> bool:
    """True when trafilatura's tree walks would take seconds on `html` (serialized, so every
    element is closed): too many links deep down, or too many elements deep down."""
    tags = html.count("<")
    if tags > _EXTRACTOR_MAX_TAGS:
        return True
    links = html.count("<a")
    if (
        links * MAX_DEPTH <= _EXTRACTOR_MAX_LINK_DEPTHS
        and tags * MAX_DEPTH <= _EXTRACTOR_MAX_DEPTHS
    ):
        return False  # nesting is capped at MAX_DEPTH: so few tags cannot reach the bounds
    depth = link_depths = element_depths = 0
    for match in _TAG_OPENING.finditer(html):
        name = match[2].lower()
        if match[1]:
            depth = max(0, depth - 1)
        elif name not in _VOID_TAGS:
            depth += 1
            element_depths += depth
            link_depths += depth if name == "a" else 0
    return link_depths > _EXTRACTOR_MAX_LINK_DEPTHS or element_depths > _EXTRACTOR_MAX_DEPTHS


def _paragraph_blocks(html: str, linked: set[str]) -> list[Block]:
    tree = LexborHTMLParser(html)
    blocks = []
    for node in tree.css("h2, h3, p, li, blockquote"):
        text = _text(node)
        if text:
            kind = "li" if node.tag == "li" else "p"
            blocks.append(
                Block(text=text, kind=kind, link_density=float(heading_key(text) in linked))
            )
    return blocks


def anchor_keys(tree: LexborHTMLParser) -> set[str]:
    """Comparable texts of the page's links that are long enough to be headlines."""
    keys = set()
    for anchor in tree.css("a"):
        text = anchor.text(deep=True)
        if text.count(" ") >= 2:
            keys.add(heading_key(text))
    return keys
