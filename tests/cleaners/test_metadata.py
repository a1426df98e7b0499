"""Page metadata: headline, date and its source, authors, canonical URL, language."""

import gzip
import json
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from cleaners.metadata import PageMetadata, extract_metadata

FIXTURES = Path(__file__).parents[2] / "fixtures" / "metadata"
GOLDEN = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


def meta(html: str, url: str | None = None, **kwargs: str | None) -> PageMetadata:
    return extract_metadata(LexborHTMLParser(html), url, **kwargs)


@pytest.mark.parametrize("site", sorted(GOLDEN))
def test_real_vietnamese_pages(site: str) -> None:
    expected = GOLDEN[site]
    html = gzip.decompress((FIXTURES / expected["file"]).read_bytes()).decode("utf-8")
    found = extract_metadata(LexborHTMLParser(html), expected["url"])
    assert found.title == expected["title"]
    assert found.date == expected["date"]
    assert found.date_source == expected["date_source"]
    assert list(found.authors) == expected["authors"]
    assert found.canonical_url == expected["url"]
    assert found.html_lang == "vi"


@pytest.mark.parametrize("site", sorted(GOLDEN))
def test_real_pages_agree_with_the_source_data_set(site: str) -> None:
    """The golden values match the hand-kept expected.json of vn-pages, to the minute."""
    expected = GOLDEN[site]
    source = expected["source_published_at"]
    if source[2] == "/":  # baodautu.vn: "07/03/2026 08:47 (…; Vietnam time)"
        source = f"{source[6:10]}-{source[3:5]}-{source[:2]}T{source[11:16]}"
    assert expected["date"][:16] == source[:16].replace(" ", "T")
    if expected["source_title"] is not None:
        assert expected["title"] == expected["source_title"]


def test_headline_over_site_name() -> None:
    page = """<html lang="en"><head><title>Vietnam wins gold - VnExpress International</title>
    <meta property="og:site_name" content="VnExpress International"></head>
    <body><h1 class="logo">VnExpress</h1></body></html>"""
    found = meta(page, "https://e.vnexpress.net/news/sports/vietnam-wins-gold-4900000.html")
    assert found.title == "Vietnam wins gold"
    assert found.site_name == "VnExpress International"


def test_title_bar_suffix_is_dropped_without_a_known_site_name() -> None:
    found = meta("<title>Rice exports rise to a record in September | Tuoi Tre News</title>")
    assert found.title == "Rice exports rise to a record in September"


def test_headline_that_names_the_site_is_kept() -> None:
    page = """<title>The Guardian view on Hong Kong | Editorial | The Guardian</title>
    <meta property="og:site_name" content="the Guardian">
    <meta property="og:title" content="The Guardian view on Hong Kong | Editorial">
    <h1>The Guardian view on Hong Kong</h1>"""
    assert meta(page).title == "The Guardian view on Hong Kong"


def test_visible_h1_is_preferred_when_the_metadata_agrees() -> None:
    page = """<meta property="og:title" content="Hanoi opens new metro line to the public">
    <h1>Hanoi opens its new metro line to the public on Monday</h1>"""
    assert meta(page).title == "Hanoi opens its new metro line to the public on Monday"


def test_date_priority_jsonld_then_meta() -> None:
    page = """<script type="application/ld+json">
    {"@type": "NewsArticle", "headline": "H", "datePublished": "2025-09-15T08:31:00+07:00"}
    </script><meta property="article:published_time" content="2025-09-14T10:00:00+07:00">"""
    found = meta(page)
    assert (found.date, found.date_source) == ("2025-09-15T08:31:00+07:00", "jsonld")


def test_a_later_source_adds_the_time_to_a_bare_day() -> None:
    page = """<script type="application/ld+json">{"@type": "NewsArticle",
    "datePublished": "2025-09-15"}</script>
    <div><h1>Headline</h1><span class="date">Thứ Hai, 15/9/2025 08:31 (GMT+7)</span></div>"""
    found = meta(page)
    assert (found.date, found.date_source) == ("2025-09-15T08:31:00+07:00", "text")


