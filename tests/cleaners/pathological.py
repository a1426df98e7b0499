"""Hypothesis strategies for hostile pages and texts, drawn as small recipes of repeated pieces.

A recipe prints in a few lines however large the input it expands to (a piece repeated 100,000
times is one line), so hypothesis can shrink it and a failure reads as the input's shape.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from hypothesis import strategies as st

from cleaners import Article

ENGLISH = (
    "The ministry said on Monday that exports grew strongly this year, according to a report "
    "released by the statistics office."
)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2})?$")
VIETNAMESE = "Tin liên quan: Giá vàng hôm nay giảm mạnh, người dân đổ xô đi bán vàng."

# Tag names that each take their own path through an HTML tree builder.
TAG_NAMES = (
    "div span p a b i font em nobr blockquote section article aside nav header footer main "
    "ul ol li dl dt dd table tbody thead tr td th caption colgroup col form button select "
    "option optgroup textarea title script style xmp iframe noembed noframes noscript "
    "plaintext template svg math foreignObject desc mi path g object marquee applet h1 h2 h6 "
    "pre listing br img hr input meta link html head body frameset frame image isindex "
    "DIV Script TABLE x-custom"
).split()
ATTRIBUTE_PIECES = (
    ' a="1"',
    " a",
    " a=1",
    ' class="related-news share"',
    ' id="comments"',
    ' role="navigation"',
    " a<div",
    ' x=">"',
    " '",
    ' "',
    " a='",
    " /",
    " ==",
    ' lang="vi"',
    ' property="og:title" content="Tin liên quan"',
    ' itemprop="datePublished" content="2025-09-15T08:31:00+07:00"',
)
TEXT_PIECES = (
    ENGLISH,
    VIETNAMESE,
    "HÀ NỘI — ",
    "WASHINGTON (AP) — ",
    "Thứ Hai, 15/9/2025 08:31 (GMT+7)",
    "Sep 15, 2025",
    "Ý kiến bạn đọc",
    "Những tin mới hơn",
    "Đọc nhiều",
    "越南胡志明市经济发展迅速",
    "Москва заявила",
    "القاهرة",
    "date 2025-09-15 ",
    "By Nguyen Van A",
    "[button link=x]Send[/button]",
    "Photo: VnExpress",
    "…",
    " ",
    "\n",
    "\n\n",
    "\t",
    "\u00a0",
    "\u200b",
    "\x00",
    "\x1b",
    "\ud800",
    "&amp;",
    "&#0;",
    "&#x1F600;",
    "&#99999999999;",
    "&bogus;",
    "&",
    "&#x",
    "&#x301;",
    "<",
    ">",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<!DOCTYPE html>",
    "<?xml ?>",
    "</>",
    "</ x>",
)
RUN_UNITS = (  # pieces that make long runs: of letters, marks, spaces, digits, punctuation
    "a",
    "ư",
    "Ạ",
    "越",
    "ф",
    "1",
    "-",
    "—",
    ".",
    "(",
    "[",
    "<div a",
    "<p>x</p>",
    "\u0301",
    "\u0301\u0323",
    "a\u0301\u0323",
    "<b>\u0301</b><i>\u0323</i>",
    "&#x301;&#x323;",
    " ",
    "\u00a0",
    "😀",
    "by ",
    "theo ",
)


Piece = tuple[str, int, bool]  # text, times, whether "{}" in it takes the repeat's number


@dataclass(frozen=True)
class Recipe:
    """Pieces and how many times each repeats; `expand` builds the input."""

    pieces: tuple[Piece, ...]

    def expand(self) -> str:
        """The input: each piece repeated its number of times, in order."""
        return "".join(
            "".join(text.replace("{}", str(i)) for i in range(count)) if numbered else text * count
            for text, count, numbered in self.pieces
        )

    def __repr__(self) -> str:
        # whole pieces (they are short): a failing recipe must rebuild its input exactly
        shown = ", ".join(f"({t[:2000]!r}, {c}, {n})" for t, c, n in self.pieces)
        return f"Recipe(({shown},))"


def _start_tag(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(TAG_NAMES))
    attributes = "".join(draw(st.lists(st.sampled_from(ATTRIBUTE_PIECES), max_size=3)))
    return f"<{name}{attributes}{draw(st.sampled_from(('>', '/>', '', ' >')))}"


@st.composite
def _piece(draw: st.DrawFn, scale: int) -> Piece:
    """One piece of a recipe, from one of the hostile families, with its repeat count."""
    family = draw(st.integers(0, 9))
    many = st.integers(1, scale)
    if family == 0:  # deep nesting: runs of start tags, some closed
        opening = "".join(_start_tag(draw) for _ in range(draw(st.integers(1, 3))))
        closing = draw(st.sampled_from(("", "</div>", "</p>", "</b>", "</table>", "</svg>")))
        return opening + closing, draw(many), False
    if family == 1:  # one tag with very many attributes
        unit = draw(st.sampled_from(ATTRIBUTE_PIECES))
        name = draw(st.sampled_from(TAG_NAMES))
        return f"<{name}" + unit * draw(many) + draw(st.sampled_from((">", ""))), 1, False
    if family == 2:  # long runs without spaces, of marks, of spaces
        return draw(st.sampled_from(RUN_UNITS)), draw(many), False
    if family == 3:  # text pieces and markup debris
        return draw(st.sampled_from(TEXT_PIECES)), draw(st.integers(1, max(1, scale // 100))), False
    if family == 4:  # formatting elements the parser reopens, misnested blocks
        unit = draw(
            st.sampled_from(
                (
                    "<p><b id={}></p>x",
                    "<b><div>x</b></div>",
                    "<a href=/{}><div><a href=/x{}>",
                    "<table><td><div></table>",
                    "<div><table><td></div>",
                    "<li><ul><li>",
                    "<select><div><option>",
                )
            )
        )
        return unit, draw(st.integers(1, min(scale, 20_000))), True
    if family == 5:  # script and comment escapes, raw text that never ends
        unit = draw(
            st.sampled_from(
                (
                    "<script><!--<script></script></div></script>",
                    "<script>if (a<b) x='</scr'+'ipt>';</script>",
                    "<svg><style><div></style></svg>",
                    "<svg><title><script></title></script></svg>",
                    "<math><mi><textarea>",
                    "<noscript><p>x</p></noscript>",
                    "<template><div>",
                    "<![CDATA[</div>]]>",
                )
            )
        )
        return unit, draw(many), False
    if family == 6:  # free text, any characters
        return draw(st.text(max_size=60)), draw(st.integers(1, 50)), False
    if family == 7:  # paragraphs of text in markup
        text = draw(st.sampled_from(TEXT_PIECES[:16]))
        tag = draw(st.sampled_from(("p", "li", "td", "h2", "div", "blockquote")))
        return f"<{tag}>{text}</{tag}>", draw(st.integers(1, max(1, scale // 10))), False
    if family == 8:  # JSON-LD and metadata, broken or huge
        body = draw(
            st.sampled_from(
                (
                    '{"@type": "NewsArticle", "headline": "x", "datePublished": "2025-09-15",}',
                    '{"@graph": [{"@type": "Article", "author": {"name": "A and B"}}]',
                    '{"headline": "' + "x" * 1000,
                    "[[[[[[[[[[",
                )
            )
        )
        count = draw(st.integers(1, max(1, scale // 100)))
        return f'<script type="application/ld+json">{body}</script>', count, False
    title = draw(st.sampled_from(TEXT_PIECES))
    return f"<html><head><title>{title}</title></head>", 1, False


def recipes(scale: int) -> st.SearchStrategy[Recipe]:
    """Recipes of one to six pieces, each repeated up to `scale` times."""
    return st.lists(_piece(scale), min_size=1, max_size=6).map(lambda p: Recipe(tuple(p)))


def assert_sound(article: Article) -> None:
    """The properties every Article keeps, whatever the input."""
    assert isinstance(article, Article)
    assert not any(note.startswith("cleaning failed") for note in article.notes), article.notes
    assert isinstance(article.text, str)
    assert all(isinstance(p, str) and p for p in article.paragraphs)
    assert article.text == "\n\n".join(article.paragraphs)
    data = article.to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False).encode("utf-8")) == data
    assert article.date is None or ISO_DATE.match(article.date), article.date
    assert (article.date is None) == (article.date_source is None)
    assert article.dateline is None or article.dateline in article.paragraphs[0]
    assert article.language is None or re.fullmatch(r"[a-z]{2,3}", article.language)
    assert all(isinstance(r.reason, str) and isinstance(r.text, str) for r in article.removed)
    assert all(isinstance(a, str) and a for a in article.authors)
