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
    └── BadContentEncoding      a compressed body we cannot (or may not) decode
```

Every message names the URL, so one line on stderr says what went wrong. `retryable` says
whether the fetcher itself tries again at once (with backoff); `transient` says whether the
caller should try again later (exit 75).
"""

from __future__ import annotations

from scraper.exit_codes import ExitCode


class FetchError(Exception):
    """A fetch that did not give a usable page; the base of every fetch failure."""

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
        super().__init__(message)
        self.message = message
        self.url = url
        self.status = status
        self.retry_after = retry_after

    def __str__(self) -> str:
        status = f" (HTTP {self.status})" if self.status is not None else ""
        return f"{self.message}{status}: {self.url}"


class TransientFetchError(FetchError):
    """A failure that may pass: timeouts, connection errors, 5xx and 429."""

    transient = True
    retryable = True
    exit_code = ExitCode.TEMPORARY


class FetchTimeout(TransientFetchError):
    """The server took longer than the connect, read or whole-request timeout."""


class ConnectFailed(TransientFetchError):
    """The connection could not be made or broke off (refused, reset, DNS, TLS)."""


class ServerError(TransientFetchError):
    """The server answered 5xx or 429."""


class RobotsUnavailable(TransientFetchError):
    """robots.txt could not be read (5xx, timeout, refused), so the whole site counts as disallowed.

    Not retried within the run: robots.txt is fetched once per host and cached.
    """

    retryable = False


class PermanentFetchError(FetchError):
    """A failure that retrying will not fix."""

    transient = False
    exit_code = ExitCode.PERMANENT


class ClientError(PermanentFetchError):
    """The server answered 4xx (other than 429): not found, gone, forbidden, ..."""


class RobotsDisallowed(PermanentFetchError):
    """robots.txt does not allow our user agent to fetch this URL."""


class NotHTML(PermanentFetchError):
    """The response is not of the kind asked for; the message names its content type."""


class BodyTooLarge(PermanentFetchError):
    """The decoded body grew past the size cap (a huge page, a gzip bomb, an endless stream)."""


class BlockedPage(PermanentFetchError):
    """The server sent a captcha, access-denied, bot-challenge or consent page, not the article."""


class TooManyRedirects(PermanentFetchError):
    """More redirects than allowed, which includes every redirect loop."""


class UnsupportedScheme(PermanentFetchError):
    """The URL, or a redirect, points to a scheme other than http or https."""


class BadContentEncoding(PermanentFetchError):
    """The body is compressed with an encoding we do not decode, or is corrupt."""
