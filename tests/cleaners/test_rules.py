"""The block rules through `clean_text`: what users see kept and removed, and why."""

import unicodedata

from cleaners import clean_text

ENGLISH = [
    "HCM CITY — The city's exports rose 12 per cent in the first nine months of the year, "
    "according to the municipal statistics office.",
    "Officials said the growth was driven by electronics, textiles and seafood, while imports of "
    "machinery also increased as factories expanded their capacity.",
    "The city expects the trend to continue through the end of the year, they added.",
]


def _reasons(article):
    return {removal.text: removal.reason for removal in article.removed}


def test_vietnamese_junk_heading_and_its_headlines_are_removed_and_reported():
    junk = ["Tin liên quan", "Giá vàng hôm nay tăng mạnh", "Xuất khẩu gạo đạt kỷ lục mới"]
    article = clean_text("\n".join(ENGLISH + junk))
    assert list(article.paragraphs) == ENGLISH
    reasons = _reasons(article)
    assert reasons["Tin liên quan"] == "junk_heading"
    assert reasons["Giá vàng hôm nay tăng mạnh"] == "related_list"
    assert article.dateline == "HCM CITY"


def test_english_junk_heading_removes_the_headline_run_but_not_a_story_paragraph_after_it():
    lines = [
        ENGLISH[0],
        "Related news",
        "Vietnam's GDP grows 7 percent in third quarter",
        "Hanoi opens new metro line to the public",
        ENGLISH[1],
    ]
    article = clean_text("\n".join(lines))
    assert list(article.paragraphs) == [ENGLISH[0], ENGLISH[1]]
    assert _reasons(article)["Hanoi opens new metro line to the public"] == "related_list"


def test_vietnamese_paragraph_inside_the_story_is_removed_as_non_english():
    vietnamese = (
        "Thành phố dự kiến xuất khẩu sẽ tiếp tục tăng trưởng mạnh trong những tháng cuối năm."
    )
    article = clean_text("\n".join([ENGLISH[0], vietnamese, ENGLISH[1]]))
    assert list(article.paragraphs) == [ENGLISH[0], ENGLISH[1]]
    assert _reasons(article)[vietnamese] == "non_english"


def test_english_furniture_lines_are_removed_with_their_reason():
    furniture = {
        "Photo: VnExpress/Giang Huy": "caption",
        "By Nguyen Van Minh": "byline",
        "Read more: Vietnam's exports hit record high": "read_more",
        "English | Tiếng Việt": "language_switch",
        "Thứ Hai, 15/9/2025 08:31 (GMT+7)": "date_line",
        "Updated at 1:23 p.m.": "post_meta",
    }
    article = clean_text("\n".join([*furniture, *ENGLISH]))
    assert list(article.paragraphs) == ENGLISH
    reasons = _reasons(article)
    for line, reason in furniture.items():
        assert reasons[line] == reason, line


def test_a_vietnamese_only_text_has_no_english_body_but_says_why():
    text = "Giá vàng hôm nay tăng mạnh.\nNgân hàng Nhà nước công bố tỷ giá trung tâm mới."
    article = clean_text(text)
    assert article.text == ""
    assert article.paragraphs == ()
    assert article.language == "vi"
    assert any("vi" in note for note in article.notes)


def test_keeping_the_page_language_keeps_a_vietnamese_body():
    text = (
        "Giá vàng hôm nay tăng mạnh theo đà tăng của thị trường thế giới trong phiên sáng nay.\n"
        "Ngân hàng Nhà nước công bố tỷ giá trung tâm của đồng Việt Nam với USD ở mức mới."
    )
    article = clean_text(text, language=None)
    assert article.language == "vi"
    assert len(article.paragraphs) == 2


def test_a_listing_of_headlines_is_not_an_article():
    headlines = [
        "Vietnam's GDP Grows 7 Percent in Third Quarter",
        "Hanoi Opens New Metro Line to the Public",
        "Typhoon Yagi Leaves Trail of Damage in the North",
        "Central Bank Keeps Interest Rates Unchanged",
        "Rice Exports Hit Record High in September",
        "New Airport Terminal Opens in Da Nang",
    ]
    article = clean_text("\n".join(headlines))
    assert article.text == ""
    assert {r.reason for r in article.removed} == {"listing"}
    assert any("listing" in note for note in article.notes)


def test_decomposed_input_is_cleaned_like_composed_input():
    text = "\n".join([*ENGLISH, "Ý kiến bạn đọc", "Những tin mới hơn", "Giá vàng tăng mạnh"])
    composed = clean_text(text)
    decomposed = clean_text(unicodedata.normalize("NFD", text))
    assert decomposed.to_dict() == composed.to_dict()
    assert list(decomposed.paragraphs) == ENGLISH


def test_removed_blocks_are_reported_in_page_order():
    lines = ["Photo: VNA", ENGLISH[0], "Ý kiến bạn đọc", "Giá vàng tăng mạnh"]
    article = clean_text("\n".join(lines))
    assert [r.text for r in article.removed] == [
        "Photo: VNA",
        "Ý kiến bạn đọc",
        "Giá vàng tăng mạnh",
    ]
