"""Reading WARC files written with warcio: pages, skip reasons, broken files, a record by offset."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from scraper.archive.job import FileFailure, Skip
from scraper.archive.records import HtmlPage, Skipped, WarcBroken, read_pages, read_record_at
from tests.scraper.archive.warcs import Rec, story, write_warc

CAP = 10_000_000


def read_all(path: Path) -> list[HtmlPage | Skipped]:
    with path.open("rb") as stream:
        return list(read_pages(stream, CAP))


def test_every_kind_of_record_gives_a_page_or_its_skip_reason(tmp_path):
    big = b"<html><body><p>" + b"x" * 50_000_000 + b"</p></body></html>"
    path = write_warc(
        tmp_path / "mixed.warc.gz",
        [
            Rec("https://a.vn/1.html", story(1)),
            Rec("https://a.vn/1.html", kind="request"),
            Rec("https://a.vn/2.html", kind="revisit"),
            Rec("https://a.vn/meta", b"note", kind="metadata"),
            Rec("https://a.vn/gone.html", b"<html>gone</html>", status=404),
            Rec("https://a.vn/moved", b"", status=301),
            Rec("https://a.vn/doc.pdf", b"%PDF-1.4", content_type="application/pdf"),
            Rec("https://a.vn/big.html", big),
            Rec("https://a.vn/bare.html", story(2), content_type=None),
            Rec("https://a.vn/data.bin", b"\x00\x01binary", content_type=None),
        ],
    )
    items = read_all(path)
    kinds = [i.reason if isinstance(i, Skipped) else "page" for i in items]
    assert kinds == [
        "page",
        Skip.request,
        Skip.revisit,
        Skip.other_record,
        Skip.not_200,
        Skip.not_200,
        Skip.not_html,
        Skip.too_large,
        "page",  # no Content-Type, but the bytes are HTML
        Skip.not_html,
    ]
    page = items[0]
    assert isinstance(page, HtmlPage)
    assert page.payload == story(1) and page.charset == "utf-8" and page.status == 200
    assert page.target_uri == "https://a.vn/1.html" and page.warc_date == "2025-09-15T08:00:00Z"
    assert page.record_id and page.record_id.startswith("<urn:uuid:")


def test_the_http_charset_is_kept_and_content_encoding_undone(tmp_path):
    body = gzip.compress("<html><title>Cà phê</title><p>Cà phê đá</p></html>".encode("cp1258"))
    path = write_warc(
        tmp_path / "enc.warc",
        [
            Rec(
                "https://a.vn/vn.html",
                body,
                content_type="text/html; charset=windows-1258",
                headers={"Content-Encoding": "gzip"},
            )
        ],
        gzip_records=False,
    )
    (page,) = read_all(path)
    assert isinstance(page, HtmlPage)
    assert page.charset == "windows-1258"
    assert page.payload.decode("cp1258").startswith("<html><title>Cà phê")


def test_a_record_cut_short_is_skipped_and_the_file_reported_truncated(tmp_path):
    path = write_warc(
        tmp_path / "cut.warc",
        [Rec("https://a.vn/1.html", story(1)), Rec("https://a.vn/2.html", story(2))],
        gzip_records=False,
    )
    path.write_bytes(path.read_bytes()[:-300])
    with path.open("rb") as stream:
        reader = read_pages(stream, CAP)
        first, second = next(reader), next(reader)
        assert isinstance(first, HtmlPage)
        assert isinstance(second, Skipped) and second.reason is Skip.cut_short
        with pytest.raises(WarcBroken) as broken:
            next(reader)
    assert broken.value.failure is FileFailure.truncated


@pytest.mark.parametrize("cut", [200, 20])  # inside the last member's payload; in its trailer
def test_a_truncated_gzip_member_keeps_the_records_before_it(tmp_path, cut):
    path = write_warc(
        tmp_path / "t.warc.gz", [Rec(f"https://a.vn/{n}", story(n)) for n in range(3)]
    )
    path.write_bytes(path.read_bytes()[:-cut])
    with path.open("rb") as stream:
        reader = read_pages(stream, CAP)
        got = [next(reader), next(reader), next(reader)]
        with pytest.raises(WarcBroken) as broken:
            next(reader)
    assert [isinstance(g, HtmlPage) for g in got[:2]] == [True, True]
    assert isinstance(got[2], Skipped) and got[2].reason is Skip.cut_short
    assert broken.value.failure is FileFailure.truncated


@pytest.mark.parametrize(
    "content",
    [b"<html><body>not an archive</body></html>\n" * 100, gzip.compress(b"just some text\n" * 99)],
)
def test_a_file_that_is_not_a_warc_says_so(tmp_path, content):
    path = tmp_path / "x.warc.gz"
    path.write_bytes(content)
    with pytest.raises(WarcBroken) as broken:
        read_all(path)
    assert broken.value.failure is FileFailure.not_warc


def test_garbage_in_the_middle_stops_the_file_after_the_good_records(tmp_path):
    path = write_warc(
        tmp_path / "c.warc.gz", [Rec(f"https://a.vn/{n}", story(n)) for n in range(3)]
    )
    data = bytearray(path.read_bytes())
    second = data.index(b"\x1f\x8b", 10)  # the second record's gzip member
    data[second : second + 40] = b"\x00" * 40
    path.write_bytes(bytes(data))
    with path.open("rb") as stream:
        reader = read_pages(stream, CAP)
        assert isinstance(next(reader), HtmlPage)
        with pytest.raises(WarcBroken) as broken:
            list(reader)
    assert broken.value.failure in (FileFailure.corrupt, FileFailure.truncated)


def test_one_record_is_read_again_by_its_offset(tmp_path):
    path = write_warc(
        tmp_path / "o.warc.gz", [Rec(f"https://a.vn/{n}", story(n)) for n in range(4)]
    )
    pages = read_all(path)
    third = pages[2]
    assert isinstance(third, HtmlPage) and third.offset > 0
    again = read_record_at(str(path), third.offset)
    assert again == third
