"""Regenerate fixtures/constructed/: English articles wrapped in real Vietnamese page furniture.

The furniture (related-news boxes, "Tin liên quan", "Đọc nhiều", comment boxes, headline lists,
menus, footers) is cut with selectolax out of the real pages in ../shared/data/vn-pages; the
English paragraphs are AEB ground-truth bodies. Each fixture gets NAME.html (or NAME.txt), the
expected output NAME.json, and NAME.junk.txt: every Vietnamese line that was put into the page.

    python -m bench.make_constructed
"""

from __future__ import annotations

import gzip
import html as html_lib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "fixtures" / "constructed"
PARAGRAPHS_PER_BODY = 7
KEEP_ATTRIBUTES = {"class", "id", "href"}
DROP_TAGS = "script, style, svg, noscript, img, picture, source, iframe, video, input, button, form"
DATE = "2025-09-15T08:31:00+07:00"

# AEB English ids with their headline (og:title without the site name).
BODIES = {
    "360c732d1fdb": "Alibaba to raise up to $12.9bn in landmark Hong Kong listing",
    "374ac9a59a85": "Emirates inks $9 billion order for 30 Boeing 787 jets, will restart plans",
    "39d5c43beb60": "Beijing tariff demands may expand US-China trade deal",
    "57d46c9d751e": "Oversupply angst drags oil lower, stocks drift near highs",
    "42aad16bde92": "NASA's commercial moon shot: Musk's and Bezos's firms to bid",
    "14cc2a0ca59c": (
        "NASA Just Confirmed There Are Water Plumes Above The Surface of Jupiter's Moon"
    ),
    "432362af0be4": "Chinese hunter catches bubonic plague after eating wild rabbit",
    "5f9c5ed5d64d": "With shattered dreams, deportees return home from US",
    "65408257dbe4": "Economy in stress and markets on a high; time to be careful?",
    "06e5123e4ef7": "New York State Attorney General investigating WeWork and former CEO",
    "3c5bf8db4272": "Physicists Just Created the Most Detailed Simulation of the Universe",
    "5a822960e9a2": "House Hitler was born in to become police station",
}

# (page in vn-pages, CSS selector, which match): the real furniture we reuse.
FRAGMENTS = {
    "tuoitre_related": ("tuoitre_article", "div.detail__related", 0),
    "tuoitre_same_category": ("tuoitre_article", "div.detail__same-category", 0),
    "tuoitre_comment": ("tuoitre_article", "section.comment-wrapper", 0),
    "tuoitre_footer_nav": ("tuoitre_article", "div.footer__nav", 0),
    "nld_related": ("nld_article", "div.detail__related", 0),
    "nld_relatedbox": ("nld_article", "div.kbwscwl-relatedbox", 0),
    "nld_comment": ("nld_article", "div.detail__comment", 0),
    "nld_footer_bottom": ("nld_article", "div.footer__bottom", 0),
    "baodautu_relation": ("baodautu_article", "div.list_news_relation_top", 0),
    "baodautu_relate_one": ("baodautu_article", "div.news_relate_one", 0),
    "vietnamnet_related": ("vietnamnet_article", "div.related-news", 0),
    "vietnamnet_breadcrumb": ("vietnamnet_article", "div.bread-crumb-detail", 0),
    "vnexpress_topics": ("vnexpress_article", "ul.ul-mn-topic", 0),
    "vnexpress_breadcrumb": ("vnexpress_article", "ul.breadcrumb", 0),
    "cafef_same_category": ("cafef_article", "div.bg-tit-samecate", 0),
}


@dataclass
class Fixture:
    """One constructed page: which body, which site template, and where the furniture goes."""

    name: str
    body: str
    site: str
    url: str
    before: list[str] = field(default_factory=list)  # outside <article>, before it
    top: list[str] = field(default_factory=list)  # inside <article>, before the paragraphs
    inside: dict[int, list[str]] = field(default_factory=dict)  # after paragraph N
    end: list[str] = field(default_factory=list)  # inside <article>, after the paragraphs
    after: list[str] = field(default_factory=list)  # outside <article>, after it


def load_page(name: str) -> LexborHTMLParser:
    """Parse one vn-page with scripts, styles, images and forms removed."""
    raw = gzip.decompress((DATA / "vn-pages" / f"{name}.html.gz").read_bytes())
    tree = LexborHTMLParser(raw.decode("utf-8", "replace"))
    for node in tree.css(DROP_TAGS):
        node.decompose()
    return tree


def slim(node: LexborNode) -> str:
    """The fragment's HTML with only class, id and href kept."""
    for element in [node, *node.css("*")]:
        for name in list(element.attributes):
            if name not in KEEP_ATTRIBUTES:
                del element.attrs[name]
    return re.sub(r"\n\s*\n+", "\n", node.html or "")


