"""The JSON Lines file catches up with the store: each stored article in it exactly once."""

from __future__ import annotations

import json
from pathlib import Path

from cleaners import Article
from scraper.crawl.outputs.jsonl_mirror import JsonlMirror
from scraper.crawl.sources import Candidate
from scraper.crawl.store import Store, Validators

NONE = Validators(None, None)


def store_articles(store: Store, numbers: range) -> list[tuple[int, str]]:
    out = []
    for n in numbers:
        url = f"http://a.example/{n}"
        store.record_source("http://a.example/rss", "a", NONE, [Candidate(url)], now=0)
        stored = store.store_article(
            url,
            "a",
            Article(url=url, title=str(n)),
            content_hash=url,
            fetched_at="t",
            validators=NONE,
        )
        assert stored is not None
        out.append(stored)
    return out


def numbers_in(path: Path) -> list[int]:
    return [int(json.loads(line)["title"]) for line in path.read_text().splitlines()]


def opened(path: Path, store: Store) -> JsonlMirror:
    mirror = JsonlMirror(path, store)
    mirror.open()
    return mirror


def test_articles_committed_but_not_written_are_appended_once(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    with Store(tmp_path / "db.sqlite") as store:
        mirror = opened(path, store)
        mirror.catch_up()  # the first run with this file: it starts here
        for article_id, line in store_articles(store, range(3)):
            mirror.append(article_id, line)
        store_articles(store, range(3, 5))  # committed; then the process was killed
        mirror.close()

        again = opened(path, store)
        done = again.catch_up()
        again.close()
        assert done.appended == 2
        assert numbers_in(path) == [0, 1, 2, 3, 4]
        assert opened(path, store).catch_up().appended == 0  # nothing twice


def test_a_line_written_but_not_marked_is_not_written_again(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    with Store(tmp_path / "db.sqlite") as store:
        mirror = opened(path, store)
        mirror.catch_up()
        (article_id, line), (_, unmarked) = store_articles(store, range(2))
        mirror.append(article_id, line)
        mirror.close()
        with path.open("a") as file:  # written; killed before the store recorded it
            file.write(unmarked + "\n")
        assert opened(path, store).catch_up().appended == 0
    assert numbers_in(path) == [0, 1]


def test_half_a_line_left_by_a_kill_is_cut_before_catching_up(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    with Store(tmp_path / "db.sqlite") as store:
        mirror = opened(path, store)
        mirror.catch_up()
        (first_id, first), (_, second) = store_articles(store, range(2))
        mirror.append(first_id, first)
        mirror.close()
        with path.open("a") as file:
            file.write(second[:17])  # killed in the middle of the append
        done = opened(path, store).catch_up()
    assert done.cut_bytes == 17 and done.appended == 1
    assert numbers_in(path) == [0, 1]


def test_a_rotated_file_starts_afresh_without_the_articles_of_the_old_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "articles.jsonl"
    with Store(tmp_path / "db.sqlite") as store:
        mirror = opened(path, store)
        mirror.catch_up()
        for article_id, line in store_articles(store, range(3)):
            mirror.append(article_id, line)
        mirror.close()
        path.rename(tmp_path / "articles.jsonl.1")  # logrotate
        store_articles(store, range(3, 4))  # stored while no file took it
        done = opened(path, store).catch_up()
    assert done.appended == 1
    assert numbers_in(path) == [3]
    assert numbers_in(tmp_path / "articles.jsonl.1") == [0, 1, 2]
