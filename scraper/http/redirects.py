"""The hops of one fetch: each redirect target checked before it is requested."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from scraper.http.errors import FetchError, OffsiteURL, TooManyRedirects, UnsupportedScheme
from scraper.http.url_check import SCHEMES, check_url


class RedirectChain:
    """The hops of one fetch: counts them, refuses loops past the cap, invalid or non-http(s)
    targets, and targets on hosts `allows` refuses (a crawl's site scope)."""

    def __init__(
        self, url: str, max_redirects: int, allows: Callable[[str], bool] | None = None
    ) -> None:
        self.url = url
        self.max_redirects = max_redirects
        self.allows = allows
        self.hops: list[str] = [url]
        check_url(url)

    def follow(self, response: httpx.Response) -> httpx.Request:
        """The request for the redirect target of `response` (which has one)."""
        request = response.next_request
        assert request is not None
        location = response.headers.get("location", "").strip()
        if "://" in location or location.lower().startswith(("file:", "data:", "javascript:")):
            check_scheme(location, url=self.url)  # as sent: httpx fills in a host for file:///
        target = str(request.url)
        try:
            check_url(target)
        except FetchError as error:
            raise type(error)(f"redirect target {target}: {error.message}", url=self.url) from None
        if self.allows is not None and not self.allows(target):
            raise OffsiteURL(
                f"redirect to a host this site's configuration does not name: {target}",
                url=self.url,
                status=response.status_code,
            )
        if len(self.hops) > self.max_redirects:
            loop = " (a loop)" if target in self.hops else ""
            raise TooManyRedirects(
                f"more than {self.max_redirects} redirects{loop}",
                url=self.url,
                status=response.status_code,
            )
        self.hops.append(target)
        return request


def check_scheme(target: str, *, url: str) -> None:
    """Raise UnsupportedScheme unless `target` is an http or https URL with a host."""
    scheme, _, rest = target.partition("://")
    if scheme.lower() not in SCHEMES or not rest:
        shown = target if len(target) < 80 else target[:77] + "..."
        raise UnsupportedScheme(f"not an http(s) URL: {shown}", url=url)
