"""Unfinished WARC files of a killed crawl: cut after the last whole record, and after the last
record whose page the store committed; then read back by warcio without a short record."""

from __future__ import annotations

import os
import random
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from scraper.crawl.outputs.warc_archive import OPEN_SUFFIX, WarcArchive
from scraper.crawl.outputs.warc_recovery import complete_members, recover

BODY = random.Random(0).randbytes(40_000)  # gzip cannot shrink it: records of real size


def abandon(archive: WarcArchive) -> Path:
    """Leave the archive's file as a killed process would: unfinished, its lock released."""
    assert archive._file is not None
    archive._file.flush()
    path = archive.files[-1].with_name(archive.files[-1].name + OPEN_SUFFIX)
    archive._file.close()
    archive._file = None
    return path


def uris(directory: Path) -> list[str]:
    out = []
    for path in sorted(directory.glob("*.warc.gz")):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                record.content_stream().read()
                out.append(record.rec_headers.get_header("WARC-Target-URI"))
    return out


def test_a_record_cut_short_is_removed_and_the_file_finished(tmp_path: Path) -> None:
    archive = WarcArchive(tmp_path)
    for n in range(3):
        archive.write_response(f"https://a.example/{n}", 200, {}, BODY)
    path = abandon(archive)
    with path.open("rb") as file:
        members = complete_members(file)
    os.truncate(path, members[-1].end - 5_000)  # the kill came inside the third record
    (repair,) = recover(tmp_path, lambda page, record: True)
    assert (repair.kept, repair.uncommitted) == (2, 0)
    assert uris(tmp_path) == ["https://a.example/0", "https://a.example/1"]
    assert list(tmp_path.glob(f"*{OPEN_SUFFIX}")) == []


def test_a_last_page_record_the_store_never_committed_is_removed(tmp_path: Path) -> None:
    archive = WarcArchive(tmp_path)
    ids = [
        archive.write_response(f"https://a.example/{n}", 200, {}, BODY, page=f"page-{n}").record_id
        for n in range(3)
    ]
    abandon(archive)
    committed = {("page-0", ids[0]), ("page-1", ids[1])}  # killed before page-2's commit
    (repair,) = recover(tmp_path, lambda page, record: (page, record) in committed)
    assert (repair.kept, repair.uncommitted) == (2, 1)
    assert uris(tmp_path) == ["https://a.example/0", "https://a.example/1"]


def test_a_file_a_live_crawl_is_writing_is_left_alone(tmp_path: Path) -> None:
    with WarcArchive(tmp_path) as archive:
        archive.write_response("https://a.example/0", 200, {}, BODY, page="page-0")
        assert recover(tmp_path, lambda page, record: False) == []  # locked: not touched
        assert len(list(tmp_path.glob(f"*{OPEN_SUFFIX}"))) == 1
    assert uris(tmp_path) == ["https://a.example/0"]
