"""Boilerplate vocabulary in one place, grouped by concept, with where each entry was seen.

Headings are compared after `heading_key`: NFC, case-folded, punctuation and counters stripped.
"""

from __future__ import annotations

import re

from cleaners.normalize import nfc

# Headings that open page furniture: what follows them is not the story.
JUNK_HEADINGS_VI = frozenset(
    {
        # readers' comments (seed 000; nld.com.vn "Bình luận (0)"; tuoitre.vn comment box)
        "ý kiến bạn đọc",
        "ý kiến",
        "bình luận",
        "gửi bình luận",
        "viết bình luận",
        "hiện chưa có bình luận nào hãy là người đầu tiên bình luận",
        "tối đa 1500 ký tự",
        # newer / older / related news lists (seed 000; vietnamnet, baochinhphu, vnexpress)
        "những tin mới hơn",
        "những tin cũ hơn",
        "tin mới hơn",
        "tin cũ hơn",
        "tin liên quan",
        "bài liên quan",
        "tin cùng chuyên mục",
        "tin khác",
        "các tin khác",
        "tin tức khác",
        "bài viết liên quan",
        "xem thêm",
        "có thể bạn quan tâm",
        "bạn có thể quan tâm",
        "đọc thêm",
        "tin nổi bật",
        "tin mới nhất",
        "tin mới",
        "mới nhất",
        # most read (dantri "Đọc nhiều", cafef "Nhịp sống thị trường" boxes)
        "đọc nhiều",
        "đọc nhiều nhất",
        "xem nhiều",
        "xem nhiều nhất",
        "tin xem nhiều",
        "tin đọc nhiều",
        "nổi bật",
        "tiêu điểm",
        "chủ đề",
        "từ khóa",
        "từ khoá",
        "thẻ",
        # share / follow / print
        "chia sẻ",
        "chia sẻ bài viết",
        "theo dõi",
        "in bài",
        "gửi bài",
        "tải ứng dụng",
        "đăng nhập",
        "đăng ký",
        # the same headings typed without diacritics (menus and ASCII-only templates)
        "y kien ban doc",
        "binh luan",
        "tin lien quan",
        "bai lien quan",
        "tin khac",
        "cac tin khac",
        "tin moi hon",
        "tin cu hon",
        "nhung tin moi hon",
        "nhung tin cu hon",
        "xem them",
        "doc them",
        "doc nhieu",
        "xem nhieu",
        "tin cung chuyen muc",
    }
)

JUNK_HEADINGS_EN = frozenset(
    {
        "related",
        "related news",
        "related articles",
        "related stories",
        "related posts",
        "related content",
        "related coverage",
        "related topics",
        "see also",
        "read more",
        "read also",
        "more news",
        "more stories",
        "more from",
        "latest news",
        "latest stories",
        "most read",
        "most popular",
        "most viewed",
        "trending",
        "trending now",
        "popular",
        "you may also like",
        "you might also like",
        "recommended",
        "recommended for you",
        "comments",
        "comment",
        "leave a comment",
        "leave a reply",
        "post a comment",
        "readers comments",
        "your comment",
        "share this article",
        "share this",
        "share",
        "tags",
        "topics",
        "newer news",
        "older news",
        "other news",
        "more on this story",
        "editors picks",
        "advertisement",
        # express.co.uk "DON'T MISS" boxes of linked headlines
        "don t miss",
        "dont miss",
        "must read",
        "tell us what you think",
    }
)

JUNK_HEADINGS = JUNK_HEADINGS_VI | JUNK_HEADINGS_EN

