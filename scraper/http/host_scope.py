"""The hosts one site may request: those its configuration names, and nothing else.

A crawl requests a URL (feed, sitemap, sitemap-index child, robots.txt `Sitemap:` line, page,
each redirect hop) only when its host is one of the site's: the hosts of its `feeds`,
`sitemaps` and `allow` prefixes, plus its explicit `follow_hosts`. A host named without a port
covers both standard ports (80 and 443), so `http://` to `https://` redirects stay in scope; a
host named with a port covers that port only.

Credentials written into a configured URL (`https://user:secret@host/feed`) are sent with every
request of the site to that host, and are never stored or printed (see scraper.redact).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from scraper.http.addresses import AddressPolicy
from scraper.redact import userinfo_of, without_userinfo

HostKey = tuple[str, int | None]  # (IDNA host in lower case, port; None for the standard ones)


def host_key_of(url: str) -> HostKey | None:
    """The (host, port) a URL requests, or None when it cannot be parsed."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError):
        return None
    host = parsed.raw_host.decode("ascii", "replace").lower()
    return (host, parsed.port) if host else None


def parse_host(entry: str) -> HostKey | None:
    """A `follow_hosts` entry ("host", "host:port" or a URL) as a HostKey, None when invalid."""
    entry = entry.strip()
    if "://" not in entry:
        entry = f"http://{entry}/"
    key = host_key_of(entry)
    if key is None:
        return None
    try:
        urlsplit(entry).port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return None
    return key


@dataclass
class HostScope:
    """Which hosts one site may request (None: any), with their credentials and addresses."""

    hosts: frozenset[HostKey] | None
    addresses: AddressPolicy
    credentials: dict[HostKey, str] = field(default_factory=dict)

    @classmethod
    def for_site(cls, site_urls: Iterable[str], follow_hosts: Iterable[str] = ()) -> HostScope:
        """The scope of a site whose configuration names `site_urls` (feeds, sitemaps, allow
        prefixes) and `follow_hosts`. Only the hosts of `site_urls` count as the site itself
        for the address guard."""
        own: set[HostKey] = set()
        credentials: dict[HostKey, str] = {}
        for url in site_urls:
            key = host_key_of(url)
            if key is None:
                continue
            own.add(key)
            if (info := userinfo_of(url)) is not None:
                credentials.setdefault(key, info)
        followed = {key for entry in follow_hosts if (key := parse_host(entry)) is not None}
        policy = AddressPolicy.for_hosts({host for host, _ in own})
        return cls(frozenset(own | followed), policy, credentials)

    @classmethod
    def anywhere(cls, url: str) -> HostScope:
        """The scope of one `get`: any host, with the host of `url` trusted by the address
        guard (a redirect from the web into a private range is still refused)."""
        key = host_key_of(url)
        return cls(None, AddressPolicy.for_hosts({key[0]} if key else set()))

    def allows(self, url: str) -> bool:
        """True when `url`'s host (and port) is one this site may request."""
        if self.hosts is None:
            return True
        key = host_key_of(url)
        if key is None:
            return False
        host, port = key
        if key in self.hosts:
            return True
        # a host named without a port covers both standard ports
        scheme = url.partition(":")[0].lower()
        standard = port is None or (scheme, port) in (("http", 443), ("https", 80))
        return standard and (host, None) in self.hosts

    def with_credentials(self, url: str) -> str:
        """`url` with the credentials the configuration gives for its host, if any; other user
        info (from a feed, say) is dropped, never sent."""
        bare = without_userinfo(url)
        key = host_key_of(bare)
        info = self.credentials.get(key) if key else None
        if info is None:
            return bare
        scheme, sep, rest = bare.partition("://")
        return f"{scheme}{sep}{info}@{rest}"
