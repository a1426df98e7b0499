"""newsclean's cleaning library: pure functions from page or text to `Article`.

It contains no I/O: no sockets, no files, no clock. `clean_html` and `clean_text` never raise on
any input; a page with no body gives an Article with empty `text` and the reason in `notes`.
A `language` that is neither an ISO 639-1 code nor "auto" (each page's own) is a ValueError:
see cleaners.language_option.
"""

from cleaners.batch import clean_many
from cleaners.model import Article, Block, Removal
from cleaners.pipeline import clean_html, clean_text
from cleaners.version import cleaner_version

__all__ = [
    "Article",
    "Block",
    "Removal",
    "clean_html",
    "clean_many",
    "clean_text",
    "cleaner_version",
]
