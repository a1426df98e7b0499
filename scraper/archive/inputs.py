"""Which WARC files a run reads: paths, folders, globs and URLs expanded, CC-NEWS months listed.

    expand_inputs(["crawl/", "more/*.warc.gz", "https://host/x.warc.gz"])  # absolute, in order
    cc_news_sources("2025/09", CC_NEWS_BASE)   # that month's files, from its warc.paths.gz
    with open_input(source) as stream: ...     # a local file, or any fsspec URL, streamed

Local paths become absolute, so that a worker on a shared folder finds the same file. A name
that matches nothing is an `InputError` before any work starts (exit 2).
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

CC_NEWS_BASE = "https://data.commoncrawl.org"
WARC_SUFFIXES = (".warc", ".warc.gz")
CONNECT_TIMEOUT = 30.0  # seconds to open a connection to an http(s) input
READ_TIMEOUT = 120.0  # seconds without a byte from an http(s) input before it fails
_MONTH = re.compile(r"^(\d{4})/(0[1-9]|1[0-2])$")
_GLOB_CHARS = re.compile(r"[*?\[]")


class InputError(Exception):
    """An input that names nothing readable: a usage error (exit 2)."""


class InputUnreachable(Exception):
    """A listing (CC-NEWS warc.paths.gz) could not be fetched now: try again later (exit 75)."""


def is_url(source: str) -> bool:
    """Whether `source` is a URL (`scheme://...`) rather than a local path."""
    return re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source) is not None


def expand_inputs(items: Iterable[str]) -> list[str]:
    """Every WARC file the items name, each once, in the order given (folders and globs sorted)."""
    found: dict[str, None] = {}
    for item in items:
        for source in _expand(item):
            found.setdefault(source, None)
    return list(found)


def _expand(item: str) -> list[str]:
    if is_url(item):
        if item.startswith(("http://", "https://")) or not _GLOB_CHARS.search(item):
            return [item]
        import fsspec

        fs, _, paths = fsspec.get_fs_token_paths(item)
        protocol = fs.protocol[0] if isinstance(fs.protocol, tuple) else fs.protocol
        matches = sorted(f"{protocol}://{p}" for p in paths if p.endswith(WARC_SUFFIXES))
        if not matches:
            raise InputError(f"no WARC file matches {item}")
        return matches
    path = Path(item).expanduser()
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and _is_warc_name(p.name))
        if not files:
            raise InputError(f"no .warc or .warc.gz file in the folder {item}")
        return [str(p.resolve()) for p in files]
    if path.is_file():
        return [str(path.resolve())]
    if _GLOB_CHARS.search(item):
        globbed = sorted(Path(p) for p in glob.glob(str(path), recursive=True))
        found = [str(p.resolve()) for p in globbed if p.is_file()]
        if not found:
            raise InputError(f"no file matches {item}")
        return found
    raise InputError(f"no such file or folder: {item}")


def _is_warc_name(name: str) -> bool:
    return name.endswith(WARC_SUFFIXES)


def cc_news_sources(month: str, base: str = CC_NEWS_BASE) -> list[str]:
    """The WARC file URLs of one CC-NEWS month (`YYYY/MM`) listed under `base`."""
    match = _MONTH.match(month.strip())
    if not match:
        raise InputError(f"--cc-news {month!r} is not a month written YYYY/MM")
    year, number = match.groups()
    base = base.rstrip("/")
    listing = f"{base}/crawl-data/CC-NEWS/{year}/{number}/warc.paths.gz"
    missing = InputError(f"no CC-NEWS list for {year}/{number} at {listing}")
    try:
        data = _fetch_listing(listing)
    except FileNotFoundError:
        raise missing from None
    except Exception as error:  # any transport's error: DNS, refused, timeout, 5xx
        raise InputUnreachable(f"cannot read {listing}: {_one_line(error)}") from None
    try:
        text = gzip.decompress(data).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError):
        raise InputError(f"{listing} is not a gzip'd list of paths") from None
    paths = [line.strip() for line in text.splitlines() if line.strip()]
    return [f"{base}/{path.lstrip('/')}" for path in paths]


def _fetch_listing(url: str) -> bytes:
    """A small listing's bytes; FileNotFoundError only when the server says it is not there."""
    if not url.startswith(("http://", "https://")):
        with open_input(url) as stream:
            return stream.read()
    # httpx, not fsspec: fsspec reports a refused connection as a missing file
    import httpx

    timeout = httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT)
    response = httpx.get(url, timeout=timeout, follow_redirects=True)
    if response.status_code in (403, 404, 410):  # S3-style hosts answer 403 for a missing key
        raise FileNotFoundError(url)
    response.raise_for_status()
    return response.content


@contextmanager
def open_input(source: str, *, random_access: bool = False) -> Iterator[IO[bytes]]:
    """A binary stream of `source` (path or fsspec URL); http(s) is streamed unless seeking."""
    if not is_url(source):
        with open(source, "rb") as local:
            yield local
        return
    import fsspec

    options: dict[str, Any] = {}
    if source.startswith(("http://", "https://")):
        import aiohttp

        options["client_kwargs"] = {
            "timeout": aiohttp.ClientTimeout(sock_connect=CONNECT_TIMEOUT, sock_read=READ_TIMEOUT)
        }
        if not random_access:
            options["block_size"] = 0  # one streamed GET, not a range request per block
    with fsspec.open(source, "rb", **options) as remote:
        yield remote


def part_name(source: str, extension: str) -> str:
    """The output part's file name for an input: its stem plus a digest of where it lives."""
    name = source.rstrip("/").rsplit("/", 1)[-1]
    for suffix in (".gz", ".warc"):
        name = name.removesuffix(suffix)
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:80] or "input"
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:10]
    return f"{stem}-{digest}.{extension}"


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
