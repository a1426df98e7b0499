"""Run `newsclean` and SIGKILL it at an exact moment of its own code: a fault injector for tests.

    python -m tests.scraper.killpoint MOMENT N -- crawl --config sources.toml

kills the process (and its cleaning workers, as a crash of the machine would) the N-th time it
reaches MOMENT. Nothing of newsclean is replaced: a profile hook watches the real code run.

Moments:
  jsonl-append   entering JsonlMirror.append: the article is committed, its line not written
  warc-page      inside a page's WARC record: its first bytes are in the file, not its end
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from types import FrameType
from typing import Any


def _kill() -> None:
    sys.stdout.flush()
    os.killpg(os.getpgrp(), signal.SIGKILL)  # the workers die with the crawl
    os.kill(os.getpid(), signal.SIGKILL)


def _jsonl_append(n: int) -> Any:
    from scraper.crawl.outputs.jsonl_mirror import JsonlMirror

    code = JsonlMirror.append.__code__
    seen = 0

    def hook(frame: FrameType, event: str, arg: object) -> None:
        nonlocal seen
        if event == "call" and frame.f_code is code:
            seen += 1
            if seen == n:
                _kill()

    return hook


def _warc_page(n: int) -> Any:
    from warcio.warcwriter import BaseWARCWriter, GzippingWrapper

    from scraper.crawl.outputs.warc_archive import PAGE_FIELD

    record_code = BaseWARCWriter._write_warc_record.__code__
    flush_code = GzippingWrapper.flush.__code__
    current: list[object] = [None]
    seen = 0

    def hook(frame: FrameType, event: str, arg: object) -> None:
        nonlocal seen
        if event != "call":
            return
        if frame.f_code is record_code:
            current[0] = frame.f_locals.get("record")
        elif frame.f_code is flush_code:
            record = current[0]
            headers = getattr(record, "rec_headers", None)
            if headers is not None and headers.get_header(PAGE_FIELD):
                seen += 1
                if seen == n:
                    # everything but the record's last block and gzip trailer is written:
                    # push what Python still buffers to the file, as the OS would have it
                    frame.f_locals["self"].out.flush()
                    _kill()

    return hook


MOMENTS = {"jsonl-append": _jsonl_append, "warc-page": _warc_page}


def main() -> None:
    """Parse `MOMENT N -- ARGS...`, arm the hook, run the command line."""
    moment, n, separator, *args = sys.argv[1:]
    if separator != "--" or moment not in MOMENTS:
        sys.exit(f"usage: killpoint {{{','.join(MOMENTS)}}} N -- NEWSCLEAN-ARGS")
    if os.getpgrp() != os.getpid():
        os.setpgrp()  # its own process group, so that the kill takes the workers and no one else
    hook = MOMENTS[moment](int(n))
    sys.setprofile(hook)
    threading.setprofile(hook)
    sys.argv = ["newsclean", *args]
    from scraper.cli import main as newsclean

    newsclean()


if __name__ == "__main__":
    main()
