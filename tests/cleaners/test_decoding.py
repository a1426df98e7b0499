"""decode_html: BOM, HTTP charset, <meta charset>, detection; NFC out; never raises."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from cleaners.decoding import decode_html

FIXTURES = Path(__file__).parents[2] / "fixtures" / "fetch"
VIETNAMESE = (
    "Thủ tướng Phạm Minh Chính chủ trì phiên họp Chính phủ thường kỳ tháng Chín tại Hà Nội."
)


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><p>{body}</p></body></html>"


def test_windows_1258_page_declared_by_http_equiv_decodes_to_nfc_vietnamese() -> None:
    data = (FIXTURES / "windows-1258.html").read_bytes()
    text = decode_html(data)
    assert VIETNAMESE in text
    assert unicodedata.is_normalized("NFC", text)


def test_windows_1258_page_without_any_declaration_is_detected() -> None:
    data = (FIXTURES / "windows-1258.html").read_bytes().replace(b"windows-1258", b"")
    assert VIETNAMESE in decode_html(data)


def test_http_charset_wins_over_a_contradicting_meta_charset() -> None:
    data = page("Tô Lâm", '<meta charset="windows-1258">').encode("utf-8")
    assert "Tô Lâm" in decode_html(data, "utf-8")


def test_meta_charset_is_used_when_the_http_charset_does_not_fit_the_bytes() -> None:
    data = (FIXTURES / "windows-1258.html").read_bytes()
    assert VIETNAMESE in decode_html(data, "utf-8")


def test_utf8_bytes_labelled_latin1_by_a_server_default_decode_as_utf8() -> None:
    data = page("Bùi Thanh Sơn", '<meta charset="utf-8">').encode("utf-8")
    assert "Bùi Thanh Sơn" in decode_html(data, "ISO-8859-1")


def test_real_latin1_page_keeps_its_charset() -> None:
    data = page("café déjà vu").encode("latin-1")
    assert "café déjà vu" in decode_html(data, "iso-8859-1")


def test_bom_wins_over_every_declaration() -> None:
    data = codecs.BOM_UTF16_LE + page("Hà Nội", '<meta charset="iso-8859-1">').encode("utf-16-le")
    assert "Hà Nội" in decode_html(data, "windows-1252")


def test_decomposed_vietnamese_comes_out_composed() -> None:
    data = unicodedata.normalize("NFD", page("Hồ Chí Minh")).encode("utf-8")
    assert "Hồ Chí Minh" in decode_html(data)


def test_unknown_charset_labels_are_ignored() -> None:
    data = page("Đà Nẵng", '<meta charset="no-such-charset">').encode("utf-8")
    assert "Đà Nẵng" in decode_html(data, "x-bogus")


@given(st.binary(max_size=2000), st.sampled_from([None, "utf-8", "latin-1", "bogus", ""]))
def test_never_raises_and_always_returns_nfc_text(data: bytes, charset: str | None) -> None:
    text = decode_html(data, charset)
    assert isinstance(text, str)
    assert unicodedata.is_normalized("NFC", text)
