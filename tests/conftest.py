"""Shared test machinery: the fixtures directory and golden-file comparison.

`pytest --regenerate-golden` rewrites each expected JSON from the actual output instead of
comparing; review the diff before committing it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

Golden = Callable[[Path, dict[str, Any]], None]


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add `--regenerate-golden`."""
    parser.addoption(
        "--regenerate-golden",
        action="store_true",
        default=False,
        help="rewrite the expected JSON beside each fixture from the actual output",
    )


@pytest.fixture
def fixtures_dir() -> Path:
    """The project's fixtures/ directory."""
    return FIXTURES


def golden_text(data: dict[str, Any]) -> str:
    """The canonical form of an expected JSON file: sorted keys, UTF-8, indent 2."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    """Compare a dict with the expected JSON at `path`, key by key (or rewrite it)."""
    regenerate = request.config.getoption("--regenerate-golden")

    def check(path: Path, actual: dict[str, Any]) -> None:
        # A JSON round trip turns tuples into lists, as the expected file has them.
        actual = json.loads(json.dumps(actual, ensure_ascii=False))
        if regenerate:
            path.write_text(golden_text(actual), encoding="utf-8")
            return
        if not path.exists():
            pytest.fail(f"{path} is missing; create it with `pytest --regenerate-golden`")
        expected = json.loads(path.read_text(encoding="utf-8"))
        wrong = [
            f"  {key}:\n    expected {expected.get(key)!r}\n    actual   {actual.get(key)!r}"
            for key in sorted(set(expected) | set(actual))
            if expected.get(key) != actual.get(key)
        ]
        assert not wrong, f"{path.name} differs in {len(wrong)} key(s):\n" + "\n".join(wrong)

    return check
