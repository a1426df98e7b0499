"""Reading a saved page or text for `clean` and `explain`: a file, `-` for stdin, or gzip'd."""

from __future__ import annotations

import gzip
import io
import sys
from pathlib import Path

# The largest input read, decompressed: past it the rest is ignored (the cleaner cuts there too).
MAX_INPUT_BYTES = 50_000_000
_HTML_MARKERS = (b"<!doctype", b"<html", b"<head", b"<body", b"<meta", b"<div", b"<p>", b"<p ")


class InputError(Exception):
    """The input could not be read; the message is one line for the user."""


def read_input(path: str) -> bytes:
    """Return the bytes at `path` (`-`: standard input), decompressed when gzip'd, capped."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with Path(path).open("rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise InputError(f"is a directory, not a file: {path}") from None
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from None
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, path)
    return data[:MAX_INPUT_BYTES]


def _gunzip(data: bytes, path: str) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            return stream.read(MAX_INPUT_BYTES)
    except (OSError, EOFError) as error:
        raise InputError(f"broken gzip data in {path}: {error}") from None


def looks_like_html(data: bytes, path: str = "") -> bool:
    """True when the input is a page rather than plain text: by its name, else its first bytes."""
    if path.lower().removesuffix(".gz").endswith((".html", ".htm", ".xhtml")):
        return True
    head = data[:4096].lower()
    return any(marker in head for marker in _HTML_MARKERS)
