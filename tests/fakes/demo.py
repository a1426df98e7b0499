"""`make demo`: serve the fixture site on 127.0.0.1 and crawl it twice, all offline.

The first run discovers and stores every article; the second shows what a cron run costs when
nothing changed (one 304 per feed and sitemap). The store, JSON Lines and WARC files are left in
a temporary directory whose path is printed.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "site"
HOSTS = ("vietnam-news", "hanoi-daily")


def main() -> None:
    """Run the demo and print what happened."""
    from scraper.crawl import run_crawl
    from scraper.crawl.config import load_config
    from scraper.crawl.report import LogReporter
    from scraper.crawl.store import Store
    from tests.fakes.site import FakeSite

    if not FIXTURES.is_dir():
        sys.exit(f"newsclean demo: the fixture site is missing ({FIXTURES}); run from a clone")
    out = Path(tempfile.mkdtemp(prefix="newsclean-demo-"))
    with FakeSite(list(HOSTS)) as site:
        site.load_dir(FIXTURES)
        config = out / "sources.toml"
        lines = [
            "[crawl]",
            f'db = "{out / "newsclean.sqlite"}"',
            f'jsonl = "{out / "articles.jsonl"}"',
            f'warc = "{out / "warc"}"',
        ]
        for host in HOSTS:
            base = site.base(host)
            lines += [
                "",
                "[[site]]",
                f'name = "{host}"',
                f'feeds = ["{base}/rss.xml"]',
                f'sitemaps = ["{base}/sitemap.xml"]',
                f'allow = ["{base}/"]',
                "delay = 0.1",
            ]
        config.write_text("\n".join(lines) + "\n", encoding="utf-8")
        for run in ("first run", "second run (nothing changed)"):
            print(f"== {run}", file=sys.stderr)
            summary = run_crawl(load_config(config), LogReporter())
            print(f"   {summary.line()}", file=sys.stderr)
    with Store(out / "newsclean.sqlite") as store:
        articles = [json.loads(line) for line in store.articles()]
    for article in articles:
        print(
            f"{article['source']:<13} {article['date'] or '-':<26} {article['dateline'] or '-':<9}"
            f" {article['title']}"
        )
    print(f"\nstored {len(articles)} articles in {out}/ (newsclean.sqlite, articles.jsonl, warc/)")
    print(f"export them with: newsclean export --db {out / 'newsclean.sqlite'}")


if __name__ == "__main__":
    main()
