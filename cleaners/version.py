"""Which cleaner made an article: the package version plus a digest of the cleaner's code and data.

Archives record it beside every article, so a rerun knows which outputs an improved cleaner would
change. Reading the package's own files is what loading its vocabulary already does; nothing
outside the package is read, and the digest is computed once, on first use.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import metadata, resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

_SOURCES = (".py", ".toml", ".json", ".txt")


@functools.cache
def cleaner_version() -> str:
    """`<package version>+<12 hex digits of cleaners/ code and data>`, the same on every machine."""
    try:
        release = metadata.version("newsclean")
    except metadata.PackageNotFoundError:
        release = "0"
    digest = hashlib.sha256()
    root = resources.files("cleaners")
    for name, data in sorted(_files(root, "")):
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return f"{release}+{digest.hexdigest()[:12]}"


def _files(folder: Traversable, prefix: str) -> list[tuple[str, bytes]]:
    found: list[tuple[str, bytes]] = []
    for entry in folder.iterdir():
        name = prefix + entry.name
        if entry.is_dir():
            if entry.name != "__pycache__":
                found += _files(entry, name + "/")
        elif entry.name.endswith(_SOURCES):
            found.append((name, entry.read_bytes()))
    return found