def test_broken_jsonld_still_gives_its_date() -> None:
    page = """<script type="application/ld+json">{"@type": "NewsArticle",
    "headline": "Broken", "datePublished": "2025-09-15T08:31:00+07:00",,, }}</script>"""
    found = meta(page)
    assert (found.date, found.date_source) == ("2025-09-15T08:31:00+07:00", "jsonld")
    assert found.title == "Broken"


def test_time_element_and_naive_offset() -> None:
    page = '<article><h1>H</h1><time datetime="2025-09-15 08:31">15/9</time></article>'
    assert meta(page).date == "2025-09-15T08:31:00+07:00"
    assert meta(page).date_source == "time"
    assert meta(page, default_offset="-05:00").date == "2025-09-15T08:31:00-05:00"
    assert meta(page, default_offset=None).date == "2025-09-15"


def test_us_page_reads_numeric_dates_month_first() -> None:
    page = '<html lang="en-US"><div><h1>H</h1><p class="byline-date">03/07/2026</p></div></html>'
    assert meta(page).date == "2026-03-07"
    vietnamese = '<html lang="vi"><div><h1>H</h1><p class="date">03/07/2026</p></div></html>'
    assert meta(vietnamese).date == "2026-07-03"


def test_site_clock_in_the_header_is_not_the_date() -> None:
    page = """<header><div class="date_top">Thứ Bảy, Ngày 07 tháng 03 năm 2026</div></header>
    <main><section><h1>Headline</h1></section></main>"""
    found = meta(page, "https://example.vn/news/2026/03/05/headline")
    assert (found.date, found.date_source) == ("2026-03-05", "url")


def test_url_day_before_a_utc_instant_is_the_sites_local_day() -> None:
    page = '<meta property="article:published_time" content="2025-12-19T02:41:41+00:00"><h1>H</h1>'
    found = meta(page, "https://blog.example.com/2025/12/18/headline/")
    assert (found.date, found.date_source) == ("2025-12-18", "url")
    # the same day in the URL, or a declared time with its own offset: the declaration stands
    same = meta(page, "https://blog.example.com/2025/12/19/headline/")
    assert (same.date, same.date_source) == ("2025-12-19T02:41:41+00:00", "meta")
    local = page.replace("+00:00", "-05:00")
    found = meta(local, "https://blog.example.com/2025/12/18/headline/")
    assert found.date == "2025-12-19T02:41:41-05:00"


def test_authors_without_site_names_or_prefixes() -> None:
    page = """<meta name="author" content="VnExpress">
    <script type="application/ld+json">{"@type": "NewsArticle", "author": [
      {"@type": "Person", "name": "By Nguyen Quy"}, {"@type": "Organization", "name": "VnExpress"},
      {"@type": "Person", "name": ""}, {"@type": "Person", "name": "nguyen quy"},
      {"@type": "Person", "name": "Minh Nga, VnExpress"}]}</script>"""
    found = meta(page, "https://e.vnexpress.net/news/x-1.html")
    assert found.authors == ("Nguyen Quy", "Minh Nga")


def test_authors_without_job_titles_or_wire_services() -> None:
    page = """<script type="application/ld+json">{"@type": "NewsArticle", "author": [
      {"@type": "Person", "name": "TOM KRISHER, AP Auto Writer"},
      {"@type": "Person", "name": "Jane Doe, Staff Reporter"},
      {"@type": "Person", "name": "Smith, John"},
      {"@type": "Person", "name": "Analysis by Chris Cillizza"},
      {"@type": "Person", "name": "Kevin Johnson and Kevin McCoy"},
      {"@type": "Person", "name": "publisher of The Space Review"},
      {"@type": "Person", "name": "Ludwig van Beethoven"}]}</script>"""
    assert meta(page).authors == (
        "TOM KRISHER",
        "Jane Doe",
        "Smith, John",
        "Chris Cillizza",
        "Kevin Johnson",
        "Kevin McCoy",
        "Ludwig van Beethoven",
    )


def test_meta_author_list() -> None:
    page = """<meta name="author" content="TUOI TRE ONLINE">
    <meta property="og:site_name" content="TUOI TRE ONLINE">
    <meta name="dable:author" content="NHẬT XUÂN;NGHI VŨ">"""
    assert meta(page).authors == ("NHẬT XUÂN", "NGHI VŨ")


