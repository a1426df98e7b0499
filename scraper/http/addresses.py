"""Which network addresses a crawl may connect to: a guard against feeds that point it inward.

Every address falls in one range: `public`, `private` (RFC 1918, unique-local, carrier-grade NAT,
documentation and other non-global blocks), `loopback` (127/8, ::1, and 0.0.0.0, which reaches
the local host too) or `link-local` (169.254/16 with the cloud metadata service, fe80::/10).
Public addresses are always allowed; the other ranges only when the configured site itself
lives there (a site on 127.0.0.1 in a test, an intranet news server on 10.x).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

PUBLIC, PRIVATE, LOOPBACK, LINK_LOCAL = "public", "private", "loopback", "link-local"


def address_range(address: str) -> str:
    """The range `address` (an IPv4 or IPv6 literal) belongs to; unparseable counts as private."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return PRIVATE
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if ip.is_loopback or ip.is_unspecified:
        return LOOPBACK
    if ip.is_link_local:
        return LINK_LOCAL
    if ip.is_global and not ip.is_multicast:
        return PUBLIC
    return PRIVATE


def is_ip_literal(host: str) -> bool:
    """True when `host` is an IPv4 or IPv6 address rather than a name."""
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True


@dataclass
class AddressPolicy:
    """The ranges one site may reach. The site's own hosts (`trusted`) may resolve anywhere, and
    the ranges they resolve to are then open to the site's other hosts too."""

    trusted: frozenset[str]  # host names (lower case, IDNA) the configuration names
    ranges: set[str] = field(default_factory=lambda: {PUBLIC})

    @classmethod
    def for_hosts(cls, hosts: set[str] | frozenset[str]) -> AddressPolicy:
        """A policy trusting `hosts`; the ranges of those that are IP literals are open at once."""
        policy = cls(frozenset(h.lower() for h in hosts))
        policy.ranges.update(address_range(h.strip("[]")) for h in hosts if is_ip_literal(h))
        return policy

    def permits(self, host: str, address: str) -> bool:
        """May a connection to `host` go to `address`? Learns the ranges of trusted hosts."""
        where = address_range(address)
        if host.lower().strip("[]") in self.trusted or host.lower() in self.trusted:
            self.ranges.add(where)
            return True
        return where in self.ranges
