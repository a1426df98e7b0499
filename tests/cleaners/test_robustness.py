"""Inputs found by review that once lost the body, kept junk or could not be encoded."""

import json

import pytest

from cleaners import clean_html, clean_text

PARAGRAPH = (
    "The president said that the economy was growing and that it would be a good year for all."
)
ENGLISH = "The ministry said on Monday that exports grew strongly this year, according to a report."


@pytest.mark.parametrize(
    "page",
    [
        "<div>" * 300 + f"<p>{PARAGRAPH}</p>" + "</div>" * 300,  # deeper than libxml2 goes
        "<div>" * 100_000 + f"<p>{PARAGRAPH}</p>" + "</div>" * 100_000,  # quadratic to parse
        "<div>" * 100_000 + f"<p>{PARAGRAPH}</p>",  # never closed
    ],
    ids=["300-deep", "100k-deep", "100k-unclosed"],
)
def test_deeply_nested_pages_keep_their_paragraph(page):
    article = clean_html(f"<html><body>{page}</body></html>")
    assert article.text == PARAGRAPH


def test_a_lone_surrogate_never_reaches_the_output():
    article = clean_text("\ud800 " + PARAGRAPH)
    json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")
    assert article.text == PARAGRAPH


def test_a_utf7_meta_charset_is_not_obeyed():
    page = (
        b'<html><head><meta charset="utf-7"></head><body><article>'
        b"<p>+ADw-script+AD4-" + PARAGRAPH.encode() + b"</p></article></body></html>"
    )
    assert PARAGRAPH in clean_html(page).text


@pytest.mark.parametrize(
    "sentence",
    [
        "Đặng Thị Ngọc Thịnh, Nguyễn Xuân Phúc and Võ Văn Thưởng attended the ceremony in Huế.",
        "The Trường Sơn route through Quảng Bình, Quảng Trị and Thừa Thiên-Huế was repaired.",
    ],
)
def test_english_sentences_full_of_vietnamese_names_are_kept(sentence):
    article = clean_text(f"{ENGLISH}\n{sentence}")
    assert list(article.paragraphs) == [ENGLISH, sentence]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Tin khac", "junk_heading"),  # typed without diacritics
        ("Bài viết liên quan", "junk_heading"),  # not a byline for starting with "Bài"
        ("Theo VnExpress", "credit"),  # the source credit closing a story
    ],
)
def test_vietnamese_furniture_lines_get_their_reason(line, reason):
    article = clean_text(f"{ENGLISH}\n{line}")
    assert list(article.paragraphs) == [ENGLISH]
    assert [(r.reason, r.text) for r in article.removed] == [(reason, line)]


def test_a_menu_list_is_reported_as_nav():
    links = "".join(f'<li><a href="/{i}">Section {i}</a></li>' for i in range(6))
    body = f'<ul class="menu">{links}</ul><article><p>{PARAGRAPH}</p></article>'
    page = f"<html><body>{body}</body></html>"
    article = clean_html(page)
    assert article.text == PARAGRAPH
    assert [r.reason for r in article.removed] == ["nav"]
