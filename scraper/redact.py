"""User info in URLs (`http://user:secret@host/`) kept out of every message, log line and store.

The request itself still sends the credentials; only what is printed or stored loses them.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

# scheme://userinfo@ — userinfo runs to the first "@" before any "/", "?", "#" or space; the
# character class excludes "@" and the separators, so the match is linear in the text's length
_USERINFO = re.compile(r"([A-Za-z][A-Za-z0-9+.-]{0,31}://)[^/?#@\s]{1,2048}@")
REDACTED = "***"


def redact(text: str) -> str:
    """`text` with the user info of every URL in it replaced by `***`."""
    if "@" not in text:
        return text
    return _USERINFO.sub(rf"\g<1>{REDACTED}@", text)


def without_userinfo(url: str) -> str:
    """`url` with no user info at all: the form a URL is stored and compared in."""
    if "@" not in url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return redact(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def userinfo_of(url: str) -> str | None:
    """The `user:password` part of `url`, or None."""
    try:
        netloc = urlsplit(url).netloc
    except ValueError:
        return None
    return netloc.rsplit("@", 1)[0] if "@" in netloc else None
