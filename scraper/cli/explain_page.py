"""`explain --html FILE`: the explanation as one self-contained HTML page.

Inline CSS only: no script, no image, no link, no URL the browser would load. Every text from the
page is escaped, so a hostile page can put nothing into this one.
"""

from __future__ import annotations

from html import escape

from cleaners import Article
from cleaners.reasons import Reason
from scraper.cli.explain_view import metadata_rows, summary_line

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 60em;
       padding: 0 1em; color: #1d1d1f; background: #fff; }
h1 { font-size: 1.5em; margin-bottom: .2em; }
table { border-collapse: collapse; margin: 1em 0; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .25em .6em;
         border-bottom: 1px solid #e3e3e3; overflow-wrap: anywhere; }
th { width: 9em; color: #555; font-weight: 600; }
td.source { color: #666; font-size: .85em; width: 14em; }
.legend span { display: inline-block; margin-right: 1em; padding: .1em .5em; border-radius: 3px; }
ol.blocks { list-style: none; padding: 0; }
ol.blocks li { margin: .35em 0; padding: .4em .7em; border-left: 6px solid; border-radius: 3px;
               white-space: pre-wrap; overflow-wrap: anywhere; }
ol.blocks li.kept, .legend .kept { background: #e7f5e9; border-color: #2e8540; }
ol.blocks li.removed, .legend .removed { background: #fdecea; border-color: #c62828;
                                         color: #5d4037; }
ol.blocks li.not_main_text, .legend .not_main_text { background: #fff6e0; border-color: #d49b00;
                                                     color: #5f4b00; }
.reason { display: block; font: 600 .75em/1.6 ui-monospace, monospace; text-transform: none;
          color: #333; }
.notes { color: #8a5a00; }
"""


def _class(reason: str | None) -> str:
    if reason is None:
        return "kept"
    return "not_main_text" if reason == Reason.NOT_MAIN_TEXT else "removed"


def render_page(article: Article) -> str:
    """The article's metadata (with where each value came from) and its blocks in page order,
    kept and removed in different colours with each reason, as a standalone HTML document."""
    title = article.title or "(no title)"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>newsclean explain: {escape(title)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        '<table class="metadata"><tr><th>field</th><td>value</td>'
        '<td class="source">where it came from</td></tr>',
    ]
    for label, value, source in metadata_rows(article):
        parts.append(
            f"<tr><th>{escape(label)}</th><td>{escape(value or '—')}</td>"
            f'<td class="source">{escape(source or "") if value else ""}</td></tr>'
        )
    parts.append("</table>")
    if article.notes:
        notes = "".join(f"<li>{escape(note)}</li>" for note in article.notes)
        parts.append(f'<ul class="notes">{notes}</ul>')
    parts.append(
        f'<p class="legend"><strong>{escape(summary_line(article))}</strong><br>'
        '<span class="kept">kept</span><span class="removed">removed by a rule</span>'
        '<span class="not_main_text">left out by the main-text extraction</span></p>'
    )
    parts.append('<ol class="blocks">')
    for reason, text in article.trace:
        label = "kept" if reason is None else str(reason)
        parts.append(
            f'<li class="{_class(reason)}"><span class="reason">{escape(label)}</span>'
            f'<span class="text">{escape(text)}</span></li>'
        )
    parts.append("</ol></body></html>\n")
    return "\n".join(parts)
