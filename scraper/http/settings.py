"""How to fetch: timeouts, limits, the user agent, the retry policy and robots.txt."""

from __future__ import annotations

from dataclasses import dataclass

from scraper import __version__

PROJECT_URL = "https://pypi.org/project/newsclean/"
DEFAULT_USER_AGENT = f"newsclean/{__version__} (+{PROJECT_URL})"


@dataclass(frozen=True)
class FetchSettings:
    """How to fetch: timeouts (seconds), limits, user agent, retry policy, robots.txt."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0  # the longest silence between two bytes
    total_timeout: float = 30.0  # one attempt, all redirects and the whole body included
    max_redirects: int = 10
    user_agent: str = DEFAULT_USER_AGENT
    max_bytes: int = 10_000_000  # decoded body, after decompression
    retries: int = 3
    backoff_base: float = 0.5
    max_retry_wait: float = 30.0  # cap on the total time spent waiting between retries
    obey_robots: bool = True
    max_connections: int = 16

    def limits_text(self) -> str:
        """The timeouts, as error messages name them."""
        return (
            f"connect {self.connect_timeout:g}s, read {self.read_timeout:g}s, "
            f"total {self.total_timeout:g}s"
        )
