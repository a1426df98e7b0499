"""The command line run in this process, as a user sees it: exit code, stdout and stderr.

In-process runs cost milliseconds where `python -m scraper` costs a second or more of start-up;
the tests that must see a real process (a kill, a hang guard, the entry point itself) start one.
"""

from __future__ import annotations

import subprocess

from typer.testing import CliRunner

from scraper.cli import app


def newsclean(
    *args: str, stdin: bytes | None = None, text: bool = False
) -> subprocess.CompletedProcess:
    """Run `newsclean ARGS...`; its exit code, and stdout and stderr as bytes (or str)."""
    result = CliRunner().invoke(app, list(args), input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback a user would have seen
    out, err = result.stdout_bytes, result.stderr_bytes
    if text:
        return subprocess.CompletedProcess(args, result.exit_code, out.decode(), err.decode())
    return subprocess.CompletedProcess(args, result.exit_code, out, err)
