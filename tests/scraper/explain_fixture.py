"""A news page for `explain`: a story with a related box inside it, a nav, readers' comments
and a footer, whose images, links and styles all point at `base` (a loopback server that must
see no request when the explanation is shown)."""

from __future__ import annotations

STORY = [
    "HÀ NỘI — The city opened its new bridge over the Red River on Monday after three years "
    "of work, the transport department said in a statement.",
    "The 1.2-kilometre bridge carries six lanes of traffic and a path for bicycles, and is "
    "expected to cut travel times between the two banks by half during rush hours.",
    'Officials said the project cost 4 trillion đồng. "We finished on time," one engineer said, '
    "adding that <script>alert('x')</script> & other tricks never reached the drawings.",
    "Residents who gathered at the opening ceremony said the old crossing had been jammed for "
    "years, and that they hoped the new one would bring shops and jobs to their neighbourhood.",
]


def hostile_page(base: str) -> str:
    before = "".join(f"<p>{_escape(p)}</p>" for p in STORY[:2])
    after = "".join(f"<p>{_escape(p)}</p>" for p in STORY[2:])
    return f"""<!DOCTYPE html><html lang="en"><head><title>New bridge opens | Example</title>
<meta property="og:title" content="New bridge opens">
<meta property="og:image" content="{base}/og.png">
<meta property="og:description" content="A bridge opens &lt;img src={base}/desc.png&gt;">
<meta property="article:published_time" content="2025-09-15T08:31:00+07:00">
<link rel="stylesheet" href="{base}/style.css"></head>
<body style="background: url({base}/bg.png)">
<nav><a href="{base}/home">Home</a> <a href="{base}/news">News</a> <a href="/w">World</a></nav>
<article><h1>New bridge opens</h1><img src="{base}/photo.jpg" alt="">
{before}
<div class="related-news"><h3>Tin liên quan</h3><ul>
<li><a href="{base}/1">Cầu mới thông xe sau ba năm thi công</a></li>
<li><a href="{base}/2">Giao thông thủ đô giờ cao điểm</a></li>
<li><a href="{base}/3">Người dân đón cầu mới</a></li></ul></div>
{after}
</article>
<div class="comments"><h3>Ý kiến bạn đọc</h3><p>Tuyệt vời quá, cảm ơn thành phố!</p></div>
<footer>© Example <a href="{base}/about">About</a></footer></body></html>"""


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
