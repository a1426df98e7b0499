"""`scraper.scrape` and `scraper.ascrape` as a library user calls them, on a loopback server."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

import scraper
from scraper.http.errors import FetchError

ARTICLE = (Path(__file__).parents[2] / "fixtures/fetch/article_vn_junk.html").read_text("utf-8")
FIRST_PARAGRAPH = "This was the second meeting within a month"


def test_scrape_and_ascrape_give_the_same_article(server) -> None:
    server.route("/story", server.html(ARTICLE))
    sync = scraper.scrape(server.url("/story"))
    in_asyncio = asyncio.run(scraper.ascrape(server.url("/story")))
    assert in_asyncio.text.startswith(FIRST_PARAGRAPH)
    assert "Ý kiến bạn đọc" not in in_asyncio.text
    assert in_asyncio.to_dict() == sync.to_dict()


def test_ascrape_runs_beside_other_tasks(server) -> None:
    server.route("/a", server.html(ARTICLE))
    server.route("/b", server.html(ARTICLE))

    async def both() -> list:
        return await asyncio.gather(
            scraper.ascrape(server.url("/a")), scraper.ascrape(server.url("/b"))
        )

    first, second = asyncio.run(both())
    assert first.url == server.url("/a") and second.url == server.url("/b")


def test_ascrape_raises_the_fetch_error_with_its_exit_code(server) -> None:
    with pytest.raises(FetchError) as caught:
        asyncio.run(scraper.ascrape(server.url("/missing")))
    assert caught.value.exit_code == 69
