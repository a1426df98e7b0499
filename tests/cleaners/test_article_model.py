"""What a library user sees of an Article: its repr and its Markdown."""

from __future__ import annotations

from cleaners import Article, clean_text


def test_repr_is_one_short_line_without_the_text():
    body = "HÀ NỘI — The National Assembly met on Monday. " * 200
    article = clean_text(f"date 2025-09-15 {body}\n\nA second paragraph of the story follows here.")
    shown = repr(article)
    assert "\n" not in shown and len(shown) < 200
    assert "date='2025-09-15'" in shown and "language='en'" in shown
    assert f"paragraphs={len(article.paragraphs)}" in shown
    assert f"words={len(article.text.split())}" in shown
    assert "National Assembly" not in shown


def test_repr_cuts_a_long_title():
    shown = repr(Article(title="A" * 300))
    assert "A" * 59 + "…" in shown and "A" * 61 not in shown


def test_markdown_has_the_title_heading_the_metadata_line_and_the_paragraphs():
    article = Article(
        title="Bridge *opens*",
        date="2025-09-15",
        dateline="HÀ NỘI",
        authors=("Jane Doe",),
        url="https://example.com/a_b",
        paragraphs=("HÀ NỘI — First.", "# not a heading", "1. not a list", "Plain."),
    )
    assert article.to_markdown() == (
        "# Bridge \\*opens\\*\n\n"
        "*2025-09-15 · HÀ NỘI · Jane Doe · https://example.com/a\\_b*\n\n"
        "HÀ NỘI — First.\n\n"
        "\\# not a heading\n\n"
        "1\\. not a list\n\n"
        "Plain.\n"
    )


def test_markdown_of_an_untitled_empty_article():
    assert Article().to_markdown() == "# Untitled\n"


def test_from_dict_gives_back_the_article_of_to_dict():
    article = clean_text("date 2025-09-15 HÀ NỘI — The bridge opened on Monday after three years.")
    assert Article.from_dict({**article.to_dict(), "source": "x"}) == article
