"""Parts: one per input file, Parquet (pyarrow) or JSON Lines, streamed and renamed into place.

Rows are written in row groups of ROWS_PER_GROUP as they come, so a part of any size costs
only a group's worth of memory. `prune_part` rewrites a part without some rows (the losers of
a run's dedup) the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from scraper.archive.output import OutputFolder
from scraper.archive.rows import jsonl_line, parquet_row, parquet_schema

ROWS_PER_GROUP = 500
FORMATS = ("parquet", "jsonl")

# (article dict, provenance dict): what the cleaning loop hands the writer
Row = tuple[dict[str, Any], dict[str, Any]]


def write_part(
    out: OutputFolder, part: str, format: str, metadata: dict[str, str], rows: Iterable[Row]
) -> None:
    """Write every row of `rows` to the part `part`, atomically (nothing shows until the end)."""
    with out.atomic(part) as handle:
        if format == "jsonl":
            for article, origin in rows:
                handle.write(jsonl_line(article, origin))
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = parquet_schema(metadata)
        with pq.ParquetWriter(handle, schema, compression="zstd") as writer:
            for group in _groups((parquet_row(a, o) for a, o in rows), ROWS_PER_GROUP):
                writer.write_table(pa.Table.from_pylist(group, schema=schema))


def prune_part(out: OutputFolder, part: str, format: str, offsets: set[int]) -> int:
    """Rewrite a part without the rows of these record offsets; how many rows went."""
    if format == "jsonl":
        return _prune_jsonl(out, part, offsets)
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    removed = 0
    with out.fs.open(out.path(part), "rb") as source:
        reader = pq.ParquetFile(source)
        schema = reader.schema_arrow
        drop = pa.array(sorted(offsets), pa.int64())
        with out.atomic(part) as handle, pq.ParquetWriter(handle, schema, compression="zstd") as w:
            pending: list[pa.Table] = []
            size = 0
            for batch in reader.iter_batches(batch_size=ROWS_PER_GROUP):
                table = pa.Table.from_batches([batch], schema=schema)
                kept = table.filter(pc.invert(pc.is_in(table["warc_offset"], value_set=drop)))
                removed += table.num_rows - kept.num_rows
                pending.append(kept)
                size += kept.num_rows
                while size >= ROWS_PER_GROUP:  # the same row groups a direct write makes
                    merged = pa.concat_tables(pending)
                    w.write_table(merged.slice(0, ROWS_PER_GROUP))
                    pending, size = [merged.slice(ROWS_PER_GROUP)], size - ROWS_PER_GROUP
            if size:
                w.write_table(pa.concat_tables(pending))
    return removed


def _prune_jsonl(out: OutputFolder, part: str, offsets: set[int]) -> int:
    removed = 0
    with out.fs.open(out.path(part), "rb") as source, out.atomic(part) as handle:
        for line in source:
            if line.strip() and json.loads(line)["warc_offset"] in offsets:
                removed += 1
            else:
                handle.write(line)
    return removed


def _groups(items: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    group: list[dict[str, Any]] = []
    for item in items:
        group.append(item)
        if len(group) == size:
            yield group
            group = []
    if group:
        yield group
