"""The one meaning of a `language` setting, shared by the library, the CLI and sources.toml: an
ISO 639-1 code keeps the body in that language; "auto" (or None) keeps each page's own."""

from __future__ import annotations

import functools
import tomllib
from importlib import resources

AUTO = "auto"


@functools.cache
def iso639_1_codes() -> frozenset[str]:
    """The two-letter codes a `language` setting may name."""
    data = resources.files("cleaners").joinpath("data/languages.toml").read_text(encoding="utf-8")
    return frozenset(tomllib.loads(data)["iso639_1"])


def language_to_keep(language: str | None) -> str | None:
    """The language the cleaner keeps for a `language` setting: its lower-case ISO 639-1 code,
    or None (each page's own) for "auto" or None. Raises ValueError for anything else."""
    if language is None:
        return None
    if not isinstance(language, str):
        raise ValueError(f"language must be an ISO 639-1 code or 'auto', not {language!r}")
    code = language.strip().lower()
    if code == AUTO:
        return None
    if code not in iso639_1_codes():
        raise ValueError(
            f"language must be an ISO 639-1 code such as 'en' or 'vi', or 'auto', not {language!r}"
        )
    return code