# Lines that are furniture on their own, wherever they stand (English outlets' chrome).
FURNITURE_LINE_PATTERNS = (
    # photo captions and credits standing alone: "Photo: VnExpress/Giang Huy", "(Photo: VNA)"
    re.compile(r"^\(?\s*(photo|image|file photo|picture|video|graphic|source)s?\s*(:|by\b)", re.I),
    re.compile(
        r"^\(?\s*(vna|vns|afp|reuters|ap|getty images|shutterstock)\s*(photo)?\s*\)?\.?$", re.I
    ),
    re.compile(r"^(ảnh|nguồn|video)\s*:", re.I),
    # source credits closing Vietnamese stories: "Theo VnExpress", "Theo TTXVN", "(Theo Dân trí)"
    re.compile(r"^\(?theo\s+[\w.]+(\s+[\w.]+)?\)?\.?$", re.I),
    # "See more", "Read more: …", "Read the full story"
    re.compile(r"^(see|read|view|watch|click)\s+(more|also|the full|full)\b.{0,120}$", re.I),
    re.compile(r"^(xem|đọc)\s+(thêm|tiếp|chi tiết)\b.{0,120}$", re.I),
    # language switchers: "English | Tiếng Việt", "Tiếng Việt"
    re.compile(r"^(english\s*[|/·-]\s*)?tiếng việt(\s*[|/·-]\s*english)?$", re.I),
    # cross-promotion lines: "Also on rt.com …", "Read also: …", "Related: …"
    re.compile(r"^(also on|also read|read also|related|recommended|more)\s*(:|\w+\.\w+\b)", re.I),
    # publication-time lines standing alone: "Updated at 1:23 p.m.", "Published: Nov 18, 2019"
    re.compile(r"^(last\s+)?(updated|published|posted|modified|cập nhật)\b.{0,60}$", re.I),
    # copyright lines: "© 2019 Inexhibit", "copyright Inexhibit 2019"
    re.compile(r"^(©|\(c\)|copyright\b|bản quyền\b)", re.I),
    # newsletter and app calls to action
    re.compile(r"^(sign up|subscribe|get)\b.{0,120}\b(newsletter|inbox|our app)\b.{0,80}$", re.I),
    re.compile(r"^like this (story|article)\b.{0,60}$", re.I),
    # WordPress shortcodes printed as text: "[button link=…]Send us YOUR review[/button]"
    # (the name taken whole: backing off it letter by letter made long lines quadratic)
    re.compile(r"^\[(\w++)[^\]]*\].*\[/\1\]$"),
    # calls to action: "… Click here for more information."
    re.compile(r"^.{0,160}\bclick here\b.{0,60}$", re.I),
    # share / follow chrome
    re.compile(r"^(share|follow us|like us|subscribe)\b.{0,60}$", re.I),
    re.compile(r"^(facebook|twitter|x|linkedin|zalo|email|print)(\s*[|/·,]\s*\w+){1,6}$", re.I),
)

# Bylines: "By Nguyen Van A", "Story: Minh Anh", "Reporting by …"
BYLINE_PATTERN = re.compile(
    r"^(by|story|text|reporting by|written by|bài|bài và ảnh)\s*:?\s+"
    r"[\w.'’-]+(\s+[\w.'’-]+){0,5}(\s*[,&/]\s*[\w.'’-]+(\s+[\w.'’-]+){0,5}){0,3}\.?$",
    re.I,
)

# Words a visible date line is made of, besides figures (case-folded).
DATE_WORDS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday mon tue wed thu fri sat sun am pm a m p gmt utc ict est edt pst pdt bst cet
    updated published posted modified last on at by
    thứ hai ba tư năm sáu bảy chủ nhật ngày tháng năm giờ lúc cập nhật đăng h""".split()
)

# class / id tokens of containers that hold furniture, never the story.
FURNITURE_TOKENS = frozenset(
    {
        # comments
        "comment",
        "comments",
        "comment-box",
        "binhluan",
        "binh-luan",
        "y-kien",
        "ykien",
        "disqus",
        "fb-comments",
        # related / more / most-read boxes
        "related",
        "relate",
        "related-news",
        "relatednews",
        "related-posts",
        "tinlienquan",
        "tin-lien-quan",
        "lienquan",
        "tin-khac",
        "tinkhac",
        "more-news",
        "morenews",
        "most-read",
        "mostread",
        "most-popular",
        "popular",
        "docnhieu",
        "doc-nhieu",
        "xemnhieu",
        "xem-nhieu",
        "recommend",
        "recommended",
        "outbrain",
        "taboola",
        "newsletter",
        "trending",
        "readmore",
        "read-more",
        "see-also",
        # chrome
        "share",
        "sharing",
        "social-share",
        "breadcrumb",
        "breadcrumbs",
        "menu",
        "navbar",
        "nav",
        "navigation",
        "sidebar",
        "footer",
        "header-menu",
        "topbar",
        "subscribe",
        "advert",
        "advertisement",
        "ads",
        "ad-slot",
        "banner",
        "cookie",
        "consent",
        "modal",
        "popup",
        "tags",
        "tag-list",
        "keywords",
        "print",
        "login",
        "signup",
        "author-box",
    }
)

# Furniture tokens that also name real containers of the story on some sites: only used when
# the element holds little text or is mostly links.
WEAK_FURNITURE_TOKENS = frozenset({"popular", "tags", "share", "header-menu", "banner"})

_PUNCT = re.compile(r"[\W_]+", re.UNICODE)
_COUNTER = re.compile(r"\(\s*\d+\s*\)|\d+")


def heading_key(text: str) -> str:
    """Return the comparable form of a heading: NFC, case-folded, no counters or punctuation."""
    text = nfc(text).casefold()
    text = _COUNTER.sub(" ", text)
    return " ".join(_PUNCT.sub(" ", text).split())


def is_junk_heading(text: str) -> bool:
    """True when `text` is one of the headings that open page furniture."""
    if len(text) > 80:
        return False
    key = heading_key(text)
    if key in JUNK_HEADINGS:
        return True
    # "More from Tuoi Tre News", "Related: …" style prefixes
    return (
        key.startswith(("more from ", "tin liên quan ", "xem thêm ", "đọc thêm "))
        and len(key.split()) <= 6
    )
