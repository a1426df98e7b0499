"""A story written in paragraphs is read from its content root: every paragraph, list item and
table row of the story, its lead, and none of its captions, media or link lists."""

from selectolax.lexbor import LexborHTMLParser

from cleaners import clean_html
from cleaners.root_reader import read_root

STORY = [
    "The city council voted on Tuesday to rebuild the old harbour bridge, ending a debate that "
    "had run for more than six years and divided the two districts on either bank of the river.",
    "Engineers expect the work to take three years. Traffic will move to a temporary crossing "
    "upstream, which the port authority says can carry buses but not the heaviest lorries.",
    "Shop owners near the quay welcomed the decision but asked for help during the closure, "
    "saying that a quiet summer could close businesses that had survived the pandemic years.",
    "The council will publish the final plans in the spring, after a last round of public "
    "meetings in both districts, and expects to sign the building contract before the autumn.",
    "Residents of the northern district, who cross the river every day to reach the hospital and "
    "the main schools, asked the council to run extra ferries while the bridge is closed.",
    "The mayor said the ferries would be free for the first six months, and that the city would "
    "review the timetable each quarter with the schools, the hospital and the shop owners.",
]
LEAD = "The council chose a new bridge over repairs, at a cost of 180 million over three years."
RELATED = [
    "Council approves the new school budget after a long debate",
    "Flood defences along the river to be raised next spring",
    "Bus fares frozen for a third year as ridership recovers",
]


def _page(inside: str = "", before: str = "") -> str:
    first = "".join(f"<p>{text}</p>" for text in STORY[:2])
    rest = "".join(f"<p>{text}</p>" for text in STORY[2:])
    return (
        "<html><head><title>Council votes to rebuild the harbour bridge</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/city'>City</a></nav>"
        "<div class='story'><h1>Council votes to rebuild the harbour bridge</h1>"
        f"{before}<div class='body'>{first}{inside}{rest}</div></div>"
        "<footer>Copyright 2026 The Harbour Post</footer></body></html>"
    )


def _root_texts(page: str) -> list[str] | None:
    """What the root reading gives for `page` as it stands (None: left to trafilatura)."""
    body = LexborHTMLParser(page).body
    assert body is not None
    blocks = read_root(body, set())
    return None if blocks is None else [block.text for block in blocks]


def test_the_story_paragraphs_are_read_in_order():
    article = clean_html(_page(), "https://example.com/news/council-votes-to-rebuild-bridge")
    assert article.paragraphs == tuple(STORY)


def test_captions_and_figures_inside_the_story_are_not_read():
    figure = (
        "<figure><img src='bridge.jpg'><figcaption>The old bridge at dawn. Photo by A. Tran"
        "</figcaption></figure><div class='image-caption'>Crowds on the quay in 1998, from the "
        "city archive</div>"
    )
    article = clean_html(_page(inside=figure), "https://example.com/news/council-bridge-vote")
    assert article.paragraphs == tuple(STORY)
    assert "Photo by" not in article.text
    assert "Crowds on the quay" not in article.text


def test_lists_and_tables_inside_the_story_are_kept():
    table = (
        "<ul><li>Cost: 180 million over three years</li><li>Closure of the old crossing in "
        "June</li></ul><table><tr><th>Year</th><th>Budget</th></tr><tr><td>2027</td>"
        "<td>60 million</td></tr></table>"
    )
    article = clean_html(_page(inside=table), "https://example.com/news/council-bridge-budget")
    assert "Cost: 180 million over three years" in article.paragraphs
    assert "Closure of the old crossing in June" in article.paragraphs
    assert "| 2027 | 60 million |" in article.paragraphs
    assert article.paragraphs[-1] == STORY[-1]


def test_a_list_of_linked_headlines_inside_the_story_is_removed():
    related = "<ul>" + "".join(f"<li><a href='/n{i}'>{t}</a></li>" for i, t in enumerate(RELATED))
    article = clean_html(_page(inside=related + "</ul>"), "https://example.com/news/bridge-vote")
    assert article.paragraphs == tuple(STORY)
    assert not any(headline in article.text for headline in RELATED)


def test_a_lead_the_template_marks_opens_the_story():
    marked = f"<h2 data-slot='sapo'>{LEAD}</h2>"
    article = clean_html(_page(before=marked), "https://example.com/news/bridge")
    assert article.paragraphs == (LEAD, *STORY)


def test_an_unmarked_box_before_the_body_is_not_read_as_a_lead():
    byline = (
        "<div>By Anna Tran, city reporter, on Tuesday 14 May 2026 at 10:42 AM. Updated 11:05</div>"
    )
    article = clean_html(_page(before=byline), "https://example.com/news/bridge")
    assert article.paragraphs == tuple(STORY)