def junk_lines(fragment_html: str) -> list[str]:
    """Every text run of a fragment that a reader would see as one line."""
    body = LexborHTMLParser(f"<div>{fragment_html}</div>").body
    assert body is not None  # the parser always makes one
    lines = []
    for node in body.css("*"):
        own = " ".join((node.text(deep=False) or "").split())
        if own:
            lines.append(own)
    return lines


def english_paragraphs(truth: dict, short_id: str) -> list[str]:
    """The first paragraphs of an AEB ground-truth body."""
    (page_id,) = [i for i in truth if i.startswith(short_id)]
    lines = [line.strip() for line in truth[page_id]["articleBody"].split("\n")]
    return [line for line in lines if line][:PARAGRAPHS_PER_BODY]


def p_list(heading: str, items: list[str], tag: str = "strong") -> str:
    """Junk as plain <p>s: a Vietnamese heading, then one headline link per paragraph."""
    rows = [f"<p><{tag}>{html_lib.escape(heading)}</{tag}></p>"]
    rows += [
        f'<p><a href="/tin/{i}.html">{html_lib.escape(t)}</a></p>' for i, t in enumerate(items)
    ]
    return "\n".join(rows)


def div_list(heading: str, items: list[str]) -> str:
    """Junk as bare <div>s, no list markup and no telling class."""
    rows = [f"<div>{html_lib.escape(heading)}</div>"]
    rows += [f'<div><a href="/{i}.htm">{html_lib.escape(t)}</a></div>' for i, t in enumerate(items)]
    return "<div>\n" + "\n".join(rows) + "\n</div>"


def render(fixture: Fixture, paragraphs: list[str], headline: str, pieces: dict[str, str]) -> str:
    """A plausible English news page with the furniture in its places."""

    def block(names: list[str]) -> str:
        return "\n".join(pieces[n] for n in names)

    body = []
    for index, paragraph in enumerate(paragraphs):
        body.append(f"<p>{html_lib.escape(paragraph)}</p>")
        body.append(block(fixture.inside.get(index, [])))
    title = html_lib.escape(headline)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} - {fixture.site}</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{DATE}">
