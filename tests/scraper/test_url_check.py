"""Every URL a crawl or `get` meets is checked once; what passes can be parsed everywhere after."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.crawl.canonical import canonical_url, host_key
from scraper.http.errors import InvalidURL, UnsupportedScheme
from scraper.http.host_scope import host_key_of
from scraper.http.robots import origin_of
from scraper.http.url_check import check_url, is_valid_url
from scraper.redact import redact, without_userinfo


@pytest.mark.parametrize(
    "url",
    [
        "http://h:abc/",
        "http://[::1/",
        "http://127.0.0.1:99999/x",
        "http://h:0/",
        "http:///x",
        "http://h:80:90/",
        "http://exa mple.com/",
        "http://a..b/",
    ],
)
def test_malformed_hosts_and_ports_are_invalid_url(url: str) -> None:
    with pytest.raises(InvalidURL) as caught:
        check_url(url)
    assert caught.value.reason == "invalid_url"
    assert caught.value.url == url


@pytest.mark.parametrize("url", ["ftp://h/x", "javascript:alert(1)", "mailto:a@b", "h/x"])
def test_other_schemes_are_refused(url: str) -> None:
    with pytest.raises(UnsupportedScheme):
        check_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://e.vnexpress.net/news/a-1.html?x=1#top",
        "http://127.0.0.1:8080/a",
        "http://[::1]:80/",
        "https://báo.vn/tin",
        "HTTP://EXAMPLE.COM",
        "http://user:secret@example.com/feed",
        "http://my_host.example/a",
    ],
)
def test_usable_urls_pass_unchanged(url: str) -> None:
    assert check_url(url) == url


def test_user_info_is_redacted_in_text_and_dropped_from_stored_urls() -> None:
    text = "failed http://user:secret@h.example/a and https://token@x.example:8/b?c@d"
    assert redact(text) == "failed http://***@h.example/a and https://***@x.example:8/b?c@d"
    assert without_userinfo("http://user:secret@h.example:8/a?x@y") == "http://h.example:8/a?x@y"
    assert canonical_url("http://user:secret@h.example/a") == "http://h.example/a"
    assert host_key("http://user:secret@h.example:8/a") == "h.example:8"


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=60),
        st.builds(
            lambda scheme, host, port, path: f"{scheme}://{host}{port}{path}",
            st.sampled_from(["http", "https", "HTTP", "ftp"]),
            st.text(alphabet="ab.-_[]:%@ 19", max_size=12),
            st.sampled_from(["", ":", ":80", ":abc", ":99999", ":0", ":-1", "]:8"]),
            st.text(alphabet="/?#%@[]a", max_size=8),
        ),
    )
)
def test_a_checked_url_never_breaks_the_code_that_parses_it_later(url: str) -> None:
    try:
        check_url(url)
    except (InvalidURL, UnsupportedScheme):
        return
    # what a crawl does with a URL once it is accepted: none of these may raise
    canonical = canonical_url(url)
    assert is_valid_url(canonical), (url, canonical)
    host_key(url)
    origin_of(url)
    assert host_key_of(url) is not None