def test_canonical_and_language() -> None:
    page = '<html lang="en"><link rel="canonical" href="/news/a-1.html"></html>'
    found = meta(page, "https://vietnamnews.vn/politics/a-1.html?utm_source=x")
    assert found.canonical_url == "https://vietnamnews.vn/news/a-1.html"
    assert found.html_lang == "en"


def test_tree_is_not_modified() -> None:
    page = gzip.decompress((FIXTURES / "tuoitre_article.html.gz").read_bytes()).decode("utf-8")
    tree = LexborHTMLParser(page)
    before = tree.html
    extract_metadata(tree, "https://tuoitre.vn/x.htm")
    assert tree.html == before


@pytest.mark.parametrize(
    "page",
    [
        "",
        "\x00\x01\x02",
        "<html><head><title></title></head></html>",
        '<script type="application/ld+json">[[[[[[[[[[[[</script>',
        '<script type="application/ld+json">{"@graph": [1, "x", null, {"@type": 5}]}</script>',
        '<script type="application/ld+json">{"datePublished": {"x": 1}, "author": 7}</script>',
        '<meta property="article:published_time" content="2025-02-31T10:00:00">',
        "<h1>" + "word " * 100_000 + "</h1>",
    ],
)
def test_odd_pages_give_metadata_not_errors(page: str) -> None:
    found = meta(page, "not a url")
    assert isinstance(found, PageMetadata)
    assert found.date is None


_SENTENCE = "The ministry said on Monday that rice exports rose by a tenth this year. "
_STORY = f"<p>{_SENTENCE * 3}</p>"


def test_a_date_printed_under_the_headline_is_the_date_when_nothing_declares_one() -> None:
    page = f"""<html lang="en"><body><nav>Home News Business</nav><article>
    <h1>Rice exports rise</h1><div class="meta">By Jane Doe | Saturday - July 27, 2024 20:02</div>
    {_STORY}</article></body></html>"""
    found = meta(page, "https://example.com/news/rice-exports", default_offset=None)
    assert (found.date, found.date_source) == ("2024-07-27", "text")
    # a Vietnamese site's naive time is Vietnam's
    vietnamese = page.replace('lang="en"', 'lang="vi"').replace(
        "Saturday - July 27, 2024 20:02", "Thứ Bảy, 27/7/2024, 20:02 (GMT+7)"
    )
    assert meta(vietnamese).date == "2024-07-27T20:02:00+07:00"


def test_a_date_printed_just_above_the_headline_counts_too() -> None:
    page = f"""<body><div class="kicker">Nutrition March 1, 2024</div><h1>Healthy eating</h1>
    {_STORY}</body>"""
    assert meta(page, default_offset=None).date == "2024-03-01"


def test_an_updated_date_does_not_replace_the_declared_publication() -> None:
    page = f"""<script type="application/ld+json">{{"@type": "Article",
    "datePublished": "2024-10-15T18:50:03+00:00", "dateModified": "2025-06-18T16:35:02+00:00"}}
    </script><h1>Fitness machine review</h1><p>By Mirel Zaman Updated on June 18, 2025</p>
    {_STORY}"""
    found = meta(page)
    assert (found.date, found.date_source) == ("2024-10-15T18:50:03+00:00", "jsonld")


def test_a_date_labelled_published_beats_a_declared_one_days_away() -> None:
    page = f"""<script type="application/ld+json">{{"@type": "BlogPosting",
    "datePublished": "Aug 21, 2025", "dateModified": "Aug 20, 2025"}}</script>
    <h1>Top electrical companies</h1><p>By Claire Wilson, Published Apr 26, 2023 Updated Aug 21,
    2025</p>{_STORY}"""
    found = meta(page, default_offset=None)
    assert (found.date, found.date_source) == ("2023-04-26", "text")


