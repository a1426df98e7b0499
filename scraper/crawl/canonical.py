"""Canonical URLs, so one page seen under tracking variants is one row of crawl state."""

from __future__ import annotations

from urllib.parse import unquote_plus, urlsplit, urlunsplit

# Query keys that only say where a reader came from; the page is the same without them.
_TRACKING_KEYS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_ga"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """Return `url` without fragment, `utm_*` and click-id parameters, default port, user info
    or case noise.

    The remaining query parameters keep their order: some sites route by it. User info is never
    part of a stored URL (the crawl sends the configured credentials itself).
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    # Filter the raw pairs rather than re-encode them: a re-encoded query is another URL to some
    # servers.
    query = "&".join(
        pair for pair in parts.query.split("&") if pair and not _is_tracking(pair.split("=", 1)[0])
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def _is_tracking(raw_key: str) -> bool:
    key = unquote_plus(raw_key).lower()
    return key.startswith("utm_") or key in _TRACKING_KEYS


def host_key(url: str) -> str:
    """Return the politeness key of `url`: its host and port, as requests to it share them."""
    return urlsplit(url).netloc.rpartition("@")[2].lower()
