"""Why a block was removed: one closed set of reasons, the `reason` of every `removed` entry."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """The rule that removed a block; its value is what `Article.to_dict()` prints."""

    # page structure, pruned before the main-text extraction
    NAV = "nav"  # menus, breadcrumbs, search boxes, buttons
    HEADER = "header"  # the page header above the story
    FOOTER = "footer"
    ASIDE = "aside"  # sidebars
    FORM = "form"  # small forms: newsletter, search, login
    COMMENT_BOX = "comment_box"  # readers' comments ("Ý kiến bạn đọc")
    RELATED_LIST = "related_list"  # related, newer, older, most-read news
    LINK_LIST = "link_list"  # a list made mostly of links
    SHARE = "share"  # share and follow buttons, print
    ADVERTISEMENT = "advertisement"
    OVERLAY = "overlay"  # cookie banners, pop-ups, log-in walls
    TAGS = "tags"  # tag and keyword lists
    HIDDEN = "hidden"  # schema.org copies kept out of sight (display: none) for robots
    NOT_MAIN_TEXT = "not_main_text"  # text the main-text extraction left out
    # lines, removed by the block rules after the extraction
    JUNK_HEADING = "junk_heading"  # a heading that opens furniture: "Tin liên quan", "Related"
    DUPLICATE = "duplicate"  # a block repeating the one before it, or the headline
    BYLINE = "byline"  # "By Nguyen Van A", with or without its timestamp
    DATE_LINE = "date_line"  # a printed publication date standing alone
    POST_META = "post_meta"  # "Posted in News on June 6, 2010", archive headers, view counters
    CAPTION = "caption"  # photo captions and credits, image file names
    CREDIT = "credit"  # source credits: "Theo VnExpress", "VNA", "(Source: Reuters)"
    READ_MORE = "read_more"  # "Read more: …", "See more", "Xem thêm"
    SHARE_LINE = "share_line"  # "Share this", "Follow us on Facebook"
    CALL_TO_ACTION = "call_to_action"  # newsletter sign-ups, "click here"
    LANGUAGE_SWITCH = "language_switch"  # "English | Tiếng Việt"
    COPYRIGHT = "copyright"
    SECTION_LABEL = "section_label"  # a lone section name above the story: "News", "Business"
    CODE = "code"  # JavaScript or CSS printed as text
    NON_ENGLISH = "non_english"  # a block in another language than English
    OTHER_LANGUAGE = "other_language"  # a block in another language than the one kept
    BEFORE_DATELINE = "before_dateline"  # what stands above the story's dateline: its page head
    LISTING = "listing"  # every block of a listing page: headlines and teasers, no story
