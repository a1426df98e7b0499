"""The crawl configuration (`sources.toml`): typed settings with every key checked.

A bad file is a `ConfigError` whose message names the offending key; the CLI prints it on one line
and exits 78. Unknown keys are errors too, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_SOURCES = "default_sources.toml"


class ConfigError(Exception):
    """The configuration file is missing, unreadable or has a bad key."""


@dataclass(frozen=True)
class Site:
    """One news site: where its articles are announced and how politely to fetch them."""

    name: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    robots_sitemaps: bool = False  # also follow the `Sitemap:` lines of robots.txt
    allow: tuple[str, ...] = ()  # URL prefixes an article may have; empty: the feeds' hosts
    deny: tuple[str, ...] = ()  # URL prefixes never fetched even when allowed
    delay: float = 1.0  # minimum seconds between two requests to one host
    in_flight: int = 2  # requests open at once to one host
    timezone: str = "Asia/Ho_Chi_Minh"
    language: str | None = "en"  # an ISO 639-1 code; None ("auto" in the file): each page's own
    follow_hosts: tuple[str, ...] = ()  # more hosts ("host" or "host:port") it may request

    def allows(self, url: str) -> bool:
        """True when `url` is one of this site's article URLs by the allow/deny prefixes."""
        allow, deny, hosts = self._prefixes
        if any(url.startswith(prefix) for prefix in deny):
            return False
        if allow:
            return any(url.startswith(prefix) for prefix in allow)
        from scraper.http.host_scope import host_key_of

        return host_key_of(url) in hosts

    def fingerprint(self) -> str:
        """A digest of the keys that decide which pages are skipped (language, allow, deny, the
        feeds and sitemaps): when it changes, the site's skipped pages are judged again."""
        import hashlib
        import json

        keys: list[object] = [self.language, self.allow, self.deny, self.feeds, self.sitemaps]
        keys += [self.robots_sitemaps, self.follow_hosts]
        return hashlib.sha256(json.dumps(keys).encode("utf-8")).hexdigest()[:32]

    @functools.cached_property
    def _prefixes(self) -> tuple[tuple[str, ...], tuple[str, ...], frozenset[object]]:
        """allow and deny without user info (URLs are compared without it), and the feeds' and
        sitemaps' hosts."""
        from scraper.http.host_scope import host_key_of
        from scraper.redact import without_userinfo

        return (
            tuple(without_userinfo(u) for u in self.allow),
            tuple(without_userinfo(u) for u in self.deny),
            frozenset(host_key_of(u) for u in (*self.feeds, *self.sitemaps)),
        )


@dataclass(frozen=True)
class CrawlSettings:
    """The `[crawl]` table: where results go and the limits of one run."""

    db: Path = Path("data/newsclean.sqlite")
    jsonl: Path | None = None
    warc: Path | None = None
    warc_max_bytes: int = 100_000_000  # rotate WARC files at about this size
    concurrency: int = 8  # pages in flight, all hosts together
    workers: int = 0  # cleaning processes; 0 means one per CPU
    max_pages: int | None = None  # pages fetched per run
    max_runtime: float | None = None  # seconds the whole run may take (a hard deadline)
    max_attempts: int = 5  # a page failing this often is given up
    retry_backoff: float = 900.0  # seconds before the first retry on a later run, doubled each time
    max_sitemaps: int = 50  # child sitemaps read per site and run, in rotation
    max_urls_per_source: int = 5000  # URLs taken from one feed or sitemap
    user_agent: str | None = None
    timeout: float = 30.0  # total seconds for one request
    clean_timeout: float = 30.0  # seconds a worker may spend on one page (or feed, sitemap)


@dataclass(frozen=True)
class Config:
    """A whole configuration: the crawl settings and the sites."""

    crawl: CrawlSettings = field(default_factory=CrawlSettings)
    sites: tuple[Site, ...] = ()


def load_config(path: Path | None = None) -> Config:
    """Read and check `path`, or the bundled default sources when `path` is None."""
    if path is None:
        text = resources.files("scraper").joinpath("data", DEFAULT_SOURCES).read_text("utf-8")
        origin = DEFAULT_SOURCES
    else:
        try:
            text = Path(path).read_text("utf-8")
        except FileNotFoundError:
            raise ConfigError(f"{path}: config file not found") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read config: {exc}") from None
        origin = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin}: invalid TOML: {exc}") from None
    return parse_config(data, origin=origin)


def parse_config(data: dict[str, Any], *, origin: str = "config") -> Config:
    """Turn parsed TOML into a `Config`, naming the first bad key in the error."""
    _no_unknown(data, {"crawl", "site"}, origin, "")
    crawl = _parse_crawl(data.get("crawl", {}), origin)
    raw_sites = data.get("site", [])
    if not isinstance(raw_sites, list):
        raise ConfigError(f"{origin}: key 'site' must be an array of tables ([[site]])")
    sites = tuple(_parse_site(raw, i, origin) for i, raw in enumerate(raw_sites))
    names = [s.name for s in sites]
    for name in names:
        if names.count(name) > 1:
            raise ConfigError(f"{origin}: key 'site.name' {name!r} is used twice")
    return Config(crawl=crawl, sites=sites)


