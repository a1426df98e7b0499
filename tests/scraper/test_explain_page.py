"""`newsclean explain PAGE --html OUT` rendered in a real headless browser (Debian's chromium):
it renders, shows every block with its reason, in page order and in three colours, and loads
nothing: the hostile page's images, links and styles point at a loopback server that must see
no request."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from cleaners.pipeline import explain_html
from tests.scraper.explain_fixture import STORY, hostile_page
from tests.scraper.run_cli import newsclean

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and os.environ.get("NEWSCLEAN_REQUIRE_BROWSER"):
    pytest.fail("chromium is required (.ci/run installs it)", pytrace=False)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")


def render(page: Path, shot: Path) -> str:
    """The DOM after chromium rendered `page` (and its screenshot in `shot`); no DNS at all."""
    args = [CHROMIUM, "--headless", "--disable-gpu", "--no-first-run", "--mute-audio"]
    if os.geteuid() == 0:
        args.append("--no-sandbox")
    args += [
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--screenshot={shot}",
        "--window-size=1000,3000",
        "--dump-dom",
        page.as_uri(),
    ]
    run = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


def test_the_explain_page_renders_every_block_and_loads_nothing(server, tmp_path):
    base = server.url("").rstrip("/")
    source = tmp_path / "page.html"
    source.write_text(hostile_page(base), encoding="utf-8")
    out = tmp_path / "explain.html"
    run = newsclean("explain", str(source), "--html", str(out))
    assert run.returncode == 0, run.stderr

    # the page as written: no script, nothing to load, every URL only as escaped text
    written = out.read_text(encoding="utf-8")
    tree = LexborHTMLParser(written)
    assert not tree.css("script, img, link, iframe, object, embed, video, audio, source, base")
    for node in tree.css("*"):
        for name, value in node.attributes.items():
            assert name not in {"src", "href", "srcset", "action", "background"}, node.html
            assert "http" not in (value or ""), node.html
    assert "url(" not in written and "@import" not in written

    dom = LexborHTMLParser(render(out, tmp_path / "shot.png"))
    # every block, in page order, with its reason, as the cleaner's trace has them
    trace = explain_html(source.read_bytes()).trace
    shown = [
        (li.css_first(".reason").text(), li.css_first(".text").text(), li.attributes["class"])
        for li in dom.css("ol.blocks > li")
    ]
    assert [(reason, text) for reason, text, _ in shown] == [
        ("kept" if reason is None else reason, text) for reason, text in trace
    ]
    texts = [text for _, text, _ in shown]
    assert texts.index(next(t for t in texts if t.startswith("HÀ NỘI"))) < texts.index(
        next(t for t in texts if t.startswith("Residents"))
    )
    related = next(i for i, t in enumerate(texts) if "Cầu mới thông xe" in t)
    assert texts.index(STORY[1]) < related < texts.index(STORY[2])  # the box between paragraphs
    assert any("<script>alert('x')</script>" in t for t in texts)  # shown as text, not run
    classes = {cls for _, _, cls in shown}
    assert classes == {"kept", "removed", "not_main_text"}
    assert {"nav", "comment_box", "footer"} <= {reason for reason, _, _ in shown}
    # the metadata with where each value came from
    rows = {
        row.css_first("th").text(): [td.text() for td in row.css("td")]
        for row in dom.css("table.metadata tr")
    }
    assert rows["date"] == ["2025-09-15T08:31:00+07:00", "meta"]
    assert rows["image"] == [f"{base}/og.png", "meta og:image"]

    # it rendered: the screenshot shows the three colours of kept, removed and left-out blocks
    from PIL import Image

    with Image.open(tmp_path / "shot.png") as image:
        colours = {colour for _, colour in image.convert("RGB").getcolors(1 << 20) or []}
    assert {(0xE7, 0xF5, 0xE9), (0xFD, 0xEC, 0xEA), (0xFF, 0xF6, 0xE0)} <= colours

    assert server.log == []  # no image, style, link or script was fetched
