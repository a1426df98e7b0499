"""Why a fetch failed, as one exception tree; each class knows the exit code of the contract.

```
FetchError                      url, status, transient, exit_code, retry_after
├── TransientFetchError         worth retrying later: exit 75
│   ├── FetchTimeout            connect, read or whole-request timeout
│   ├── ConnectFailed           refused, reset, DNS, TLS
│   ├── ServerError             5xx or 429 still failing after the retries
│   └── RobotsUnavailable       robots.txt answered 5xx or not at all: all disallowed (RFC 9309)
└── PermanentFetchError         retrying will not help: exit 69
    ├── ClientError             4xx other than 429
    ├── RobotsDisallowed        robots.txt forbids the URL for our user agent
    ├── NotHTML                 the content type (or the bytes) is not what was asked for
    ├── BodyTooLarge            the decoded body passed the size cap
    ├── BlockedPage             captcha, "access denied", Cloudflare challenge, consent wall
    ├── TooManyRedirects        more redirects than allowed, or a loop
    ├── UnsupportedScheme       a URL or redirect to anything but http/https
    ├── InvalidURL              a URL that cannot be requested: bad port, broken host, no host
    ├── OffsiteURL              a URL or redirect to a host the site's configuration does not name
    ├── AddressRefused          a host that resolves into a private, loopback or link-local range
    └── BadContentEncoding      a compressed body we cannot (or may not) decode
```

Every message names the URL, so one line on stderr says what went wrong; user info in a URL
(`http://user:secret@host/`) is redacted from `url` and the message. `retryable` says
whether the fetcher itself tries again at once (with backoff); `transient` says whether the
caller should try again later (exit 75); `reason` is the class's short token for summaries.
"""

from __future__ import annotations

from scraper.exit_codes import ExitCode
from scraper.redact import redact


class FetchError(Exception):
    """A fetch that did not give a usable page; the base of every fetch failure."""

    reason = "fetch_error"
    transient: bool = False
    retryable: bool = False
    exit_code: ExitCode = ExitCode.PERMANENT

    def __init__(
        self,
        message: str,
        *,
        url: str,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        message = redact(message)
        super().__init__(message)
        self.message = message
        self.url = redact(url)
        self.status = status
        self.retry_after = retry_after

    @property
    def summary_reason(self) -> str:
        """The short, stable token a crawl counts this failure under (`http_404`, `timeout`)."""
        if self.status is not None and self.status >= 400:
            return f"http_{self.status}"
        return self.reason

    def __str__(self) -> str:
        status = f" (HTTP {self.status})" if self.status is not None else ""
        return f"{self.message}{status}: {self.url}"


class TransientFetchError(FetchError):
    """A failure that may pass: timeouts, connection errors, 5xx and 429."""

    reason = "temporary_failure"
    transient = True
    retryable = True
    exit_code = ExitCode.TEMPORARY


class FetchTimeout(TransientFetchError):
    """The server took longer than the connect, read or whole-request timeout."""

    reason = "timeout"


class ConnectFailed(TransientFetchError):
    """The connection could not be made or broke off (refused, reset, DNS, TLS)."""

    reason = "connection_failed"


class ServerError(TransientFetchError):
    """The server answered 5xx or 429."""

    reason = "server_error"


class RobotsUnavailable(TransientFetchError):
    """robots.txt could not be read (5xx, timeout, refused), so the whole site counts as disallowed.

    Not retried within the run: robots.txt is fetched once per host and cached.
    """

    reason = "robots_unavailable"
    retryable = False


class PermanentFetchError(FetchError):
    """A failure that retrying will not fix."""

    reason = "permanent_failure"
    transient = False
    exit_code = ExitCode.PERMANENT


class ClientError(PermanentFetchError):
    """The server answered 4xx (other than 429): not found, gone, forbidden, ..."""

    reason = "client_error"


class RobotsDisallowed(PermanentFetchError):
    """robots.txt does not allow our user agent to fetch this URL."""

    reason = "robots_disallowed"


class NotHTML(PermanentFetchError):
    """The response is not of the kind asked for; the message names its content type."""

    reason = "not_html"


class BodyTooLarge(PermanentFetchError):
    """The decoded body grew past the size cap (a huge page, a gzip bomb, an endless stream)."""

    reason = "body_too_large"


class BlockedPage(PermanentFetchError):
    """The server sent a captcha, access-denied, bot-challenge or consent page, not the article."""

    reason = "blocked_page"


class TooManyRedirects(PermanentFetchError):
    """More redirects than allowed, which includes every redirect loop."""

    reason = "too_many_redirects"


class UnsupportedScheme(PermanentFetchError):
    """The URL, or a redirect, points to a scheme other than http or https."""

    reason = "unsupported_scheme"


class InvalidURL(PermanentFetchError):
    """The URL cannot be requested: a port that is not a number in 1-65535, a broken host."""

    reason = "invalid_url"


class OffsiteURL(PermanentFetchError):
    """A URL or redirect to a host outside the site's configuration (see `follow_hosts`)."""

    reason = "offsite"


class AddressRefused(PermanentFetchError):
    """The host resolves only into ranges the crawl may not reach (private, loopback,
    link-local) while the configured site itself is not there."""

    reason = "refused_address"


class BadContentEncoding(PermanentFetchError):
    """The body is compressed with an encoding we do not decode, or is corrupt."""

    reason = "bad_content_encoding"
