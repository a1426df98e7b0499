"""Listing pages in HTML: a section page of teaser cards or a shop's grid gives an empty body with
the listing note; an article keeps its story, even with a grid of related news below it."""

import json

from cleaners import clean_html
from cleaners.html_front import parse_html
from cleaners.html_listing import is_listing_page, listing_score, read_shape
from cleaners.pipeline import LISTING_NOTE
from cleaners.reasons import Reason

TEASERS = [
    (
        "Council approves new school budget after long debate",
        "The plan adds two hundred teachers and repairs older buildings by 2027. Opponents "
        "wanted the money spent on roads and say they will raise it again next year.",
    ),
    (
        "Flood defences along the river to be raised next spring",
        "Engineers say the work will take two years and close one bridge for months. Shops "
        "near the quay fear a quiet summer while the barriers go up along the water.",
    ),
    (
        "Library in the east of the city finally gets a date",
        "The building has waited for a replacement since the old one closed in 2015. The new "
        "one will open in the autumn with a reading room and a children's floor.",
    ),
    (
        "Bus fares frozen for a third year as ridership recovers",
        "Operators expect the number of passengers to pass its old peak by the summer. The "
        "city will pay the difference from the parking charges it raised in March.",
    ),
    (
        "Hospital opens a new wing for children and their parents",
        "Families will be able to stay overnight in forty new rooms beside the wards. Nurses "
        "say the change will make long stays far easier for the youngest patients.",
    ),
    (
        "Farmers' market moves to the old station square in May",
        "Stallholders welcomed the move, which doubles the space they can rent. The square "
        "will be closed to cars on Saturdays from seven in the morning until three.",
    ),
    (
        "Night trains return to the coast after a decade away",
        "The first service leaves on Friday and tickets sold out within an hour. Two more "
        "trains a week will follow in June if the first month goes as planned.",
    ),
    (
        "University plans a science park on the former airfield",
        "The site will hold laboratories, offices and housing for three thousand. Work on the "
        "first buildings could start next year once the plans have been approved.",
    ),
]

STORY = [
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
]


def cards(teasers: list[tuple[str, str]], section: str = "local") -> str:
    """Teaser cards as news templates print them: linked headline, summary, timestamp."""
    return "".join(
        f'<div class="card"><h3><a href="/{section}/{i}-{"-".join(title.lower().split()[:5])}">'
        f'{title}</a></h3><p>{summary}</p><time datetime="2024-05-0{i % 9 + 1}">May {i % 9 + 1}'
        "</time></div>"
        for i, (title, summary) in enumerate(teasers)
    )


def section_page() -> str:
    return (
        "<html><head><title>Local news | The Daily Example</title>"
        '<meta property="og:type" content="website"></head><body>'
        '<nav><a href="/">Home</a> <a href="/local/">Local</a> <a href="/sport/">Sport</a></nav>'
        f'<main><h1>Local news</h1><div class="grid">{cards(TEASERS)}</div>'
        '<div class="pagination"><a href="?page=2" rel="next">Next</a>'
        '<a href="?page=2">2</a><a href="?page=3">3</a></div>'
        "<button>Load more</button></main></body></html>"
    )


def article_page() -> str:
    metadata = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Council approves new school budget after a long and bitter debate",
        "datePublished": "2024-05-07T09:00:00+02:00",
    }
    paragraphs = "".join(f"<p>{s}</p>" for s in STORY)
    return (
        "<html><head><title>Council approves new school budget</title>"
        '<meta property="og:type" content="article">'
        f'<script type="application/ld+json">{json.dumps(metadata)}</script></head><body>'
        '<nav><a href="/">Home</a> <a href="/local/">Local</a></nav>'
        "<article><h1>Council approves new school budget after a long and bitter debate</h1>"
        f'<div class="article-body">{paragraphs}</div></article>'
        f'<section class="more-news"><h2>More local news</h2>{cards(TEASERS[1:])}</section>'
        "</body></html>"
    )


SECTION_URL = "https://news.example.com/local/"
ARTICLE_URL = "https://news.example.com/local/2024/05/07/council-approves-new-school-budget"


