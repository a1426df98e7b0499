"""One crawl at a time: an exclusive, non-blocking lock on a file beside the database.

The operating system drops the lock when the process dies, even by SIGKILL, so a crashed crawl
never leaves a stale lock behind. The file is opened without following a symbolic link and must
be a regular file, so a link planted in its place cannot make the crawl overwrite its target.
"""

from __future__ import annotations

import fcntl
import os
import stat
from pathlib import Path
from types import TracebackType


class LockHeld(Exception):
    """Another process holds the crawl lock."""


class CrawlLock:
    """Hold `path` exclusively for the duration of a `with` block, or raise `LockHeld` at once."""

    def __init__(self, path: Path) -> None:
        """Prepare a lock on `path` (created when missing)."""
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise `LockHeld` naming the holder's pid."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        try:
            fd = os.open(self.path, flags, 0o644)
        except OSError as error:
            if self.path.is_symlink():
                raise OSError(error.errno, "it is a symbolic link; refusing to follow it") from None
            raise
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise OSError(0, "it is not a regular file")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise LockHeld(f"another crawl (pid {holder}) holds {self.path}") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode("ascii"))
        self._fd = fd

    def release(self) -> None:
        """Release the lock."""
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> CrawlLock:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
