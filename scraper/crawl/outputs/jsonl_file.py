"""The crawl's JSON Lines file: whole lines only, even when the disk fills up mid-line."""

from __future__ import annotations

import contextlib
from pathlib import Path


class JsonlFile:
    """Append one line per article. A line the disk could not take whole is cut off again, so
    the file never holds half a line that would spoil the next run's first one."""

    def __init__(self, path: Path) -> None:
        """Open `path` for appending (creating its folder); OSError when that is impossible."""
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path.open("a+b", buffering=0)
        end = self._file.seek(0, 2)
        if end > 0:  # a line cut by a crash (not by us): end it, so ours starts on its own
            self._file.seek(end - 1)
            if self._file.read(1) != b"\n":
                self._append(b"\n", end)

    def write(self, line: str) -> None:
        """Append `line` and a newline, or raise OSError and leave the file as it was."""
        self._append((line + "\n").encode("utf-8"), self._file.seek(0, 2))

    def _append(self, data: bytes, end: int) -> None:
        try:
            view = memoryview(data)
            while view:  # an unbuffered write may take only part of the bytes
                view = view[self._file.write(view) :]
        except OSError:
            with contextlib.suppress(OSError):
                self._file.truncate(end)
            raise

    def close(self) -> None:
        """Close the file."""
        self._file.close()
