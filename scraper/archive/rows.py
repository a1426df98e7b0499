"""One output row: the article's fields of the contract, then where it came from.

Column names and types are fixed here, so every part of a dataset has the same schema whatever
its pages held. A key the cleaner adds later that this table does not know is kept as JSON text.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

    from scraper.archive.records import HtmlPage

_TEXT = "string"
_TEXTS = "list<string>"
_REMOVED = "list<struct<reason, text>>"
ARTICLE_COLUMNS: dict[str, str] = {  # the contract's keys, in its order, with their kinds
    "url": _TEXT,
    "title": _TEXT,
    "text": _TEXT,
    "paragraphs": _TEXTS,
    "date": _TEXT,
    "date_source": _TEXT,
    "dateline": _TEXT,
    "authors": _TEXTS,
    "language": _TEXT,
    "removed": _REMOVED,
    "notes": _TEXTS,
    "description": _TEXT,
    "image": _TEXT,
    "tags": _TEXTS,
    "section": _TEXT,
    "site_name": _TEXT,
    "date_modified": _TEXT,
}
PROVENANCE_COLUMNS: dict[str, str] = {
    "warc_file": _TEXT,  # the input as given (absolute path or URL)
    "warc_offset": "int64",  # of the record (its gzip member): seek there to read it again
    "warc_record_id": _TEXT,
    "warc_date": _TEXT,  # as the record says it
    "warc_target_uri": _TEXT,  # the URL that was fetched
    "http_status": "int32",
    "content_hash": _TEXT,  # sha256 of the body text with whitespace folded: the dedup key
    "cleaner_version": _TEXT,
}
_SPACE = re.compile(r"\s+")


def content_hash(text: str) -> str:
    """The dedup key of an article body: the same story under two URLs has the same one."""
    return hashlib.sha256(_SPACE.sub(" ", text).strip().encode("utf-8")).hexdigest()


def provenance(page: HtmlPage, source: str, digest: str, cleaner_version: str) -> dict[str, Any]:
    """Where a row came from: the WARC file, record, date and status, its hash and cleaner."""
    return {
        "warc_file": source,
        "warc_offset": page.offset,
        "warc_record_id": page.record_id,
        "warc_date": page.warc_date,
        "warc_target_uri": page.target_uri,
        "http_status": page.status,
        "content_hash": digest,
        "cleaner_version": cleaner_version,
    }


def parquet_row(article: dict[str, Any], origin: dict[str, Any]) -> dict[str, Any]:
    """The Parquet row: the known article keys, the provenance, then any other keys as JSON."""
    row = {key: article.get(key) for key in ARTICLE_COLUMNS}
    for key, kind in ARTICLE_COLUMNS.items():
        if kind != _TEXT:
            row[key] = list(row[key] or [])
    row.update(origin)
    extra = {k: v for k, v in article.items() if k not in ARTICLE_COLUMNS}
    row["extra"] = json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else None
    return row


def jsonl_line(article: dict[str, Any], origin: dict[str, Any]) -> bytes:
    """The JSON Lines row: the article as the cleaner gives it, then the provenance."""
    return json.dumps({**article, **origin}, ensure_ascii=False).encode("utf-8") + b"\n"


def parquet_schema(metadata: dict[str, str]) -> pa.Schema:
    """The Arrow schema of every part, with `metadata` (cleaner version, input) attached."""
    import pyarrow as pa

    kinds = {
        _TEXT: pa.string(),
        _TEXTS: pa.list_(pa.string()),
        _REMOVED: pa.list_(pa.struct([("reason", pa.string()), ("text", pa.string())])),
        "int64": pa.int64(),
        "int32": pa.int32(),
    }
    columns = {**ARTICLE_COLUMNS, **PROVENANCE_COLUMNS, "extra": _TEXT}
    fields = [pa.field(name, kinds[kind]) for name, kind in columns.items()]
    return pa.schema(fields, metadata=metadata)
