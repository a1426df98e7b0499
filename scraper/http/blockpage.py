"""Recognise captcha, access-denied, bot-challenge and consent pages, so they are never cleaned.

Conservative on purpose: an article that mentions "captcha", or carries a reCAPTCHA in its
comment form, is not a block page. Only a whole-title match, a vendor's challenge marker on a
small page, or the vendor's own header count.
"""

from __future__ import annotations

import re

_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)

# Whole <title> texts of block pages, lower-cased, as the vendors serve them.
_BLOCK_TITLES = {
    "just a moment...": "Cloudflare challenge",
    "just a moment…": "Cloudflare challenge",
    "attention required! | cloudflare": "Cloudflare block",
    "access denied": "access denied",
    "403 forbidden": "access denied",
    "request rejected": "access denied (web application firewall)",
    "checking your browser": "bot check",
    "ddos-guard": "DDoS-Guard challenge",
    "are you a robot?": "captcha",
    "captcha": "captcha",
    "human verification": "captcha",
    "pardon our interruption": "bot check (PerimeterX/Imperva)",
    "before you continue": "consent wall",
    "before you continue to google": "consent wall",
}

# Markers in the markup of challenge pages; they only count on a small page.
_CHALLENGE_MARKERS = {
    b"/cdn-cgi/challenge-platform/": "Cloudflare challenge",
    b"cf-browser-verification": "Cloudflare challenge",
    b"window._cf_chl_opt": "Cloudflare challenge",
    b"geo.captcha-delivery.com": "DataDome captcha",
    b"_incapsula_resource": "Imperva challenge",
    b"px-captcha": "PerimeterX captcha",
    b"you don't have permission to access": "access denied",
}
# Comment forms of real articles carry these too: they count only on a page with little text.
_CAPTCHA_MARKERS = (b"g-recaptcha", b"h-captcha", b"cf-turnstile")
_SMALL_PAGE = 64_000  # challenge pages are a few KB; real article pages are far larger
_LITTLE_TEXT = 1_500  # characters of visible text
_MARKUP = re.compile(rb"<script.*?</script>|<style.*?</style>|<[^>]*>", re.IGNORECASE | re.DOTALL)


def block_reason(headers: dict[str, str], body: bytes) -> str | None:
    """Why this response is a block page rather than content, or None when it looks real."""
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return "Cloudflare challenge"
    head = body[:_SMALL_PAGE]
    match = _TITLE.search(head)  # on the bytes: only the title is worth decoding
    if match:
        title = " ".join(match.group(1).decode("utf-8", "replace").split()).lower()
        if title in _BLOCK_TITLES:
            return _BLOCK_TITLES[title]
    if len(body) <= _SMALL_PAGE:
        lowered = head.lower()
        for marker, reason in _CHALLENGE_MARKERS.items():
            if marker in lowered:
                return reason
        if any(marker in lowered for marker in _CAPTCHA_MARKERS):
            visible = b" ".join(_MARKUP.sub(b" ", head).split())
            if len(visible) < _LITTLE_TEXT:
                return "captcha"
    return None
