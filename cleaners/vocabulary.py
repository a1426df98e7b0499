"""Boilerplate vocabulary in one place, grouped by concept, with where each entry was seen.

Headings are compared after `heading_key`: NFC, case-folded, punctuation and counters stripped.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache
from importlib import resources
from typing import Any

from cleaners.reasons import Reason

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
        # list pages: Blogger label pages in a Vietnamese locale, news lists (realtext 049, 058)
        "bài đăng",
        "hiển thị các bài đăng có nhãn",
        "hiển thị tất cả bài đăng",
        "danh sách tin",
        "danh sách bài viết",
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
        "see more",
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


@cache
def load_data(name: str) -> dict[str, Any]:
    """One vocabulary file of `cleaners/data/` (`name` without `.toml`), read once."""
    text = resources.files("cleaners").joinpath(f"data/{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


# Longer lines are prose: no furniture pattern is tried on them.
MAX_FURNITURE_WORDS = 60
_DEFAULT_MAX_WORDS = 30


@cache
def line_patterns() -> tuple[tuple[Reason, re.Pattern[str], int], ...]:
    """Lines that are furniture on their own: reason, pattern, and the longest line it takes."""
    return tuple(
        (
            Reason(reason),
            re.compile(entry["pattern"], re.IGNORECASE),
            int(entry.get("max_words", _DEFAULT_MAX_WORDS)),
        )
        for reason, entries in load_data("line_patterns").items()
        for entry in entries
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
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = text.casefold()
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
        key.startswith(
            (
                "more from ",
                "tin liên quan ",
                "xem thêm ",
                "đọc thêm ",
                "hiển thị các bài đăng có nhãn ",
                "update news ",
                "latest news ",
            )
        )
        and len(key.split()) <= 6
    )
