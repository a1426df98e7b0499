"""`language` has one meaning in the library: an ISO 639-1 code, or "auto" for each page's own."""

import pytest

from cleaners import clean_html, clean_text
from cleaners.language_option import language_to_keep

VIETNAMESE = (
    "<html lang='vi'><body><article><h1>Tin mới</h1>"
    "<p>Thủ tướng Chính phủ đã chủ trì cuộc họp với các bộ, ngành để bàn về tình hình kinh tế"
    " xã hội trong những tháng cuối năm và đề ra các giải pháp trọng tâm.</p>"
    "<p>Các đại biểu đã thảo luận sôi nổi về những vấn đề được nhân dân quan tâm.</p>"
    "</article></body></html>"
)


@pytest.mark.parametrize("bad", ["english", "eng", "en-US", "xx", "", "auto-detect"])
def test_a_language_that_is_not_a_code_raises_value_error(bad: str) -> None:
    with pytest.raises(ValueError, match="ISO 639-1"):
        clean_html("<p>x</p>", language=bad)
    with pytest.raises(ValueError, match="ISO 639-1"):
        clean_text("x", language=bad)


def test_auto_means_the_pages_own_language_as_none_does() -> None:
    auto = clean_html(VIETNAMESE, "https://example.vn/a", language="auto")
    none = clean_html(VIETNAMESE, "https://example.vn/a", language=None)
    assert auto.to_dict() == none.to_dict()
    assert auto.language == "vi" and auto.text.startswith("Thủ tướng")
    assert clean_html(VIETNAMESE, "https://example.vn/a", language="en").text == ""


def test_codes_are_read_in_any_case() -> None:
    assert language_to_keep("EN") == "en"
    assert language_to_keep(" vi ") == "vi"
    assert language_to_keep("Auto") is None
    assert language_to_keep(None) is None
