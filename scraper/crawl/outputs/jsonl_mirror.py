"""The crawl's JSON Lines file brought back in step with the store, at the start of each run.

A line is appended after its article's commit, and the store then records how far the file is
known to go (`jsonl_marks`: the last article id and the file's size after its line). A crawl
killed between the commit and the append, or stopped by a full disk, leaves articles the file
lacks; one killed mid-line leaves half a line. The next run cuts a half line written after the
mark, reads the whole lines written after it, and appends every article past the mark that is
not among them, so each stored article is in the file exactly once.

The file holds the articles stored since it was first named in the configuration. A file that
was moved away or cut shorter (log rotation) starts afresh from the mark: articles already
written to the old file are not written again.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from scraper.crawl.outputs.jsonl_file import JsonlFile
from scraper.crawl.store import JsonlMark, Store


@dataclass(frozen=True)
class CatchUp:
    """What bringing one file in step took."""

    appended: int = 0  # stored articles the file lacked
    cut_bytes: int = 0  # an unfinished line cut off its end
    damaged: tuple[int, ...] = ()  # article ids whose stored JSON was not valid UTF-8


class JsonlMirror:
    """A JSON Lines file that holds each article of `store` once: `open()`, `catch_up()`, then
    `append()` after each commit. OSError from the disk is the caller's to handle."""

    def __init__(self, path: Path, store: Store) -> None:
        """Prepare the file at `path` for the articles of `store` (nothing is opened yet)."""
        self.path = Path(path)
        self.key = str(self.path.resolve())
        self.store = store
        self.file: JsonlFile | None = None
        self._cut = 0

    def open(self) -> None:
        """Open the file (creating it and its folder); OSError when that is impossible."""
        self._cut = self._cut_unfinished_line()
        self.file = JsonlFile(self.path)

    def catch_up(self) -> CatchUp:
        """Append the stored articles the file lacks (after `open`)."""
        assert self.file is not None
        cut, self._cut = self._cut, 0
        mark = self.store.jsonl_mark(self.key)
        stat = os.stat(self.path)
        if mark is None:  # the first run with this file: it holds what is stored from now on
            self._set_mark(self.store.last_article_id())
            return CatchUp(cut_bytes=cut)
        fresh = stat.st_ino != mark.inode or stat.st_size < mark.size
        present = Counter(self._lines_after(0 if fresh else mark.size))
        appended, damaged, last_id = 0, [], mark.last_id
        for row in self.store.article_rows(after_id=mark.last_id):
            if row.damaged:
                damaged.append(row.id)
            if present[row.line] > 0:
                present[row.line] -= 1
            else:
                self.file.write(row.line)
                appended += 1
            last_id = row.id
            self._set_mark(last_id)
        self._set_mark(last_id)
        return CatchUp(appended, cut, tuple(damaged))

    def append(self, article_id: int, line: str) -> None:
        """Append the line of article `article_id`, just committed, and move the mark."""
        assert self.file is not None
        self.file.write(line)
        self._set_mark(article_id)

    def close(self) -> None:
        """Close the file."""
        if self.file is not None:
            self.file.close()
            self.file = None

    def _set_mark(self, last_id: int) -> None:
        stat = os.stat(self.path)
        self.store.set_jsonl_mark(self.key, JsonlMark(last_id, stat.st_size, stat.st_ino))

    def _cut_unfinished_line(self) -> int:
        """Cut a half line left at the end after the mark (a crash mid-append; ours)."""
        mark = self.store.jsonl_mark(self.key)
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return 0
        if mark is None or stat.st_ino != mark.inode or stat.st_size <= mark.size:
            return 0
        with self.path.open("r+b") as file:
            file.seek(mark.size)
            tail = file.read()
            if tail.endswith(b"\n"):
                return 0
            keep = mark.size + tail.rfind(b"\n") + 1
            file.truncate(keep)
        return stat.st_size - keep

    def _lines_after(self, offset: int) -> list[str]:
        with self.path.open("rb") as file:
            file.seek(offset)
            data = file.read()
        return [line.decode("utf-8", "replace") for line in data.split(b"\n") if line]
