"""Is this a URL we can request? One check for every URL a crawl or `get` meets, before any use.

A feed, a sitemap or a redirect can hand us anything: `http://h:abc/`, `http://[::1/`, a port
past 65535. Each is refused here as `InvalidURL` (reason `invalid_url`), so it fails that URL
and nothing else; no later `urlsplit(...).port` can raise on it.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import httpx

from scraper.http.errors import InvalidURL, UnsupportedScheme

SCHEMES = ("http", "https")
MAX_URL_LENGTH = 16_384  # far past any real article URL; longer ones are junk or an attack
_HOST_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_")


def check_url(url: str) -> str:
    """Return `url` when it is an http(s) URL with a usable host and port; raise otherwise.

    Raises `UnsupportedScheme` for another scheme and `InvalidURL` for a broken host or port.
    """
    if not isinstance(url, str) or not url.strip():
        raise InvalidURL("invalid URL (empty)", url=str(url))
    if len(url) > MAX_URL_LENGTH:
        raise InvalidURL(f"invalid URL (longer than {MAX_URL_LENGTH} characters)", url=url[:80])
    scheme = url.partition(":")[0].lower()
    if scheme not in SCHEMES or "://" not in url[:10]:
        shown = url if len(url) < 80 else url[:77] + "..."
        raise UnsupportedScheme(f"not an http(s) URL: {shown}", url=url)
    try:
        parts = urlsplit(url)
        port = parts.port
        parsed = httpx.URL(url)
    except (ValueError, httpx.InvalidURL) as error:
        raise InvalidURL(f"invalid URL ({_detail(error)})", url=url) from None
    if port is not None and not 0 < port < 65536:
        raise InvalidURL(f"invalid URL (port {port} is not in 1-65535)", url=url)
    host = parsed.raw_host.decode("ascii", "replace").lower()
    if not host:
        raise InvalidURL("invalid URL (no host)", url=url)
    if not _valid_host(host, bracketed=parts.netloc.rpartition("@")[2].startswith("[")):
        raise InvalidURL(f"invalid URL (host {host!r})", url=url)
    return url


def is_valid_url(url: str) -> bool:
    """True when `check_url` accepts `url`."""
    try:
        check_url(url)
    except (InvalidURL, UnsupportedScheme):
        return False
    return True


def _valid_host(host: str, *, bracketed: bool) -> bool:
    if bracketed:
        try:
            ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            return False
        return True
    name = host[:-1] if host.endswith(".") else host
    if not name or len(name) > 253:
        return False
    return all(0 < len(label) <= 63 and set(label) <= _HOST_CHARACTERS for label in name.split("."))


def _detail(error: Exception) -> str:
    text = str(error)
    if "Port could not be cast" in text or "Invalid port" in text:
        return "the port is not a number"
    if "Invalid IPv6" in text:
        return "a broken IPv6 address"
    if "out of range" in text:
        return "the port is not in 1-65535"
    return text.rstrip(".") or type(error).__name__
