"""Handing a process's freed heap back to the system between big pages."""

from __future__ import annotations

import ctypes
import functools
from collections.abc import Callable


def memory_trimmer() -> Callable[[], object]:
    """glibc's malloc_trim(0): a big page's heap goes back to the system, not kept for the next;
    a no-op where the C library has none (macOS)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return lambda: None
    trim.argtypes = [ctypes.c_size_t]
    return functools.partial(trim, 0)
