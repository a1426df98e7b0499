"""`newsclean archive` end to end: WARC files in, Parquet or JSON Lines parts out, read back."""

from __future__ import annotations

import json

import pyarrow.parquet as pq

from cleaners import cleaner_version
from scraper.archive.output import MANIFESTS
from tests.scraper.archive.warcs import (
    Rec,
    archive,
    read_jsonl,
    read_rows,
    run_cli,
    stories,
    story,
    summary_line,
    write_warc,
)

CAFE = (
    "<html><head><title>Café owners cheer new rules</title></head><body><article>"
    "<p>PARIS — Café owners in the capital welcomed the city's new rules on Tuesday, saying the"
    " décor of their pavement cafés would no longer be fined.</p><p>The rules take effect next"
    " month and cover every café in the old quarter, the city's statement said.</p>"
    "</article></body></html>"
)


def test_rows_carry_the_article_and_its_provenance_and_each_article_comes_once(tmp_path):
    later = write_warc(tmp_path / "later.warc.gz", stories("a.vn", range(0, 6), day=15))
    earlier_records = stories("b.vn", range(3, 8), day=10)
    earlier_records.append(
        Rec("https://b.vn/news/0-copy.html", story(0), date="2025-09-20T00:00:00Z")
    )
    earlier_records.append(
        Rec(
            "https://b.vn/cafe.html",
            CAFE.encode("cp1252"),
            content_type="text/html; charset=cp1252",
        )
    )
    earlier = write_warc(tmp_path / "earlier.warc.gz", earlier_records)
    out = tmp_path / "out"

    result = archive(str(later), str(earlier), "--out", str(out), "--workers", "2")

    assert result.returncode == 0, result.stderr
    rows = read_rows(out)
    by_title = {row["title"]: row for row in rows}
    # stories 3-5 are in both files: the copies with the earlier WARC-Date (b.vn's) win;
    # story 0 stays with a.vn, whose copy is older than b.vn's
    assert sorted(by_title) == sorted(
        [f"Story {n}" for n in range(8)] + ["Café owners cheer new rules"]
    )
    assert len(rows) == len({row["content_hash"] for row in rows}) == 9
    assert {n: by_title[f"Story {n}"]["warc_file"] for n in (0, 3, 5, 7)} == {
        0: str(later),
        3: str(earlier),
        5: str(earlier),
        7: str(earlier),
    }
    cafe = by_title["Café owners cheer new rules"]
    assert cafe["text"].startswith("PARIS — Café owners") and cafe["dateline"] == "PARIS"
    story3 = by_title["Story 3"]
    assert story3["warc_target_uri"] == "https://b.vn/news/3.html"
    assert story3["warc_date"] == "2025-09-10T08:03:00Z" and story3["http_status"] == 200
    assert story3["warc_record_id"].startswith("<urn:uuid:")
    assert story3["cleaner_version"] == cleaner_version()
    assert story3["paragraphs"][0].startswith("Story 3, part 0") and story3["language"] == "en"
    assert any("Tin liên quan" in removed["text"] for removed in story3["removed"])
    summary = summary_line(result.stderr)
    assert "files 2 (0 already done, 0 failed)" in summary
    assert "records 13, HTML pages 13, articles written 9, duplicates 4" in summary
    parts = sorted(p.name for p in out.glob("*.parquet"))
    assert len(parts) == 2 and not list(out.glob(".*"))  # one part per input, no leftovers
    metadata = pq.read_schema(out / parts[0]).metadata
    assert metadata[b"newsclean.cleaner_version"] == cleaner_version().encode()


def test_a_rerun_skips_done_parts_and_a_new_cleaner_version_cleans_again(tmp_path):
    first = write_warc(tmp_path / "one.warc.gz", stories("a.vn", range(0, 4)))
    second = write_warc(tmp_path / "two.warc.gz", stories("a.vn", range(4, 8)))
    out = tmp_path / "out"
    args = [str(first), str(second), "--out", str(out), "--workers", "1"]
    assert archive(*args).returncode == 0
    rows = read_rows(out)
    parts = {p.name: p.stat().st_mtime_ns for p in out.glob("*.parquet")}

    rerun = archive(*args)

    assert rerun.returncode == 0, rerun.stderr
    assert "files 2 (2 already done, 0 failed), records 0" in summary_line(rerun.stderr)
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.parquet")} == parts
    # a part made by an older cleaner is cleaned again, into the same part name
    manifest_path = next((out / MANIFESTS).glob("one-*.json"))
    manifest = json.loads(manifest_path.read_text())
    manifest.update(cleaner_version="0.0.1+older", fingerprint="older")
    manifest_path.write_text(json.dumps(manifest))

    upgraded = archive(*args)

    assert upgraded.returncode == 0, upgraded.stderr
    assert "files 2 (1 already done, 0 failed), records 4" in summary_line(upgraded.stderr)
    assert read_rows(out) == rows
    assert json.loads(manifest_path.read_text())["cleaner_version"] == cleaner_version()