<link rel="canonical" href="{fixture.url}">
</head>
<body>
<header class="site-header"><a href="/">{fixture.site}</a></header>
{block(fixture.before)}
<main>
<article class="article-detail">
<h1 class="title-detail">{title}</h1>
<div class="meta"><time datetime="{DATE}">Monday, September 15, 2025, 8:31 (GMT+7)</time></div>
{block(fixture.top)}
<div class="content-detail">
{chr(10).join(part for part in body if part)}
</div>
{block(fixture.end)}
</article>
</main>
{block(fixture.after)}
</body>
</html>
"""


def fixtures() -> list[Fixture]:
    """The constructed pages: furniture before, inside and after the body, in several shapes."""
    vne = "https://e.vnexpress.net/news/business/{}-4950{:03d}.html"
    vns = "https://vietnamnews.vn/economy/{}-1690{:03d}.html"
    return [
        Fixture("related_box_inside", "360c732d1fdb", "VnExpress International",
                vne.format("alibaba-listing", 1), inside={2: ["tuoitre_related"]}),
        Fixture("same_category_after", "374ac9a59a85", "Tuoi Tre News",
                "https://tuoitrenews.vn/news/business/20250915/emirates-boeing.htm",
                after=["tuoitre_same_category", "tuoitre_footer_nav"]),
        Fixture("comment_box_in_article", "39d5c43beb60", "Tuoi Tre News",
                "https://tuoitrenews.vn/news/politics/20250915/tariff.htm",
                end=["tuoitre_comment"]),
        Fixture("relation_top_and_most_read", "57d46c9d751e", "Vietnam Investment Review",
                "https://vir.com.vn/oversupply-angst-drags-oil-lower-1001.html",
                inside={0: ["baodautu_relation"]}, after=["most_read_p"]),
        Fixture("related_before_body", "42aad16bde92", "VietNamNet Global",
                "https://vietnamnet.vn/en/nasa-commercial-moon-shot-2001.html",
                before=["vietnamnet_breadcrumb"], top=["vietnamnet_related"]),
        Fixture("nld_related_and_comment", "14cc2a0ca59c", "Nguoi Lao Dong English",
                "https://nld.com.vn/en/water-plumes-europa-3001.htm",
                inside={3: ["nld_relatedbox"]}, end=["nld_related", "nld_comment"],
                after=["nld_footer_bottom"]),
        Fixture("p_heading_related_inside", "432362af0be4", "Vietnam News",
                vns.format("bubonic-plague", 1), inside={3: ["tin_lien_quan_p"]}),
        Fixture("div_headlines_after_body", "5f9c5ed5d64d", "Vietnam News",
                vns.format("deportees-return-home", 2), end=["doc_nhieu_div"]),
        Fixture("menus_and_same_category", "65408257dbe4", "VnExpress International",
                vne.format("economy-in-stress", 2),
                before=["vnexpress_topics", "vnexpress_breadcrumb"],
                inside={5: ["cafef_same_category"]}, after=["tuoitre_footer_nav"]),
        Fixture("relate_one_inside", "06e5123e4ef7", "Vietnam Investment Review",
                "https://vir.com.vn/new-york-attorney-general-wework-1002.html",
                inside={1: ["baodautu_relate_one"], 4: ["xem_them_p"]}),
        Fixture("junk_everywhere", "3c5bf8db4272", "Tuoi Tre News",
                "https://tuoitrenews.vn/news/science/20250915/universe-simulation.htm",
                before=["vnexpress_topics"], top=["vietnamnet_breadcrumb"],
                inside={1: ["tuoitre_related"], 4: ["tin_lien_quan_p"]},
                end=["nld_comment", "doc_nhieu_div"],
                after=["tuoitre_same_category", "nld_footer_bottom"]),
    ]  # fmt: skip


def headlines(pieces: dict[str, str], names: list[str]) -> list[str]:
    """Real Vietnamese headlines: the link texts of some fragments."""
    out = []
    for name in names:
        body = LexborHTMLParser(f"<div>{pieces[name]}</div>").body
        assert body is not None  # the parser always makes one
        for link in body.css("a"):
            text = " ".join(link.text().split())
            if len(text.split()) >= 5 and text not in out:
                out.append(text)
    return out


def build_pieces() -> dict[str, str]:
    """Cut every real fragment, then build the <p> and <div> shaped ones from real headlines."""
    trees: dict[str, LexborHTMLParser] = {}
    pieces = {}
    for name, (page, selector, index) in FRAGMENTS.items():
        tree = trees.setdefault(page, load_page(page))
        matches = tree.css(selector)
        if len(matches) <= index:
            sys.exit(f"make_constructed: {selector} not found in {page}")
        pieces[name] = slim(matches[index])
    news = headlines(pieces, list(FRAGMENTS))
    pieces["tin_lien_quan_p"] = p_list("Tin liên quan", news[:4])
    pieces["xem_them_p"] = p_list("Xem thêm:", news[4:6], tag="em")
    pieces["most_read_p"] = p_list("Đọc nhiều", news[6:11], tag="b")
    pieces["doc_nhieu_div"] = div_list("Đọc nhiều trong Kinh doanh", news[11:16])
    return pieces


def write_json(path: Path, data: dict) -> None:
    """Write JSON the way the golden files are written: sorted keys, UTF-8, indent 2."""
    path.write_text(json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n", "utf-8")


def expected(url: str | None, title: str | None, paragraphs: list[str], date: str | None) -> dict:
    """The part of `Article.to_dict()` a constructed fixture pins."""
    return {"date": date, "language": "en", "paragraphs": paragraphs, "title": title, "url": url}


def plain_text_fixture(truth: dict, pieces: dict[str, str]) -> None:
    """A clean_text input: Vietnamese lines before and after the English paragraphs."""
    paragraphs = english_paragraphs(truth, "5a822960e9a2")
    before = junk_lines(pieces["vnexpress_breadcrumb"])
    after = ["Ý kiến bạn đọc", *junk_lines(pieces["tin_lien_quan_p"])]
    after += junk_lines(pieces["doc_nhieu_div"]) + junk_lines(pieces["nld_footer_bottom"])
    text = "\n".join([*before, *paragraphs, *after]) + "\n"
    (OUT / "plain_text_sidebar.txt").write_text(text, encoding="utf-8")
    (OUT / "plain_text_sidebar.junk.txt").write_text("\n".join(before + after) + "\n", "utf-8")
    write_json(OUT / "plain_text_sidebar.json", expected(None, None, paragraphs, None))


def main() -> int:
    """Write every constructed fixture."""
    if not (DATA / "vn-pages").is_dir():
        print(f"make_constructed: no data at {DATA}", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    truth = json.loads((DATA / "aeb" / "ground-truth.json").read_text(encoding="utf-8"))
    pieces = build_pieces()
    for fixture in fixtures():
        paragraphs = english_paragraphs(truth, fixture.body)
        headline = BODIES[fixture.body]
        page = render(fixture, paragraphs, headline, pieces)
        used = fixture.before + fixture.top + fixture.end + fixture.after
        used += [n for names in fixture.inside.values() for n in names]
        junk = [line for name in used for line in junk_lines(pieces[name])]
        (OUT / f"{fixture.name}.html").write_text(page, encoding="utf-8")
        (OUT / f"{fixture.name}.junk.txt").write_text("\n".join(junk) + "\n", encoding="utf-8")
        write_json(OUT / f"{fixture.name}.json", expected(fixture.url, headline, paragraphs, DATE))
    plain_text_fixture(truth, pieces)
    print(f"wrote {len(fixtures()) + 1} fixtures to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
