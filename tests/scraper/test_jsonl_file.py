"""The crawl's JSON Lines file keeps whole lines, whatever the disk does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scraper.crawl.outputs.jsonl_file import JsonlFile

_FILLS_UP = """
import resource, signal, sys
from pathlib import Path
from scraper.crawl.outputs.jsonl_file import JsonlFile
path = Path(sys.argv[1])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # past the limit a write fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (path.stat().st_size + 10, resource.RLIM_INFINITY))
sink = JsonlFile(path)
try:
    sink.write('{"title": "a line far longer than the ten bytes left"}')
except OSError as error:
    print("refused:", error.strerror)
"""


def test_lines_are_appended_whole(tmp_path: Path) -> None:
    path = tmp_path / "out" / "articles.jsonl"
    for n in range(2):
        sink = JsonlFile(path)
        sink.write(f'{{"n": {n}}}')
        sink.close()
    assert path.read_text() == '{"n": 0}\n{"n": 1}\n'


def test_a_line_cut_by_a_crash_is_ended_before_the_next_one(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    path.write_text('{"n": 0}\n{"n": 1, "tit')
    sink = JsonlFile(path)
    sink.write('{"n": 2}')
    sink.close()
    assert path.read_text().splitlines()[-1] == '{"n": 2}'


def test_a_full_disk_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    path.write_text('{"n": 0}\n')
    run = subprocess.run(
        [sys.executable, "-c", _FILLS_UP, str(path)], capture_output=True, text=True, timeout=60
    )
    assert run.stdout.startswith("refused: File too large"), run.stderr
    assert path.read_text() == '{"n": 0}\n'
