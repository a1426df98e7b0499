"""WARC files for the archive tests, written with warcio the way crawlers write them."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PROJECT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Rec:
    """One record to write: a response by default."""

    url: str
    body: bytes = b""
    date: str = "2025-09-15T08:00:00Z"
    kind: str = "response"
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def story(n: int, words: str = "port") -> bytes:
    """An English news page whose body is distinct for each `n`."""
    paragraphs = "".join(
        f"<p>Story {n}, part {j}: the ministry said on Monday that the new {words} in the central "
        f"province would open next year, serving {n * 10 + j} exporters of the region.</p>"
        for j in range(4)
    )
    return (
        f"<html lang='en'><head><title>Story {n}</title></head><body><nav><a href='/'>Home</a>"
        f"</nav><article><h1>Story {n}</h1>{paragraphs}</article>"
        f"<div class='related'><h3>Tin liên quan</h3><a href='/x'>Giá vàng hôm nay</a></div>"
        f"</body></html>"
    ).encode()


def write_warc(path: Path, records: list[Rec], *, gzip_records: bool = True) -> Path:
    """Write `records` to a WARC file at `path` (gzip'd per record unless told not to)."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzip_records)
        for rec in records:
            writer.write_record(_record(writer, rec))
    return path


def _record(writer: WARCWriter, rec: Rec) -> Any:
    warc_headers = {"WARC-Date": rec.date}
    if rec.kind == "request":
        http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True)
        return writer.create_warc_record(
            rec.url, "request", payload=io.BytesIO(b""), length=0, http_headers=http,
            warc_headers_dict=warc_headers,
        )  # fmt: skip
    if rec.kind == "revisit":
        return writer.create_revisit_record(
            rec.url, "sha1:AAAA", rec.url, "20250901000000", http_headers=None
        )
    if rec.kind in ("metadata", "resource"):
        return writer.create_warc_record(
            rec.url, rec.kind, payload=io.BytesIO(rec.body), length=len(rec.body),
            warc_content_type="text/plain", warc_headers_dict=warc_headers,
        )  # fmt: skip
    pairs = [("Content-Type", rec.content_type)] if rec.content_type else []
    pairs += list(rec.headers.items())
    phrase = {200: "OK", 404: "Not Found", 301: "Moved Permanently"}.get(rec.status, "Other")
    http = StatusAndHeaders(f"{rec.status} {phrase}", pairs, protocol="HTTP/1.1")
    return writer.create_warc_record(
        rec.url, "response", payload=io.BytesIO(rec.body), length=len(rec.body),
        http_headers=http, warc_headers_dict=warc_headers,
    )  # fmt: skip


def stories(host: str, numbers: range, day: int = 15) -> list[Rec]:
    """Responses of distinct stories under `host`, one per number, dated on `day` of 2025-09."""
    return [
        Rec(
            f"https://{host}/news/{n}.html", story(n), date=f"2025-09-{day:02d}T08:{n % 60:02d}:00Z"
        )
        for n in numbers
    ]


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`newsclean archive ARGS...` in a fresh interpreter, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "scraper", "archive", *args],
        capture_output=True, text=True, timeout=timeout, cwd=PROJECT,
    )  # fmt: skip


def archive(*args: str) -> subprocess.CompletedProcess[str]:
    """`newsclean archive ARGS...` run by typer's test runner in this process: the same command,
    but the pool's forkserver (which loads the cleaner) is started once for all the tests."""
    from typer.testing import CliRunner

    from scraper.cli import app

    result = CliRunner().invoke(app, ["archive", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


def read_rows(out: Path) -> list[dict[str, Any]]:
    """Every row of a Parquet output folder, read with pyarrow, ordered by file and offset."""
    import pyarrow.dataset as ds

    rows = ds.dataset(str(out), format="parquet").to_table().to_pylist()
    return sorted(rows, key=lambda r: (r["warc_file"], r["warc_offset"]))


def read_jsonl(out: Path) -> list[dict[str, Any]]:
    """Every row of a JSON Lines output folder."""
    rows = [
        json.loads(line)
        for part in sorted(out.glob("*.jsonl"))
        for line in part.read_text(encoding="utf-8").splitlines()
    ]
    return sorted(rows, key=lambda r: (r["warc_file"], r["warc_offset"]))


def gzip_lines(lines: list[str]) -> bytes:
    """A warc.paths.gz body."""
    return gzip.compress("".join(line + "\n" for line in lines).encode())


def summary_line(stderr: str) -> str:
    """The last `newsclean archive:` line: the run's summary."""
    lines = [line for line in stderr.splitlines() if line.startswith("newsclean archive: files")]
    assert lines, stderr
    return lines[-1]
