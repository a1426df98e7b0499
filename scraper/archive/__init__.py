"""WARC archives (our own, Common Crawl's CC-NEWS) cleaned into Parquet, locally or on Dask.

    inputs   which files: paths, folders, globs, fsspec URLs, a CC-NEWS month
    records  WARC records to HTML pages (payload decoded, charset known) or skip reasons
    filters  --host patterns, --since/--until on WARC-Date
    task     one file -> one part, atomically: the unit every engine runs
    rows     the output row: the article's fields, then its provenance
    writers  Parquet (pyarrow) or JSON Lines parts, streamed; pruning a part
    output   the output folder through fsspec: atomic writes, manifests
    engines  local process pool, or Dask distributed
    dedup    one article once: the earliest WARC-Date wins
    run      a whole run: plan, run, dedup; summary: its counts and exit code

Nothing heavy is imported here, so the command line stays fast.
"""