def test_a_section_page_of_teaser_cards_gives_an_empty_body_with_the_listing_note() -> None:
    article = clean_html(section_page(), SECTION_URL)
    assert article.text == ""
    assert article.paragraphs == ()
    assert LISTING_NOTE in article.notes
    removed_as_listing = [r.text for r in article.removed if r.reason == Reason.LISTING]
    assert any(TEASERS[0][0] in text for text in removed_as_listing)


def test_an_article_with_a_grid_of_related_news_keeps_its_story() -> None:
    article = clean_html(article_page(), ARTICLE_URL)
    assert LISTING_NOTE not in article.notes
    assert all(sentence in article.text for sentence in STORY)


def test_an_article_keeps_its_story_without_a_url() -> None:
    article = clean_html(article_page())
    assert LISTING_NOTE not in article.notes
    assert STORY[0] in article.text


def test_a_shop_collection_with_filters_and_prices_gives_an_empty_body() -> None:
    products = "".join(
        f'<li class="product"><a href="/p/{i}"><img src="/i/{i}.jpg" alt="">'
        f"<span>Canvas sneaker model {i} in white and grey</span></a>"
        f'<span class="price">${40 + i}.00</span><button>Add to cart</button></li>'
        for i in range(12)
    )
    html = (
        '<html><head><title>Sneakers</title><meta property="og:type" content="product.group">'
        "</head><body><h1>Sneakers</h1>"
        '<aside class="filters"><div class="filter">Size</div><div class="filter">Colour</div>'
        '<div class="filter">Price</div></aside><p>Sort by: Featured</p><p>124 products</p>'
        f'<ul class="products">{products}</ul>'
        "<p>Our sneakers are made from organic canvas and natural rubber, and every pair is "
        "stitched by hand in a small workshop that we visit twice a year.</p></body></html>"
    )
    article = clean_html(html, "https://shop.example.com/collections/sneakers")
    assert article.text == ""
    assert LISTING_NOTE in article.notes


def test_the_verdict_weighs_the_page_not_one_signal() -> None:
    tree, _ = parse_html(section_page())
    listing = read_shape(tree, SECTION_URL)
    tree, _ = parse_html(article_page())
    story = read_shape(tree, ARTICLE_URL)
    assert listing.controls >= 2 and listing.card_share > 0.5 and not listing.article_typed
    assert story.article_typed and story.headline_words >= 8 and story.url_has_id
    teasers = [summary for _, summary in TEASERS]
    assert is_listing_page(listing, story_words=0, body=teasers)
    assert not is_listing_page(story, story_words=0, body=STORY)
    # a long run of story paragraphs is a story, whatever the rest of the page shows
    assert not is_listing_page(listing, story_words=listing.page_words * 10 + 1500, body=teasers)


def test_a_kept_body_of_running_sentences_weighs_against_a_listing() -> None:
    tree, _ = parse_html(section_page())
    shape = read_shape(tree, SECTION_URL)
    names = [title for title, _ in TEASERS]
    assert listing_score(shape, 0, STORY) < listing_score(shape, 0, names)


def test_a_malformed_url_is_no_evidence_and_fails_nothing() -> None:
    article = clean_html(article_page(), "http://[::1/")
    assert not any(note.startswith("cleaning failed") for note in article.notes)
    assert STORY[0] in article.text


def test_og_type_article_without_a_publication_time_does_not_make_a_section_page_a_story() -> None:
    html = section_page().replace('content="website"', 'content="article"')
    tree, _ = parse_html(html)
    assert not read_shape(tree, SECTION_URL).article_typed
    assert clean_html(html, SECTION_URL).text == ""
    published = '<meta property="article:published_time" content="2024-05-07T09:00:00Z">'
    tree, _ = parse_html(html.replace("</head>", f"{published}</head>"))
    assert read_shape(tree, SECTION_URL).article_typed


