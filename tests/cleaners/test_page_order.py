"""`explain_html`: clean_html's article, its trace in page order with what the main-text
extraction left out (not_main_text)."""

from __future__ import annotations

import pytest

from cleaners import clean_html
from cleaners.pipeline import explain_html
from tests.conftest import FIXTURES

PAGES = sorted((FIXTURES / "constructed").glob("*.html"))[:4]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_the_article_is_clean_htmls_and_the_trace_holds_every_block(path):
    raw = path.read_bytes()
    explained, cleaned = explain_html(raw), clean_html(raw)
    assert explained.to_dict() == cleaned.to_dict()
    # the same blocks, reordered, plus what the extraction left out
    rest = [entry for entry in explained.trace if entry[0] != "not_main_text"]
    assert sorted(rest, key=repr) == sorted(cleaned.trace, key=repr)
    kept = [text for reason, text in explained.trace if reason is None]
    assert kept == list(cleaned.paragraphs)


def test_pruned_boxes_stand_where_the_page_has_them():
    story = [f"Paragraph {n} of the story runs on with enough words to be kept as prose." * 2
             for n in range(4)]  # fmt: skip
    page = (
        "<html><body><nav><a href=/a>Home</a> <a href=/b>World</a></nav><article><h1>Head</h1>"
        + "".join(f"<p>{p}</p>" for p in story[:2])
        + '<div class="related-news"><h3>Tin liên quan</h3><ul>'
        + "".join(f"<li><a href=/{i}>Tin thứ {i} của trang báo</a></li>" for i in range(3))
        + "</ul></div>"
        + "".join(f"<p>{p}</p>" for p in story[2:])
        + "<p class=x>Share this story with a friend</p></article>"
        + "<footer>© Example</footer></body></html>"
    )
    trace = explain_html(page).trace
    reasons = [reason for reason, _ in trace]
    assert reasons[0] == "nav" and reasons[-1] == "footer"
    related = reasons.index("related_list")
    texts = [text for _, text in trace]
    assert texts.index(story[1]) < related < texts.index(story[2])
    assert ("not_main_text", "Head") in trace


@pytest.mark.parametrize("page", [b"", "", b"\xff\xfe\x00<", "<<<>>>" * 1000, "<p>solo</p>"])
def test_it_never_raises(page):
    article = explain_html(page)
    assert article.to_dict() == clean_html(page).to_dict()
