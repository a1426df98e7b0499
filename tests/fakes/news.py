"""Generated news pages, feeds and sitemaps for the fake site: many distinct, realistic articles.

Each page is shaped like an English-language Vietnamese outlet's: a headline, a dateline opening
the first paragraph ("HÀ NỘI — "), a publication date in the markup, and the Vietnamese furniture
(related news, most read, readers' comments) that the cleaner must drop. The output depends only
on the arguments, so every run serves the same bytes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from html import escape

DATELINES = ("HÀ NỘI", "HCM CITY", "ĐÀ NẴNG", "HẢI PHÒNG", "CẦN THƠ")
_SUBJECTS = (
    "The Ministry of Finance",
    "Local authorities in the Mekong Delta",
    "The State Bank of Vietnam",
    "Rice exporters",
    "The National Assembly's economic committee",
    "Provincial leaders",
    "Seafood processors",
    "Airport operator ACV",
    "Electricity of Vietnam",
    "Tourism officials",
)
_VERBS = (
    "announced plans to expand",
    "reported a sharp rise in",
    "called for closer scrutiny of",
    "approved new funding for",
    "warned of delays in",
    "unveiled a roadmap for",
)
_OBJECTS = (
    "public investment in transport infrastructure",
    "exports to the European Union",
    "digital payment services in rural areas",
    "flood defences along the central coast",
    "vocational training for young workers",
    "renewable energy projects in the south",
    "international arrivals over the holiday season",
)
_TAILS = (
    "according to a report released on Monday.",
    "officials said at a press briefing.",
    "a move analysts described as long overdue.",
    "despite concerns raised by several delegates.",
    "as part of the five-year socio-economic plan.",
    "the statement said, without giving further details.",
)
JUNK_HEADINGS = ("Tin liên quan", "Đọc nhiều", "Ý kiến bạn đọc")
JUNK_HEADLINES = (
    "Thủ tướng chủ trì phiên họp Chính phủ thường kỳ tháng 9",
    "Giá vàng hôm nay tăng mạnh sau phiên điều chỉnh",
    "Hà Nội ra quân xử lý vi phạm trật tự đô thị",
    "Bão số 5 đổ bộ, các tỉnh miền Trung khẩn trương sơ tán dân",
    "Chưa có bình luận nào. Hãy là người đầu tiên bình luận!",
)


@dataclass(frozen=True)
class FakeArticle:
    """One generated article: where it lives and what the cleaner should find in it."""

    path: str
    title: str
    paragraphs: tuple[str, ...]
    dateline: str
    date: str  # ISO 8601 with +07:00
    date_in_page: bool  # False: only the sitemap or feed knows the date


def make_article(host: str, index: int, *, date_in_page: bool = True) -> FakeArticle:
    """Return article `index` of `host`; distinct for every (host, index)."""
    rng = random.Random(f"{host}/{index}")
    dateline = DATELINES[index % len(DATELINES)]
    sentences = [
        f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}, {rng.choice(_TAILS)}"
        for _ in range(rng.randint(10, 16))
    ]
    sentences[0] = f"Story {index} of {host}: {sentences[0]}"
    paragraphs = [" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)]
    paragraphs[0] = f"{dateline} — {paragraphs[0]}"
    day, hour = 1 + index % 28, index % 24
    return FakeArticle(
        path=f"/news/{index // 100:03d}/story-{index}.html",
        title=f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} ({index})",
        paragraphs=tuple(paragraphs),
        dateline=dateline,
        date=f"2025-09-{day:02d}T{hour:02d}:15:00+07:00",
        date_in_page=date_in_page,
    )


def article_page(article: FakeArticle, base: str, outlet: str = "Viet News Daily") -> str:
    """Return the HTML of `article` served under `base`, Vietnamese sidebar included."""
    meta = (
        f'<meta property="article:published_time" content="{article.date}">\n'
        if article.date_in_page
        else ""
    )
    body = "\n".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
    related = "\n".join(
        f'<li><a href="{base}/tin-tuc/{i}.html">{escape(h)}</a></li>'
        for i, h in enumerate(JUNK_HEADLINES[:4])
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{escape(article.title)} - {outlet}</title>
<link rel="canonical" href="{base}{article.path}">
<meta property="og:title" content="{escape(article.title)}">
{meta}</head>
<body>
<header><nav><a href="{base}/">Home</a> <a href="{base}/news/">News</a>
<a href="{base}/business/">Business</a> <a href="{base}/life/">Life</a></nav></header>
<main>
<article>
<h1>{escape(article.title)}</h1>
<div class="author">By Minh Anh</div>
{body}
</article>
<aside class="related-news"><h3>{JUNK_HEADINGS[0]}</h3><ul>
{related}
</ul></aside>
<section class="most-read"><h3>{JUNK_HEADINGS[1]}</h3><ul>
<li><a href="{base}/tin-tuc/9.html">{escape(JUNK_HEADLINES[2])}</a></li>
<li><a href="{base}/tin-tuc/10.html">{escape(JUNK_HEADLINES[3])}</a></li>
</ul></section>
<div class="comment-box"><h3>{JUNK_HEADINGS[2]}</h3><p>{escape(JUNK_HEADLINES[4])}</p></div>
</main>
<footer>© 2025 {outlet}. Bản quyền thuộc về Thông tấn xã Việt Nam.</footer>
</body>
</html>
"""


def rss_feed(articles: list[FakeArticle], base: str, title: str = "Viet News Daily") -> str:
    """Return an RSS 2.0 feed of `articles`, newest first as the list gives them."""
    items = "\n".join(
        f"<item><title>{escape(a.title)}</title><link>{base}{a.path}?utm_source=rss</link>"
        f"<pubDate>{_rfc822(a.date)}</pubDate></item>"
        for a in articles
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{escape(title)}</title><link>{base}/</link>
<language>en-us</language>
{items}
</channel></rss>
"""


def news_sitemap(entries: list[tuple[str, str, str, str]]) -> str:
    """Return a Google News sitemap of (url, title, iso date, language) entries."""
    urls = "\n".join(
        f"<url><loc>{escape(url)}</loc><news:news><news:publication><news:name>Viet News"
        f"</news:name><news:language>{lang}</news:language></news:publication>"
        f"<news:publication_date>{when}</news:publication_date>"
        f"<news:title>{escape(title)}</news:title></news:news></url>"
        for url, title, when, lang in entries
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{urls}
</urlset>
"""


def sitemap_index(urls: list[str]) -> str:
    """Return a sitemap index listing `urls`."""
    items = "\n".join(f"<sitemap><loc>{escape(u)}</loc></sitemap>" for u in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{items}\n</sitemapindex>\n"
    )


def _rfc822(iso: str) -> str:
    from datetime import datetime
    from email.utils import format_datetime

    return format_datetime(datetime.fromisoformat(iso))