def with_overrides(config: Config, **overrides: Any) -> Config:
    """Return `config` with the given `[crawl]` settings replaced, ignoring None values."""
    given = {k: v for k, v in overrides.items() if v is not None}
    return replace(config, crawl=replace(config.crawl, **given)) if given else config


def _no_unknown(table: dict[str, Any], known: set[str], origin: str, prefix: str) -> None:
    for key in table:
        if key not in known:
            raise ConfigError(f"{origin}: unknown key '{prefix}{key}'")


def _parse_crawl(raw: Any, origin: str) -> CrawlSettings:
    if not isinstance(raw, dict):
        raise ConfigError(f"{origin}: key 'crawl' must be a table")
    known = {f.name for f in fields(CrawlSettings)}
    _no_unknown(raw, known, origin, "crawl.")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        name = f"crawl.{key}"
        if key in ("db", "jsonl", "warc"):
            values[key] = Path(_typed(value, str, name, origin))
        elif key == "user_agent":
            values[key] = _typed(value, str, name, origin)
        elif key in ("max_runtime", "retry_backoff", "timeout"):
            values[key] = float(_number(value, name, origin, minimum=0.0))
        elif key == "clean_timeout":
            values[key] = float(_number(value, name, origin, minimum=0.001))
        else:
            values[key] = _integer(value, name, origin, minimum=0 if key == "workers" else 1)
    return CrawlSettings(**values)


def _parse_site(raw: Any, index: int, origin: str) -> Site:
    where = f"site[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{origin}: key '{where}' must be a table")
    _no_unknown(raw, {f.name for f in fields(Site)}, origin, "site.")
    if "name" not in raw:
        raise ConfigError(f"{origin}: key 'site.name' is missing in {where}")
    values: dict[str, Any] = {"name": _typed(raw["name"], str, "site.name", origin)}
    for key in ("feeds", "sitemaps"):
        if key in raw:
            values[key] = tuple(_url(u, f"site.{key}", origin) for u in _list(raw, key, origin))
    for key in ("allow", "deny"):
        if key in raw:
            values[key] = tuple(
                _typed(u, str, f"site.{key}", origin) for u in _list(raw, key, origin)
            )
    if "follow_hosts" in raw:
        values["follow_hosts"] = tuple(_host(h, origin) for h in _list(raw, "follow_hosts", origin))
    if "robots_sitemaps" in raw:
        values["robots_sitemaps"] = _typed(
            raw["robots_sitemaps"], bool, "site.robots_sitemaps", origin
        )
    if "delay" in raw:
        values["delay"] = float(_number(raw["delay"], "site.delay", origin, minimum=0.0))
    if "in_flight" in raw:
        values["in_flight"] = _integer(raw["in_flight"], "site.in_flight", origin, minimum=1)
    if "timezone" in raw:
        tz = _typed(raw["timezone"], str, "site.timezone", origin)
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # "Asia" names a folder of zones
            raise ConfigError(f"{origin}: key 'site.timezone' has unknown zone {tz!r}") from None
        values["timezone"] = tz
    if "language" in raw:
        values["language"] = _language(raw["language"], origin)
    site = Site(**values)
    if not site.feeds and not site.sitemaps and not site.robots_sitemaps:
        raise ConfigError(
            f"{origin}: key 'site.feeds' or 'site.sitemaps' is needed for {site.name!r}"
        )
    return site


def _list(raw: dict[str, Any], key: str, origin: str) -> list[Any]:
    value = raw[key]
    if not isinstance(value, list):
        raise ConfigError(f"{origin}: key 'site.{key}' must be a list")
    return value


def _typed(value: Any, kind: type, name: str, origin: str) -> Any:
    if not isinstance(value, kind):
        raise ConfigError(f"{origin}: key '{name}' must be a {kind.__name__}, not {value!r}")
    return value


def _number(value: Any, name: str, origin: str, *, minimum: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
        raise ConfigError(f"{origin}: key '{name}' must be a number >= {minimum}, not {value!r}")
    return value


def _integer(value: Any, name: str, origin: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(f"{origin}: key '{name}' must be an integer >= {minimum}, not {value!r}")
    return value


def _url(value: Any, name: str, origin: str) -> str:
    from scraper.http.errors import FetchError
    from scraper.http.url_check import check_url
    from scraper.redact import redact

    url = _typed(value, str, name, origin)
    try:
        check_url(url)
    except FetchError as error:
        raise ConfigError(f"{origin}: key '{name}' has a URL that is not usable: {error}") from None
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise ConfigError(f"{origin}: key '{name}' has a URL that is not http(s): {redact(url)}")
    return url


def _language(value: Any, origin: str) -> str | None:
    from cleaners.language_option import language_to_keep

    try:
        return language_to_keep(_typed(value, str, "site.language", origin))
    except ValueError as error:
        raise ConfigError(f"{origin}: key 'site.language': {error}") from None


def _host(value: Any, origin: str) -> str:
    from scraper.http.host_scope import parse_host

    entry = _typed(value, str, "site.follow_hosts", origin)
    if parse_host(entry) is None:
        raise ConfigError(
            f"{origin}: key 'site.follow_hosts' has {entry!r}, not a host or host:port"
        )
    return entry
