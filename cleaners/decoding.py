"""Bytes of an HTML page to text: BOM, HTTP charset, <meta charset>, then detection; NFC out.

Pure and total: `decode_html` never raises. The common case (UTF-8 declared or valid) costs one
`bytes.decode`; charset-normalizer is imported and run only when nothing else settles it.
"""

from __future__ import annotations

import codecs
import re

from cleaners.normalize import nfc

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# WHATWG Encoding: these labels mean windows-1252 in every browser, and servers send them
# by default for pages that are really UTF-8.
_LATIN1_LABELS = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii",
                            "ascii", "windows-1252", "cp1252"})  # fmt: skip

# A page must declare its charset in the first 1024 bytes (HTML standard); allow some slack
# for long <head> openings seen in the wild.
_META_WINDOW = 4096
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.+-]+)""", re.IGNORECASE
)


def decode_html(data: bytes, http_charset: str | None = None) -> str:
    """Decode an HTML page's bytes to NFC text, by BOM, HTTP charset, <meta>, then detection."""
    try:
        text = _decode(data, http_charset)
    except Exception:  # a codec bug must not break cleaning; the contract says never raise
        text = data.decode("utf-8", "replace")
    if not text.isascii():
        text = nfc(text)
    return text


def _decode(data: bytes, http_charset: str | None) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, "replace")
    declared: list[str | None] = [_codec(http_charset), _codec(_meta_charset(data))]
    for label in declared:
        if label is None:
            continue
        if label in _LATIN1_LABELS and _is_utf8_beyond_ascii(data):
            return data.decode("utf-8")
        try:
            return data.decode(_python_codec(label))
        except UnicodeDecodeError:
            continue  # the declaration lies; try the next one
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    detected = _detect(data)
    if detected:
        return data.decode(detected, "replace")
    return data.decode(_python_codec(next((e for e in declared if e), "utf-8")), "replace")


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data, 0, _META_WINDOW)
    return match.group(1).decode("ascii") if match else None


def _codec(label: str | None) -> str | None:
    """Normalise a charset label to a known codec name, or None when unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # WHATWG: no browser decodes a page as UTF-7 (it smuggles markup past filters), and codecs
    # that are not text encodings ("base64", "rot13", "hex") are not charsets at all
    if name == "utf-7" or not codecs.lookup(label)._is_text_encoding:
        return None
    return label


def _python_codec(label: str) -> str:
    # A page labelled latin-1 may use windows-1252's curly quotes in 0x80-0x9F (WHATWG).
    return "cp1252" if label in _LATIN1_LABELS else label


def _is_utf8_beyond_ascii(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return best.encoding if best else None
