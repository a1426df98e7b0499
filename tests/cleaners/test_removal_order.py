"""`removed` lists what a page lost in page order: pruned containers and rule removals merged."""

from __future__ import annotations

from cleaners import clean_html
from cleaners.model import Removal
from cleaners.removal_order import in_page_order

STORY = (
    "HANOI — The government announced on Monday a new plan to expand the metro network across "
    "the capital by 2030, officials said.",
    "The plan covers ten lines and hundreds of kilometres of track, and will be financed by "
    "loans and bonds, the ministry said in a statement.",
)

PAGE = f"""<html><body>
<header class="site-header"><nav><a href="/">Home</a> <a href="/w">World</a></nav></header>
<article><h1>Big news</h1><p>By Jane Doe</p><p>{STORY[0]}</p><p>{STORY[1]}</p>
<p>Tin liên quan</p></article>
<aside class="sidebar"><h3>Most read</h3><ul><li><a href="/1">One story here</a></li>
<li><a href="/2">Two story here</a></li><li><a href="/3">Three story here</a></li></ul></aside>
<footer>Copyright 2025 News</footer></body></html>"""


def test_removed_blocks_come_in_page_order() -> None:
    article = clean_html(PAGE)
    assert article.paragraphs == STORY
    assert [r.reason for r in article.removed] == [
        "header",
        "byline",
        "junk_heading",
        "aside",
        "footer",
    ]


def test_a_removal_not_found_in_the_page_follows_the_one_before_it() -> None:
    pruned = [Removal("nav", "Home World"), Removal("footer", "Copyright")]
    ruled = [Removal("byline", "By Jane"), Removal("caption", "not in the page")]
    ordered = in_page_order(pruned, ruled, "Home World By Jane story Copyright")
    assert [r.text for r in ordered] == ["Home World", "By Jane", "not in the page", "Copyright"]
