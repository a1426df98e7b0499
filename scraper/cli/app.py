"""How the `newsclean` app talks to a user when something goes wrong before or around a command:
a usage error in one line (exit 2) instead of click's boxed block, Ctrl-C as one line (exit
130), and a reader that closed the pipe (`newsclean export | head`) as a quiet exit 1."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import typer
from typer.core import TyperGroup

from scraper.exit_codes import ExitCode


def _click_class(name: str) -> type[Exception]:
    """The click exception class typer raises (typer vendors its own click since 0.26)."""
    return next(c for c in typer.BadParameter.__mro__ if c.__name__ == name)


ClickException = _click_class("ClickException")
UsageError = _click_class("UsageError")


class OneLineErrors(TyperGroup):
    """The app's group: every usage error is one line naming the command and how to get help."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the app; errors one line each, then exit with the command's code."""
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except ClickException as error:
            _say(_one_line(error), prefix="")
            code = getattr(error, "exit_code", ExitCode.USAGE)
        except typer.Abort:
            _say("aborted")
            code = 1
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        """Run the command; Ctrl-C (outside a crawl, which stops cleanly itself) is one line."""
        try:
            return super().invoke(ctx)
        except Terminated:
            _say("interrupted by SIGTERM")
            raise typer.Exit(ExitCode.TERMINATED) from None
        except KeyboardInterrupt:
            _say("interrupted")
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except BrokenPipeError:
            _quiet_stdout()
            raise typer.Exit(ExitCode.PARTIAL) from None


def run_app(app: typer.Typer) -> None:
    """Run `app` as the installed command does."""
    try:
        app()
    except KeyboardInterrupt:  # between two commands' own handlers: still one line
        _say("interrupted")
        sys.exit(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(ExitCode.PARTIAL)


def _one_line(error: Exception) -> str:
    message = " ".join(getattr(error, "format_message", error.__str__)().split())
    ctx = getattr(error, "ctx", None)
    if isinstance(error, UsageError) and ctx is not None:
        message = message.rstrip(".")
        return f"{ctx.command_path}: {message} (see '{ctx.command_path} -h')"
    return f"newsclean: {message}"


def _say(message: str, prefix: str = "newsclean: ") -> None:
    from scraper.redact import redact

    try:
        sys.stderr.write(f"{prefix}{redact(message)}\n")
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass


def _quiet_stdout() -> None:
    """The reader of stdout is gone: point stdout at /dev/null so that the interpreter's last
    flush says nothing either."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived where no event loop handles it: stop as Ctrl-C does, but exit 143."""


@contextlib.contextmanager
def terminate_raises() -> Iterator[None]:
    """While inside, SIGTERM raises Terminated (the crawl's event loop catches it itself while
    it runs): the lock is released and the message is one line, instead of a silent death."""

    def terminated(signum: int, frame: object) -> None:
        raise Terminated

    try:
        previous = signal.signal(signal.SIGTERM, terminated)
    except ValueError:  # not the main thread (a test's runner): leave SIGTERM alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