def test_a_declared_date_that_is_only_the_last_export_gives_way_to_the_printed_one() -> None:
    page = f"""<script type="application/ld+json">{{"@type": "Article",
    "datePublished": "Nov 05, 2025", "dateModified": "Nov 05, 2025"}}</script>
    <h1>How much should I pay for cleaning?</h1><p>January 31, 2024</p>
    <p>Written By Miguel</p>{_STORY}"""
    assert meta(page, default_offset=None).date == "2024-01-31"
    # the same day in another time zone is the same moment: the declared one stays
    shifted = page.replace("January 31, 2024", "November 4, 2025")
    assert meta(shifted, default_offset=None).date == "2025-11-05"


def test_a_date_in_the_story_or_in_the_site_header_is_not_the_headers() -> None:
    page = f"""<body><header><div class="top-bar">Thứ Hai, 02/12/2026</div></header>
    <nav>Trang chủ Thời sự Kinh tế</nav><h1>Enrolment now open</h1>
    <p>The institute has begun enrolment. The enrolment period, which opened on Wednesday,
    December 17 2025, runs until January.</p>{_STORY}</body>"""
    assert meta(page).date is None


def test_a_date_labelled_today_is_not_the_date() -> None:
    page = f"<body><p>Today: December 2, 2026</p><h1>Headline</h1>{_STORY}</body>"
    assert meta(page).date is None


def test_htmldate_guesses_for_a_page_with_no_date_of_ours() -> None:
    from cleaners import clean_html
    from cleaners.metadata import guess_date

    story = "".join(f"<p>In week {n} {_SENTENCE * 2}</p>" for n in range(1, 6))
    page = f"""<html><body><h1>Old story</h1>{story}
    <div class="entry-footer"><span class="posted">Filed 4 August 2021</span></div>
    </body></html>"""
    assert meta(page).date is None
    assert guess_date(page) == "2021-08-04"
    article = clean_html(page, "https://example.com/old-story")
    assert (article.date, article.date_source) == ("2021-08-04", "text")
    # a copyright year is not a day
    assert guess_date(f"<body><h1>H</h1>{_STORY}<footer>© 2024 Example</footer></body>") is None
    assert guess_date("") is None
    # a page of headlines has no date of its own: no guess
    headlines = "".join(f"<p><a>Headline number {n}</a></p>" for n in range(40))
    listing = page.replace(story, headlines)
    assert clean_html(listing, "https://example.com/old-story").date is None


def test_the_site_clock_is_never_the_date() -> None:
    from cleaners import clean_html

    items = """Trang chủ, Thời sự, Kinh tế, Thế giới, Văn hóa, Thể thao, Giáo dục, Sức khỏe,
    Pháp luật, Công nghệ, Du lịch, Xe, Ý kiến, Bất động sản, Tâm sự, Thư giãn, Đời sống"""
    menu = "".join(f"<a>{item.strip()}</a>" for item in items.split(","))
    page = f"""<html lang="vi"><body><div class="date_top">Thứ Hai, 02/12/2026</div>
    <div class="menu-top">{menu}</div><h1>Headline</h1>{_STORY}</body></html>"""
    found = meta(page)
    assert found.date is None
    assert found.site_days == frozenset({"2026-12-02"})
    # the clock just above a short menu is not the headline's date either
    short = page.replace(menu, "<a>Trang chủ</a><a>Thời sự</a><a>Kinh tế</a>" * 2)
    assert meta(short).date is None
    # nor is it htmldate's guess, which would otherwise read it off the page
    assert clean_html(page, "https://example.vn/headline").date is None
    # an article's own header is not the site's
    article = f"""<article><header><h2>Headline</h2><p>Posted 3/11/2025</p></header>
    {_STORY}</article>"""
    assert meta(article).site_days == frozenset()


def test_htmldate_is_never_handed_a_url_to_download() -> None:
    """A page that reads like a URL stays text: no request leaves the library."""
    import http.server
    import threading

    from cleaners import clean_html
    from cleaners.metadata import guess_date

    requests: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"<html><body><time>2021-08-04</time></body></html>")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/2021/page"
        assert guess_date(url) is None
        clean_html(url, url)
        clean_html(url + "/" + "x" * 200_000 + " <p>" + "A sentence of the story. " * 40 + "</p>")
    finally:
        server.shutdown()
        server.server_close()
    assert requests == []
