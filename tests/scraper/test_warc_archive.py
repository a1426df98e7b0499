"""The WARC archive on its own: files read back with warcio."""

from __future__ import annotations

import random
import time
from pathlib import Path

import httpx
import pytest
from warcio.archiveiterator import ArchiveIterator

from scraper.crawl.outputs.warc_archive import WarcArchive


def _responses(directory: Path) -> list[tuple[str, str, bytes]]:
    out = []
    for path in sorted(directory.glob("*.warc.gz")):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                uri = record.rec_headers.get_header("WARC-Target-URI")
                status = record.http_headers.get_statuscode()
                out.append((uri, status, record.content_stream().read()))
    return out


def test_two_archives_started_in_the_same_second_keep_both_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(time, "strftime", lambda *_: "20261123120000")  # one second for both
    for n in range(2):
        with WarcArchive(tmp_path) as archive:
            archive.write_response(f"https://a.example/{n}", 200, {}, b"page %d" % n)
    assert len(list(tmp_path.glob("*.warc.gz"))) == 2
    assert _responses(tmp_path) == [
        ("https://a.example/0", "200", b"page 0"),
        ("https://a.example/1", "200", b"page 1"),
    ]


def test_files_rotate_past_the_size_limit_and_keep_every_record(tmp_path: Path) -> None:
    body = random.Random(0).randbytes(16_000)  # gzip cannot shrink it
    with WarcArchive(tmp_path, max_bytes=20_000) as archive:
        for n in range(5):
            archive.write_response(f"https://a.example/{n}", 404, {"Server": "x"}, body)
    assert len(archive.files) >= 2
    assert [(u, s) for u, s, _ in _responses(tmp_path)] == [
        (f"https://a.example/{n}", "404") for n in range(5)
    ]
    assert all(b == body for _, _, b in _responses(tmp_path))


def test_a_capped_body_is_marked_truncated_and_repeated_headers_stay_apart(
    tmp_path: Path,
) -> None:
    cookie = "a=1; Expires=Wed, 21 Oct 2015"  # a comma inside: joined lines would be ambiguous
    headers = httpx.Headers([("Set-Cookie", cookie), ("Set-Cookie", "b=2")])
    with WarcArchive(tmp_path) as archive:
        archive.write_response("https://a.example/e", 500, headers, b"cut", truncated=True)
        archive.write_response("https://a.example/f", 200, {}, b"whole")
    with next(tmp_path.glob("*.warc.gz")).open("rb") as stream:
        records = [r for r in ArchiveIterator(stream) if r.rec_type == "response"]
    assert records[0].rec_headers.get_header("WARC-Truncated") == "length"
    cookies = [v for k, v in records[0].http_headers.headers if k.lower() == "set-cookie"]
    assert cookies == [cookie, "b=2"]
    assert records[1].rec_headers.get_header("WARC-Truncated") is None


def test_an_archive_that_records_nothing_leaves_no_file(tmp_path: Path) -> None:
    with WarcArchive(tmp_path):
        pass
    assert list(tmp_path.iterdir()) == []
