"""The output folder, local or an fsspec URL (s3://...): parts written atomically, manifests beside.

    out = OutputFolder("corpus/")             # or "s3://bucket/corpus"
    out.check_writable()                      # OutputUnusable before any work starts
    with out.atomic(part) as handle: ...      # a hidden temporary name, renamed into place
    out.write_manifest(part, data); out.manifests()

A manifest (`_newsclean/<part>.json`) is written after its part and says the part is final for
one job fingerprint; readers of the dataset (pyarrow, dask, spark) skip names starting with `_`
or `.`, so neither manifests nor temporaries show up as data.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

MANIFESTS = "_newsclean"


class OutputUnusable(Exception):
    """The output folder cannot be created or written (exit 78)."""


class OutputFolder:
    """A folder that parts and manifests are written to, through fsspec."""

    def __init__(self, url: str) -> None:
        """Use `url`, a local path or an fsspec URL."""
        from fsspec.core import url_to_fs

        self.url = url
        self.fs, self.root = url_to_fs(url)
        self.root = self.root.rstrip("/") or "/"

    def path(self, name: str) -> str:
        """The full path of a file in the folder."""
        return f"{self.root}/{name}"

    def check_writable(self) -> None:
        """Create the folder and write and remove a probe file; OutputUnusable if that fails."""
        probe = self.path(f".newsclean-probe-{uuid.uuid4().hex}")
        try:
            if self.fs.isfile(self.root):
                raise OutputUnusable(f"--out {self.url} is a file, not a folder")
            self.fs.makedirs(self.path(MANIFESTS), exist_ok=True)
            with self.fs.open(probe, "wb") as handle:
                handle.write(b"")
            self.fs.rm(probe)
        except OutputUnusable:
            raise
        except Exception as error:  # PermissionError, read-only file system, S3 access denied
            raise OutputUnusable(f"cannot write to --out {self.url}: {_why(error)}") from None

    @contextmanager
    def atomic(self, name: str) -> Iterator[IO[bytes]]:
        """A handle on a temporary file, renamed to `name` when the block ends without error."""
        folder, _, base = name.rpartition("/")
        hidden = f".{base}.{uuid.uuid4().hex}.tmp"
        temporary = self.path(f"{folder}/{hidden}" if folder else hidden)
        if folder:
            self.fs.makedirs(self.path(folder), exist_ok=True)
        try:
            with self.fs.open(temporary, "wb") as handle:
                yield handle
            self.fs.mv(temporary, self.path(name))
        except BaseException:
            if self.fs.exists(temporary):
                self.fs.rm(temporary)
            raise

    def write_manifest(self, part: str, manifest: dict[str, Any]) -> None:
        """Write the manifest of `part` atomically (after the part itself)."""
        data = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode("utf-8")
        with self.atomic(f"{MANIFESTS}/{part}.json") as handle:
            handle.write(data)

    def read_manifest(self, part: str) -> dict[str, Any] | None:
        """The manifest of `part`, or None when there is none (or it cannot be read)."""
        try:
            with self.fs.open(self.path(f"{MANIFESTS}/{part}.json"), "rb") as handle:
                data = json.loads(handle.read())
        except (FileNotFoundError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def manifests(self) -> list[dict[str, Any]]:
        """Every readable manifest in the folder, in name order."""
        try:
            names = sorted(self.fs.ls(self.path(MANIFESTS), detail=False))
        except FileNotFoundError:
            return []
        found = []
        for name in names:
            base = name.rsplit("/", 1)[-1]
            if base.endswith(".json") and not base.startswith("."):
                manifest = self.read_manifest(base.removesuffix(".json"))
                if manifest is not None:
                    found.append(manifest)
        return found

    def remove_temporaries(self, parts: set[str]) -> int:
        """Remove what killed writers of these parts left behind; how many were removed."""
        removed = 0
        for folder in (self.root, self.path(MANIFESTS)):
            try:
                names = self.fs.ls(folder, detail=False)
            except FileNotFoundError:
                continue
            for name in names:
                base = name.rsplit("/", 1)[-1]
                if base.startswith(".") and base.endswith(".tmp") and _owner(base) in parts:
                    self.fs.rm(name)
                    removed += 1
        return removed


def _owner(temporary: str) -> str:
    """The part a temporary `.{part}.{hex}.tmp` (or `.{part}.json.{hex}.tmp`) belongs to."""
    name = temporary[1:].rsplit(".", 2)[0]
    return name.removesuffix(".json")


def _why(error: BaseException) -> str:
    reason = getattr(error, "strerror", None)
    if isinstance(reason, str) and reason:
        return reason
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
