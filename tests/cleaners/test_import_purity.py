"""`import cleaners` stays pure: it loads neither the network client nor the shell."""

import subprocess
import sys

PROBE = """
import sys
import cleaners
loaded = sorted(name for name in sys.modules if name.split(".")[0] in {"httpx", "scraper"})
print(",".join(loaded))
"""


def test_import_cleaners_loads_neither_httpx_nor_scraper():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_public_names_are_importable_from_the_package():
    result = subprocess.run(
        [sys.executable, "-c", "from cleaners import clean_html, clean_text, Article"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_both_packages_ship_their_py_typed_marker():
    import tomllib
    from importlib import resources
    from pathlib import Path

    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text("utf-8"))
    package_data = project["tool"]["setuptools"]["package-data"]
    for package in ("cleaners", "scraper"):
        assert resources.files(package).joinpath("py.typed").is_file()
        assert "py.typed" in package_data[package]
