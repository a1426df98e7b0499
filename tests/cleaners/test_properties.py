"""Properties every input must keep: no exception, an Article, the same result twice."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners import Article, clean_html, clean_text

# Markup-ish text finds more parser corners than uniform random characters do.
markup = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<div class='related'>",
                "</div>",
                "<ul><li><a href='/x'>",
                "</a></li></ul>",
                "<script>",
                "</script>",
                "<!--",
                "-->",
                "<meta charset='",
                "'>",
                "<html>",
                "<body>",
                "&amp;",
                "&#0;",
                "\x00",
                "Tin liên quan",
                "Đọc nhiều",
                "HÀ NỘI — ",
                "The government said on Monday that ",
                "\n\n",
            ]
        ),
        st.text(max_size=40),
    ),
    max_size=30,
).map("".join)

fast = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(st.text())
def test_clean_text_never_raises_on_any_text(text):
    assert isinstance(clean_text(text), Article)


@fast
@given(st.one_of(st.text(), markup))
def test_clean_html_never_raises_on_any_text(html):
    article = clean_html(html)
    assert isinstance(article, Article)
    assert isinstance(article.text, str)


@fast
@given(st.binary(max_size=2000))
def test_clean_html_never_raises_on_any_bytes(data):
    assert isinstance(clean_html(data), Article)


@fast
@given(markup, st.sampled_from(["en", None]))
def test_clean_html_is_deterministic(html, language):
    first = clean_html(html, "https://example.vn/a.html", language=language).to_dict()
    second = clean_html(html, "https://example.vn/a.html", language=language).to_dict()
    assert first == second


@fast
@given(markup)
def test_to_dict_is_json_safe(html):
    import json

    data = clean_html(html).to_dict()
    assert json.loads(json.dumps(data)) == data