# A shop's category page: a grid of products, each a linked name, a line of specifications and a
# rating. Its headline and address are a few words, as a guide's could be; what the block rules
# keep of it has no sentence in it.
PRODUCTS = [
    ("Cordless drill driver DX18", "18 V, brushless, two batteries, 13 mm chuck"),
    ("Compact drill driver CX12", "12 V, compact, one battery, belt clip"),
    ("Combi drill kit KX18", "18 V, 2 speeds, LED light, case"),
    ("Corded drill PD710", "Corded, 710 W, 10 mm chuck, side handle"),
    ("Hammer drill HX18 kit", "18 V, hammer action, three batteries, charger"),
    ("Mini drill driver MX12", "12 V, body only, 6 torque settings"),
    ("Angle drill AX18", "18 V, right-angle head, one battery"),
    ("Corded drill PD550", "Corded, 550 W, variable speed, keyless chuck"),
]
GUIDE = [
    "A cordless drill is the first power tool most people buy, and for good reason: it drills "
    "holes and drives screws in wood, metal and masonry.",
    "Choose the voltage by the work you do. A 12-volt drill is light and fits in tight spaces, "
    "while an 18-volt model has the torque for long screws.",
    "Brushless motors cost more but run cooler and longer on a charge, which matters most when "
    "you work all day away from a socket.",
    "Look at the chuck too. A keyless chuck of 13 millimetres takes almost every bit you will "
    "need around the house and the garden.",
    "Finally, buy two batteries. One charges while the other works, and the second battery "
    "often costs less in a kit than on its own.",
]
SHOP_URL = "https://shop.example.com/tools/cordless-drills"


def shop_page(story: list[str], action: str = "") -> str:
    """The category page, with `story` paragraphs above its product grid and an `action` button
    under each product."""
    button = f'<button type="button">{action}</button>' if action else ""
    grid = "".join(
        f'<div class="product"><h3><a href="/p/{i}">{name}</a></h3><p>{specs}</p>'
        f"<p>Rated {4 + i % 2}.{i} by {20 + 3 * i} customers</p>{button}</div>"
        for i, (name, specs) in enumerate(PRODUCTS)
    )
    paragraphs = "".join(f"<p>{text}</p>" for text in story)
    return (
        "<html><head><title>Cordless drills | Example Hardware</title></head><body>"
        '<nav><a href="/">Home</a> <a href="/tools/">Tools</a> <a href="/garden/">Garden</a></nav>'
        f'<main><h1>Cordless drills and drivers</h1>{paragraphs}<div class="grid">{grid}</div>'
        "</main><footer><p>Example Hardware, 1 Main Street</p></footer></body></html>"
    )


def test_a_category_page_whose_kept_body_has_no_sentence_gives_an_empty_body() -> None:
    article = clean_html(shop_page([]), SHOP_URL)
    assert article.text == ""
    assert article.notes[0].startswith("listing page")
    removed_as_listing = [r.text for r in article.removed if r.reason == Reason.LISTING]
    assert any(PRODUCTS[0][1] in text for text in removed_as_listing)


def test_a_guide_above_the_same_product_grid_keeps_its_story() -> None:
    article = clean_html(shop_page(GUIDE), SHOP_URL)
    assert not any(note.startswith("listing page") for note in article.notes)
    assert all(sentence in article.text for sentence in GUIDE)


def test_add_to_cart_under_each_product_makes_a_collection_with_an_introduction_a_listing() -> None:
    introduction = GUIDE[:2]
    article = clean_html(shop_page(introduction, "Add to cart"), SHOP_URL)
    assert article.text == ""
    assert article.notes[0].startswith("listing page")
    # the same introduction above a plain list of products is read as a short guide
    assert all(text in clean_html(shop_page(introduction), SHOP_URL).text for text in introduction)


def test_shop_actions_are_whole_short_labels() -> None:
    tree, _ = parse_html(shop_page([], "Add to cart"))
    assert read_shape(tree, SHOP_URL).shop_actions == len(PRODUCTS)
    tree, _ = parse_html(shop_page([], "Add to cart and get free delivery on your first order"))
    assert read_shape(tree, SHOP_URL).shop_actions == 0