def test_code_keeps_its_lines():
    code = "<pre>def toll(cars):\n    return cars * 2\n\nprint(toll(3))</pre>"
    article = clean_html(_page(inside=code), "https://example.com/news/bridge-tolls")
    assert "def toll(cars):" in article.paragraphs
    assert "return cars * 2" in article.paragraphs
    assert "return cars * 2" in (_root_texts(_page(inside=code)) or [])


def test_a_story_laid_out_in_a_table_is_read_as_paragraphs():
    halves = (STORY[:3], STORY[3:])
    cells = "".join(
        "<tr><td>" + "".join(f"<p>{t}</p>" for t in half) + "</td></tr>" for half in halves
    )
    page = f"<html><body><nav>x</nav><div class='main'><table>{cells}</table></div></body></html>"
    article = clean_html(page, "https://example.com/news/council-votes-to-rebuild-bridge")
    assert article.paragraphs == tuple(STORY)
    assert _root_texts(page) == STORY


def test_a_root_wrapped_in_a_page_form_or_named_after_captions_is_read():
    paragraphs = "".join(f"<p>{text}</p>" for text in STORY)
    for wrapper in (
        "<form id='aspnetForm'><div>{}</div></form>",
        "<div class='lightbox-captions'>{}</div>",
    ):
        page = "<html><body><nav>x</nav>" + wrapper.format(paragraphs) + "</body></html>"
        article = clean_html(page, "https://example.com/news/council-votes-to-rebuild-bridge")
        assert article.paragraphs == tuple(STORY)
        assert _root_texts(page) == STORY


def test_story_paragraphs_one_to_a_wrapper_are_all_kept():
    wrapped = "".join(f"<div class='block'><p>{text}</p></div>" for text in STORY)
    box = "<div class='box'>" + "".join(f"<p>{text}</p>" for text in STORY[:3]) + "</div>"
    page = f"<html><body><div class='main'>{wrapped}</div>{box}</body></html>"
    article = clean_html(page, "https://example.com/news/council-votes-to-rebuild-bridge")
    assert all(text in article.paragraphs for text in STORY)
    assert _root_texts(page) is None  # the root is the box: the page is weighed whole


def test_a_page_without_a_story_in_paragraphs_is_left_to_the_extraction():
    short = LexborHTMLParser("<html><body><div><p>" + STORY[0] + "</p></div></body></html>")
    assert short.body is not None
    assert read_root(short.body, set()) is None
    spread = LexborHTMLParser("<html><body>" + "".join(f"<p>{t}</p>" for t in STORY) + "</body>")
    assert spread.body is not None
    assert read_root(spread.body, set()) is None  # no element but the body holds the story
    whole = LexborHTMLParser(_page())
    assert whole.body is not None
    blocks = read_root(whole.body, set())
    assert blocks is not None
    assert [block.text for block in blocks][-len(STORY) :] == STORY


def test_a_table_printed_in_a_figure_is_read_and_its_caption_is_not():
    table = (
        "<figure class='wp-block-table'><table><tbody><tr><td>2028</td><td>90 million</td></tr>"
        "</tbody></table><figcaption>Source: city budget office</figcaption></figure>"
    )
    article = clean_html(_page(inside=table), "https://example.com/news/council-bridge-budget")
    assert "| 2028 | 90 million |" in article.paragraphs
    assert "Source: city budget office" not in article.text


def test_a_related_story_box_set_inside_the_body_is_not_read():
    box = (
        "<div type='RelatedOneNews' class='SortableBox'><a href='/n1'>"
        f"{RELATED[0]}</a><p class='ObjectBoxRelatedNewsItemSapo'>The plan adds two hundred "
        "teachers and repairs older buildings by 2027, the council said on Monday.</p></div>"
    )
    page = _page(inside=box)
    article = clean_html(page, "https://example.com/news/council-votes-to-rebuild-bridge")
    assert article.paragraphs == tuple(STORY)
    assert _root_texts(page) is not None
    assert RELATED[0] not in (_root_texts(page) or [])


def test_a_list_of_see_also_links_inside_the_body_is_not_read():
    items = "".join(
        f"<li><span>See also</span> <a href='/n{i}'>{t}</a></li>" for i, t in enumerate(RELATED)
    )
    page = _page(inside=f"<ul class='x'>{items}</ul>")
    article = clean_html(page, "https://example.com/news/council-votes-to-rebuild-bridge")
    assert article.paragraphs == tuple(STORY)
    assert not any(text in (_root_texts(page) or []) for text in RELATED)
