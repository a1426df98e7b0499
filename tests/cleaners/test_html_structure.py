"""The HTML front's structural decisions, shown on small constructed pages.

Inside the story a class name or a tag is weak evidence: a box between the story's paragraphs, or
a container that holds them, stays. Outside it the same signals remove furniture as before.
"""

from cleaners import clean_html
from cleaners.model import Block
from cleaners.story_fill import fill_story

SENTENCES = [
    "The city council approved the new budget on Tuesday after a long debate about schools, "
    "which went on late into the evening.",
    "Officials said the plan would add two hundred teachers and repair older buildings by 2027, "
    "starting with the primary schools in the north.",
    "Opponents argued that the money should have gone to roads and public transport instead, "
    "and they promised to raise the question again next year.",
    "The mayor said the vote showed that the council could still agree on the big questions, "
    "even in a year of bitter arguments over housing.",
    "A final reading is expected next month, when the council will also set the tax rates "
    "that households will pay from the spring.",
    "Residents who spoke at the hearing were divided, with parents mostly in favour of it and "
    "shop owners mostly against the higher business rates.",
    "The budget also sets aside money for a new library in the east of the city, which has "
    "waited for one since the old building closed in 2015.",
    "Council members will meet again on the first Monday of next month to discuss the details "
    "of the library and of the school repairs.",
]


def story(sentences: list[str] = SENTENCES) -> str:
    return "".join(f"<p>{s}</p>" for s in sentences)


def page(body: str) -> str:
    return f"<html><head><title>Budget</title></head><body>{body}</body></html>"


def kept(article) -> str:
    return article.text


def test_a_menu_class_on_the_container_of_the_story_does_not_remove_the_story():
    html = page(f'<nav><a href="/">Home</a></nav><div class="menu-content">{story()}</div>')
    article = clean_html(html)
    assert all(s in kept(article) for s in SENTENCES)


def test_a_note_box_between_story_paragraphs_is_kept_but_a_sidebar_after_it_is_not():
    note = (
        "A note on the numbers: the figures in this story come from the draft budget "
        "published by the city on Monday and may change before the final reading."
    )
    sidebar = (
        "Our newsletter brings you the best local stories every morning before breakfast, "
        "and it is free for every reader who signs up on our website today."
    )
    body = (
        f"<article>{story(SENTENCES[:4])}<aside><p>{note}</p></aside>{story(SENTENCES[4:])}"
        f"</article><aside class='sidebar'><p>{sidebar}</p></aside>"
    )
    article = clean_html(page(body))
    assert note in kept(article)
    assert sidebar not in kept(article)
    assert all(s in kept(article) for s in SENTENCES)


def test_hidden_microdata_copy_of_the_story_is_removed_as_hidden():
    copy = (
        '<div style="display:none" itemscope itemtype="http://schema.org/NewsArticle">'
        f'<h1 itemprop="headline">Budget</h1><div itemprop="articleBody">{story()}</div>'
        '<div itemprop="publisher">ExampleNewsDe</div></div>'
    )
    article = clean_html(page(f"<article><h1>Budget</h1>{story()}</article>{copy}"))
    assert all(article.text.count(s) == 1 for s in SENTENCES)
    assert "ExampleNewsDe" not in article.text
    assert "hidden" in [r.reason for r in article.removed]


def test_story_paragraphs_the_extraction_missed_are_merged_in_page_order():
    lines = [" ".join(f"w{n}x{k}" for k in range(30)) for n in range(12)]
    extracted = [Block(lines[0]), Block("Subscribe to our newsletter"), Block(lines[5])]
    merged = [b.text for b in fill_story(extracted, lines)]
    assert merged == [lines[0], *lines[1:5], "Subscribe to our newsletter", lines[5], *lines[6:]]


def test_an_extraction_that_covers_the_story_is_left_alone():
    lines = [" ".join(f"w{n}x{k}" for k in range(30)) for n in range(6)]
    extracted = [Block(line) for line in lines[:-1]]
    assert fill_story(extracted, lines) == extracted
