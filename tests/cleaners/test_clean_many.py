"""`clean_many`: a batch over real worker processes gives the one-by-one results, in order."""

from __future__ import annotations

import pytest

from cleaners import clean_html, clean_many, clean_text
from tests.conftest import FIXTURES

CONSTRUCTED = FIXTURES / "constructed"


def pages() -> list:
    paths = sorted(CONSTRUCTED.glob("*.html"))[:5]
    docs: list = [paths[0].read_bytes(), paths[1].read_text(encoding="utf-8")]
    docs += [(p.read_bytes(), f"https://e.vnexpress.net/news/{p.stem}.html") for p in paths[2:]]
    docs.append(b"")  # an empty page is an article too, with its note
    return docs


def one_by_one(docs: list, **options) -> list[dict]:
    out = []
    for doc in docs:
        page, url = doc if isinstance(doc, tuple) else (doc, None)
        out.append(clean_html(page, url, **options).to_dict())
    return out


def test_two_processes_give_the_one_by_one_articles_in_input_order():
    docs = pages()
    articles = clean_many(docs, processes=2)
    assert [a.to_dict() for a in articles] == one_by_one(docs)
    titles = [a.title for a in articles[:-1]]
    assert len(set(titles)) == len(titles)  # distinct pages: the order is checked, not only the set
    assert articles[-1].text == "" and articles[-1].notes


def test_one_process_runs_inline_with_the_same_options():
    docs = pages()[:2]
    articles = clean_many(docs, processes=1, language=None)
    assert [a.to_dict() for a in articles] == one_by_one(docs, language=None)


def test_texts_go_to_clean_text():
    text = (CONSTRUCTED / "plain_text_sidebar.txt").read_text(encoding="utf-8")
    articles = clean_many([text, text.encode("utf-8")], processes=2, text=True)
    expected = clean_text(text).to_dict()
    assert [a.to_dict() for a in articles] == [expected, expected]


def test_an_empty_batch_and_a_bad_process_count():
    assert clean_many([]) == []
    with pytest.raises(ValueError, match="at least 1"):
        clean_many(["<p>x</p>"], processes=0)
