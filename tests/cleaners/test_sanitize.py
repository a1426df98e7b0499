"""bound_markup: caps on nesting, attributes, elements and text before parsing; real pages pass."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser, LexborNode

from cleaners import clean_html, clean_text
from cleaners.html_front import parse_html
from cleaners.sanitize import (
    MAX_ATTRIBUTES,
    MAX_DEPTH,
    MAX_ELEMENTS,
    MAX_PAGE_TEXT,
    bound_markup,
)
from tests.cleaners.pathological import assert_sound

FIXTURES = Path(__file__).parents[2] / "fixtures"
PARAGRAPH = (
    "The president said that the economy was growing and that it would be a good year for all."
)


def depth(html: str) -> int:
    """How deep lexbor nests the elements of `html`."""
    deepest = 0
    root = LexborHTMLParser(html).root
    assert root is not None
    stack: list[tuple[LexborNode, int]] = [(root, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        child = node.child
        while child is not None:
            if child.tag not in ("-text", "_comment"):
                stack.append((child, level + 1))
            child = child.next
    return deepest


def real_pages() -> list[Path]:
    return sorted(FIXTURES.rglob("*.html")) + sorted(FIXTURES.rglob("*.html.gz"))


@pytest.mark.parametrize("path", real_pages(), ids=lambda p: p.name)
def test_real_pages_pass_unchanged(path: Path) -> None:
    data = path.read_bytes()
    html = (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8", "replace")
    bounded = bound_markup(html)
    assert bounded.html is html
    assert bounded.notes == ()


# Each nests without end: deep because the parser nests it, whatever its tag.
NESTINGS = {
    "blockquote": "<blockquote>",
    "section and table cells": "<section><table><tr><td>",
    "lists": "<ul><li>",
    "formatting the parser reopens": "<p><b id={}></p>",
    "misnested formatting": "<b id={}><div></b>",
    "ends hidden in script escapes": "<div><script><!--<script></script></div></script>",
    "ends the parser ignores": "<div><table><td></div>",
    "svg breakouts": "<svg><div>",
    "unknown elements": "<x-{}>",
}


@pytest.mark.parametrize("unit", NESTINGS.values(), ids=NESTINGS.keys())
def test_deep_nesting_of_any_kind_is_flattened_and_keeps_the_text(unit: str) -> None:
    page = "".join(unit.replace("{}", str(i)) for i in range(600)) + f"<p>{PARAGRAPH}</p>"
    bounded = bound_markup(page).html
    assert depth(page) > 4 * MAX_DEPTH  # lexbor alone nests it that deep
    assert depth(bounded) <= 3 * MAX_DEPTH
    assert PARAGRAPH in clean_html(page).text


@pytest.mark.parametrize("unit", NESTINGS.values(), ids=NESTINGS.keys())
def test_parse_html_flattens_deep_nesting_after_checking_its_tree(unit: str) -> None:
    page = "".join(unit.replace("{}", str(i)) for i in range(600)) + f"<p>{PARAGRAPH}</p>"
    tree, _ = parse_html(page)
    assert depth(tree.html or "") <= 3 * MAX_DEPTH
    assert PARAGRAPH in (tree.body.text() if tree.body else "")


def test_parse_html_keeps_a_shallow_page_of_many_tag_names_as_it_is() -> None:
    # each name opens once: the quick bound adds them up (300), the tree is two levels deep
    page = "".join(f"<x-{i}>{PARAGRAPH}</x-{i}>" for i in range(300))
    tree, notes = parse_html(page)
    assert notes == ()
    assert depth(tree.html or "") < 10
    assert len(tree.css("body > *")) == 300


def test_svg_self_closing_elements_are_not_nesting() -> None:
    page = "<svg>" + '<path d="M0 0"/>' * 5_000 + f"</svg><p>{PARAGRAPH}</p>"
    assert bound_markup(page).html is page


def test_a_tag_keeps_its_first_attributes() -> None:
    attributes = " ".join(f'a{i}="v>{i}"' for i in range(100_000))
    page = f"<div {attributes}><p>{PARAGRAPH}</p></div>"
    tree = LexborHTMLParser(bound_markup(page).html)
    div = tree.css_first("div")
    assert div is not None
    assert len(div.attributes) == MAX_ATTRIBUTES
    assert div.attributes["a0"] == "v>0"
    assert clean_html(page).text == PARAGRAPH


def test_a_page_is_cut_after_its_elements_cap() -> None:
    page = f"<p>{PARAGRAPH}</p>" + "<p>x</p>" * (MAX_ELEMENTS + 10)
    bounded = bound_markup(page)
    assert bounded.notes == (f"page cut at {MAX_ELEMENTS:,} elements",)
    assert bounded.html.count("<p>") == MAX_ELEMENTS
    article = clean_html(page)
    assert article.text.startswith(PARAGRAPH)
    assert f"page cut at {MAX_ELEMENTS:,} elements" in article.notes


def test_a_page_is_cut_after_its_text_cap_and_scripts_do_not_count() -> None:
    script = "<script>" + "var a = 1;" * 300_000 + "</script>"
    page = script + "<p>" + "word " * (MAX_PAGE_TEXT // 5 + 100) + "</p>"
    bounded = bound_markup(page)
    assert bounded.notes == (f"page cut at {MAX_PAGE_TEXT:,} characters of text",)
    assert len(bounded.html) == len(script) + len("<p>") + MAX_PAGE_TEXT


def test_dropped_tags_do_not_count_against_the_elements_cap() -> None:
    page = "<div>" * (2 * MAX_ELEMENTS) + f"<p>{PARAGRAPH}</p>"
    assert clean_html(page).text == PARAGRAPH


# The inputs of issue 9, each once minutes or gigabytes: they finish with a sound Article.
NAMED_INPUTS = {
    "100,000 letters without a space": ("text", "a" * 100_000),
    "100,000 letters without a space, as a page": ("html", "ư" * 100_000),
    '"<div a" x100,000': ("html", "<div a" * 100_000),
    "100,000 nested <blockquote>": ("html", "<blockquote>" * 100_000),
    "a tag with 100,000 attributes": (
        "html",
        "<div " + " ".join(f"a{i}" for i in range(100_000)) + ">x</div>",
    ),
    '"<p>x</p>" x1,000,000': ("html", "<p>x</p>" * 1_000_000),
    "a letter and 160,000 combining marks": ("text", "a" + "\u0301\u0323" * 80_000),
    # found by make fuzz: optgroups nest outside a select, and each furniture one was measured
    "3,700 nested optgroups with a furniture id": (
        "html",
        '<optgroup itemprop="datePublished" id="comments">' * 3_700 + "<p>x</p>" * 60_000,
    ),
    "3,700 nested ruby annotations": ("html", "<rt>" * 3_700 + "<p>x</p>" * 60_000),
    # found by make fuzz: trafilatura's pruning of empty elements costs elements times depth
    "8,000 paragraphs deep in nested lists": (
        "html",
        "<li><ul><li>" * 239 + "ф" * 297 + "<p>Ý kiến bạn đọc</p>" * 7_883 + "<li><ul><li>" * 930,
    ),
    # found by make fuzz: trafilatura's link-density test costs links times their depth
    "7,000 links nested in links": (
        "html",
        "".join(f"<a href=/{i}><div><a href=/x{i}>" for i in range(7_000)),
    ),
    "a letter and 160,000 combining marks across tags": (
        "html",
        "<p>a" + "<b>\u0301</b><i>\u0323</i>" * 80_000 + "</p>",
    ),
}


@pytest.mark.parametrize("cleaner, data", NAMED_INPUTS.values(), ids=NAMED_INPUTS.keys())
def test_the_named_poison_inputs_give_a_sound_article(cleaner: str, data: str) -> None:
    article = clean_html(data) if cleaner == "html" else clean_text(data)
    assert_sound(article)


def test_a_run_of_combining_marks_is_cut_before_nfc() -> None:
    article = clean_text(f"{PARAGRAPH} a" + "\u0301\u0323" * 80_000)
    assert article.text.startswith(PARAGRAPH)
    assert len(article.text) < len(PARAGRAPH) + 40
