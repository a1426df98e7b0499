"""Which hosts a site may request, with which credentials, and which addresses it may reach."""

from __future__ import annotations

import pytest

from scraper.http.addresses import (
    LINK_LOCAL,
    LOOPBACK,
    PRIVATE,
    PUBLIC,
    AddressPolicy,
    address_range,
)
from scraper.http.host_scope import HostScope

SITE = HostScope.for_site(
    ["https://reader:s3cret@news.example/rss.xml", "http://127.0.0.1:8000/sitemap.xml"],
    ["cdn.news.example", "127.0.0.1:9000"],
)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://news.example/a", True),
        ("http://news.example/a", True),  # a host named without a port: both standard ports
        ("https://NEWS.example:443/a", True),
        ("http://news.example:8080/a", False),  # another port is another host
        ("https://www.news.example/a", False),  # subdomains are not implied
        ("https://cdn.news.example/s.xml", True),  # follow_hosts widens the scope
        ("http://127.0.0.1:8000/a", True),
        ("http://127.0.0.1:9000/a", True),
        ("http://127.0.0.1:8001/a", False),
        ("http://127.0.0.1:99999/a", False),
        ("http://h:abc/", False),
    ],
)
def test_a_site_requests_only_the_hosts_its_configuration_names(url: str, allowed: bool) -> None:
    assert SITE.allows(url) is allowed


def test_configured_credentials_go_with_the_host_and_only_there() -> None:
    assert SITE.with_credentials("https://news.example/a") == (
        "https://reader:s3cret@news.example/a"
    )
    # a feed's own user info is dropped, never sent: the configuration decides
    assert SITE.with_credentials("https://x:y@cdn.news.example/a") == "https://cdn.news.example/a"


@pytest.mark.parametrize(
    ("address", "where"),
    [
        ("127.0.0.1", LOOPBACK),
        ("0.0.0.0", LOOPBACK),
        ("::1", LOOPBACK),
        ("::ffff:127.0.0.1", LOOPBACK),
        ("169.254.169.254", LINK_LOCAL),
        ("fe80::1", LINK_LOCAL),
        ("10.1.2.3", PRIVATE),
        ("192.168.0.1", PRIVATE),
        ("100.64.0.1", PRIVATE),
        ("fd00::2", PRIVATE),
        ("8.8.8.8", PUBLIC),
        ("2001:4860:4860::8888", PUBLIC),
    ],
)
def test_addresses_fall_in_their_ranges(address: str, where: str) -> None:
    assert address_range(address) == where


def test_private_ranges_open_only_where_the_site_itself_is() -> None:
    web = AddressPolicy.for_hosts({"news.example"})
    assert web.permits("cdn.news.example", "8.8.8.8")
    assert not web.permits("cdn.news.example", "127.0.0.1")
    assert not web.permits("cdn.news.example", "169.254.169.254")
    # the site's own host may resolve anywhere, and opens that range to its other hosts
    assert web.permits("news.example", "10.0.0.5")
    assert web.permits("cdn.news.example", "10.0.0.7")
    assert not web.permits("cdn.news.example", "127.0.0.1")
    local = AddressPolicy.for_hosts({"127.0.0.1"})
    assert local.permits("other", "127.0.0.1") and not local.permits("other", "10.0.0.1")