def test_bad_input_is_counted_under_its_reason_and_the_rest_comes_out(tmp_path):
    good = write_warc(tmp_path / "good.warc.gz", stories("a.vn", range(0, 3)))
    cut = write_warc(tmp_path / "cut.warc.gz", stories("a.vn", range(10, 14)))
    cut.write_bytes(cut.read_bytes()[:-150])  # a truncated gzip member at the end
    not_warc = tmp_path / "notes.warc"
    not_warc.write_text("These are my notes, not an archive.\n" * 40)
    huge = b"<html><body><p>" + b"word " * 10_000_000 + b"</p></body></html>"  # 50 MB
    mixed = write_warc(
        tmp_path / "mixed.warc.gz",
        [
            Rec("https://a.vn/news/20.html", kind="request"),
            Rec("https://a.vn/news/20.html", story(20)),
            Rec("https://a.vn/news/21.html", kind="revisit"),
            Rec("https://a.vn/news/22.html", b"<html>missing</html>", status=404),
            Rec("https://a.vn/report.pdf", b"%PDF-1.4 ...", content_type="application/pdf"),
            Rec("https://a.vn/news/huge.html", huge),
            Rec("https://a.vn/news/23.html", story(23)),
        ],
    )
    uncompressed = write_warc(
        tmp_path / "short.warc", stories("a.vn", range(30, 33)), gzip_records=False
    )
    uncompressed.write_bytes(uncompressed.read_bytes()[:-400])  # the last record cut short
    out = tmp_path / "out"

    result = run_cli(*(str(p) for p in (good, cut, not_warc, mixed, uncompressed)), "-o", str(out))

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    titles = sorted(row["title"] for row in read_rows(out))
    assert titles == sorted(f"Story {n}" for n in (0, 1, 2, 10, 11, 12, 20, 23, 30, 31))
    summary = summary_line(result.stderr)
    assert "files 5 (0 already done, 3 failed: not_warc 1, truncated 2)" in summary
    for reason in ("cut_short 2", "not_200 1", "not_html 1", "request 1", "revisit 1"):
        assert reason in summary
    assert "too_large 1" in summary


def test_jsonl_parts_hold_the_contract_keys_and_the_provenance(tmp_path):
    warc = write_warc(tmp_path / "j.warc.gz", stories("a.vn", range(0, 3)))
    out = tmp_path / "out"

    result = archive(str(warc), "--out", str(out), "--format", "jsonl", "--workers", "1")

    assert result.returncode == 0, result.stderr
    rows = read_jsonl(out)
    assert [row["title"] for row in rows] == ["Story 0", "Story 1", "Story 2"]
    keys = list(rows[0])
    assert keys[:11] == [
        "url", "title", "text", "paragraphs", "date", "date_source", "dateline", "authors",
        "language", "removed", "notes",
    ]  # fmt: skip
    assert keys[-8:] == [
        "warc_file", "warc_offset", "warc_record_id", "warc_date", "warc_target_uri",
        "http_status", "content_hash", "cleaner_version",
    ]  # fmt: skip


def test_host_and_date_filters_keep_only_what_was_asked(tmp_path):
    records = stories("e.vnexpress.net", range(0, 3), day=5) + stories(
        "other.com", range(3, 5), day=12
    )
    records += stories("vnexpress.net", range(5, 7), day=12) + stories(
        "e.vnexpress.net", range(7, 9), day=20
    )
    warc = write_warc(tmp_path / "f.warc.gz", records)
    out = tmp_path / "out"

    result = archive(
        str(warc), "-o", str(out), "--host", "vnexpress.net", "--since", "2025-09-10",
        "--until", "2025-09-12", "--workers", "1",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert [row["title"] for row in read_rows(out)] == ["Story 5", "Story 6"]
    summary = summary_line(result.stderr)
    assert "host_filter 2" in summary and "date_filter 5" in summary


def test_usage_and_output_errors_fail_in_one_line_before_any_work(tmp_path, closed_port):
    warc = write_warc(tmp_path / "ok.warc.gz", stories("a.vn", range(0, 1)))
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    cases = [
        ([str(tmp_path / "missing.warc.gz"), "-o", str(tmp_path / "o1")], 2, "no such file"),
        ([str(tmp_path / "*.nothing"), "-o", str(tmp_path / "o2")], 2, "no file matches"),
        ([str(warc), "-o", str(blocker / "sub")], 78, "cannot write to --out"),
        ([str(warc), "-o", str(blocker)], 78, "is a file"),
        ([str(warc), "-o", str(tmp_path / "o3"), "--since", "yesterday"], 2, "--since"),
        ([str(warc), "-o", str(tmp_path / "o4"), "--cc-news", "2025-9"], 2, "YYYY/MM"),
        ([str(warc), "-o", str(tmp_path / "o5"), "--scheduler", f"tcp://127.0.0.1:{closed_port}"],
         75, "no Dask scheduler"),
        ([str(warc)], 2, "--out"),
    ]  # fmt: skip
    for args, code, words in cases:
        result = run_cli(*args)
        assert result.returncode == code, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and words in lines[0], (args, result.stderr)
    assert not any((tmp_path / name).exists() for name in ("o1", "o2", "o3", "o4"))


def test_an_article_whose_winning_copy_is_gone_comes_back_on_the_next_run(tmp_path):
    early = write_warc(tmp_path / "early.warc.gz", stories("a.vn", range(0, 2), day=1))
    late = write_warc(tmp_path / "late.warc.gz", stories("b.vn", range(1, 3), day=9))
    out = tmp_path / "out"
    assert archive(str(early), str(late), "-o", str(out), "--workers", "1").returncode == 0
    assert [r["warc_file"] for r in read_rows(out)] == [str(early), str(early), str(late)]
    for leftover in [*out.glob("early-*"), *(out / MANIFESTS).glob("early-*")]:
        leftover.unlink()  # the user removes the early file's output

    result = archive(str(late), "-o", str(out), "--workers", "1")

    assert result.returncode == 0, result.stderr
    assert [r["title"] for r in read_rows(out)] == ["Story 1", "Story 2"]
