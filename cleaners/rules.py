"""Block rules: each takes the kept blocks and returns them with what it removed and why.

A rule sees `(index, Block)` pairs so that removals can be reported in page order at the end.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from cleaners.blocks import (
    is_headline_like,
    is_prose,
    is_teaser,
    letter_word_count,
    starts_like_title,
    word_count,
)
from cleaners.dates import parse_date_text
from cleaners.language import ENGLISH_STOPWORDS as STOPWORDS
from cleaners.language import detect_language, language_probabilities, quick_language
from cleaners.model import Block, Removal
from cleaners.reasons import Reason
from cleaners.vocabulary import (
    DATE_WORDS,
    MAX_FURNITURE_WORDS,
    heading_key,
    is_junk_heading,
    line_patterns,
)

Indexed = list[tuple[int, Block]]
Removed = list[tuple[int, Removal]]
Rule = Callable[[Indexed], tuple[Indexed, Removed]]


def _drop(index: int, block: Block, reason: str) -> tuple[int, Removal]:
    return index, Removal(reason=reason, text=block.text)


def drop_duplicates(blocks: Indexed) -> tuple[Indexed, Removed]:
    """Remove a block that repeats the block just before it (markup stutter, sticky labels).

    Repeats further apart stay: recipes, schedules and tables repeat real lines on purpose.
    """
    kept: Indexed = []
    removed: Removed = []
    previous = None
    for index, block in blocks:
        key = " ".join(block.text.split()).casefold()
        if key and key == previous:
            removed.append(_drop(index, block, Reason.DUPLICATE))
            continue
        previous = key
        kept.append((index, block))
    return kept, removed


def drop_junk_sections(blocks: Indexed, target: str | None) -> tuple[Indexed, Removed]:
    """Remove junk headings and the run of headlines, teasers and foreign lines after each."""
    kept: Indexed = []
    removed: Removed = []
    in_section = False
    headline = ""  # the headline just removed: a teaser after it elaborates on it
    for index, block in blocks:
        text = block.text
        if is_junk_heading(text) or _is_label_prefixed(text):
            removed.append(_drop(index, block, Reason.JUNK_HEADING))
            in_section, headline = True, ""
            continue
        # above the story, the text after a headline is the story's own lead, not a teaser
        story_started = any(is_prose(b.text) for _, b in kept[-3:])
        if in_section and (
            _belongs_to_junk_section(text, target)
            or (story_started and is_teaser_of(text, headline))
        ):
            removed.append(_drop(index, block, Reason.RELATED_LIST))
            headline = text if is_headline_like(text) else ""
            continue
        in_section = False
        kept.append((index, block))
    return kept, removed


def _is_label_prefixed(text: str) -> bool:
    # "Related: Vietnam passes …", "Tin liên quan: …" introduce a single linked headline
    key = heading_key(text.split(":", 1)[0]) if ":" in text[:40] else ""
    return bool(key) and is_junk_heading(key) and word_count(text) <= 30


def _belongs_to_junk_section(text: str, target: str | None) -> bool:
    if is_headline_like(text) or is_teaser(text):
        return True
    lang = quick_language(text)
    return lang is not None and target is not None and lang != target


_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")


def _stems(text: str) -> set[str]:
    return {w[:5] for w in _CONTENT_WORD.findall(text.casefold()) if w not in STOPWORDS}


def is_teaser_of(text: str, headline: str, *, max_words: int = 80) -> bool:
    """True when `text` is a one-paragraph summary of `headline`: they share a content word.

    A related list prints each headline with its teaser; the story that resumes after an inline
    related box speaks of its own subject, not of the last headline's.
    """
    if not headline or word_count(text) > max_words:
        return False
    return bool(_stems(text) & _stems(headline))


def drop_repeated_openings(blocks: Indexed) -> tuple[Indexed, Removed]:
    """Remove teasers that open with the same source tag as the story: "(Baonghean.vn) - …".

    A story opens with its source once; later blocks that open with the same tag are the
    teasers of other stories from that source, listed after it.
    """
    kept: Indexed = []
    removed: Removed = []
    seen: set[str] = set()
    for index, block in blocks:
        match = _SOURCE_OPENING.match(block.text)
        tag = match[1].casefold() if match else None
        if tag is not None and tag in seen:
            removed.append(_drop(index, block, Reason.RELATED_LIST))
            continue
        if tag is not None:
            seen.add(tag)
        kept.append((index, block))
    return kept, removed


_SOURCE_OPENING = re.compile(r"\(([\w .-]{2,40})\)\s*[-–—]\s*\S")


def drop_trailing_headlines(blocks: Indexed) -> tuple[Indexed, Removed]:
    """Remove the run of linked headlines that closes a body (an unlabelled related list)."""
    end = len(blocks)
    while end > 0 and _is_trailing_headline(blocks[end - 1][1]):
        end -= 1
    if len(blocks) - end < 2 or end == 0:
        return blocks, []
    return blocks[:end], [_drop(index, block, Reason.RELATED_LIST) for index, block in blocks[end:]]


def _is_trailing_headline(block: Block) -> bool:
    return block.link_density >= 0.5 and (is_headline_like(block.text) or is_teaser(block.text))


# A page prints its publication date once or twice; more date lines are its content (a mailing
# list archive, a timeline).
_MAX_DATE_LINES = 3


def drop_furniture_lines(blocks: Indexed) -> tuple[Indexed, Removed]:
    """Remove captions and credits, bylines, read-more lines and language switchers."""
    reasons = [None if b.kind == "table" else furniture_reason(b.text) for _, b in blocks]
    if reasons.count(Reason.DATE_LINE) > _MAX_DATE_LINES:
        reasons = [None if r is Reason.DATE_LINE else r for r in reasons]
    kept: Indexed = []
    removed: Removed = []
    for (index, block), reason in zip(blocks, reasons, strict=True):
        if reason:
            removed.append(_drop(index, block, reason))
        else:
            kept.append((index, block))
    return kept, removed


def furniture_reason(text: str) -> Reason | None:
    """Return the reason when `text` alone is page furniture, else None."""
    stripped = text.strip()
    words = word_count(stripped)
    if words > MAX_FURNITURE_WORDS:
        return None
    if words <= 12 and _is_date_line(stripped):
        return Reason.DATE_LINE
    if is_junk_heading(stripped):
        return None  # the junk-section rule takes it with the headlines that follow it
    for reason, pattern, max_words in line_patterns():
        if words <= max_words and pattern.match(stripped):
            return reason
    return None


def _is_date_line(text: str) -> bool:
    # a line made of date words only: "Thứ Hai, 15/9/2025 08:31 (GMT+7)", "Updated Nov 18, 2019"
    tokens = [t.casefold() for t in _TOKEN.findall(text)]
    if not tokens or not any(t.isdigit() for t in tokens):
        return False
    other = [t for t in tokens if not t.isdigit() and t not in DATE_WORDS]
    return len(other) <= 1 and parse_date_text(text) is not None


_TOKEN = re.compile(r"\w+", re.UNICODE)


def quick_verdicts(blocks: Sequence[tuple[int, Block]]) -> list[str | None]:
    """Return each block's language where the cheap check settles it, else None."""
    return [quick_language(block.text) for _, block in blocks]


def refine_verdicts(
    blocks: Sequence[tuple[int, Block]], verdicts: Sequence[str | None], target: str
) -> list[str | None]:
    """Run langdetect on the undecided blocks where the decided ones leave the page in doubt.

    On a page plainly in `target`, an undecided block (a list item, a title) simply follows
    its neighbours. A block that langdetect finds at all likely to be in `target` counts as
    `target`: it confuses close languages far more often than it misses the right one.
    """
    verdicts = list(verdicts)
    decided = _letters_by_language(blocks, verdicts)
    total = sum(decided.values())
    if total and decided.get(target, 0) >= 0.8 * total:
        return verdicts
    candidates = [
        position
        for position, (_, block) in enumerate(blocks)
        if verdicts[position] is None
        and block.kind != "table"  # rows of names and figures fool langdetect
        and letter_word_count(block.text) >= 8  # so do a handful of words
    ]
    # the longest undecided blocks carry the page; cap the number of costly calls
    candidates = sorted(candidates, key=lambda p: -len(blocks[p][1].text))[:_MAX_DETECTIONS]
    for position in candidates:
        ranked = language_probabilities(blocks[position][1].text)
        if any(lang == target and prob >= 0.15 for lang, prob in ranked):
            verdicts[position] = target
        elif ranked and ranked[0][1] >= 0.95:
            verdicts[position] = ranked[0][0]
    return verdicts


_MAX_DETECTIONS = 12


def _letters_by_language(
    blocks: Sequence[tuple[int, Block]], verdicts: Sequence[str | None]
) -> dict[str, int]:
    weight: dict[str, int] = {}
    for (_, block), lang in zip(blocks, verdicts, strict=True):
        if lang:
            weight[lang] = weight.get(lang, 0) + len(block.text)
    return weight


def main_language(
    blocks: Sequence[tuple[int, Block]], verdicts: Sequence[str | None]
) -> str | None:
    """Return the page's language: the one carrying most letters, read from all blocks at once.

    One look at the whole text is steadier than a vote of short blocks that langdetect reads
    one by one (a calendar of short Portuguese lines, a long Italian tag line).
    """
    weight = _letters_by_language(blocks, verdicts)
    total = sum(weight.values())
    if weight:
        best = max(sorted(weight), key=lambda lang: weight[lang])
        letters = sum(len(block.text) for _, block in blocks)
        if weight[best] >= 0.5 * letters or (best == "vi" and weight[best] >= 0.5 * total):
            return best
    text = "\n".join(block.text for _, block in blocks)
    return detect_language(text[:_PAGE_SAMPLE]) or (
        max(sorted(weight), key=lambda lang: weight[lang]) if weight else None
    )


_PAGE_SAMPLE = 3000


def drop_other_languages(
    blocks: Indexed, verdicts: Sequence[str | None], target: str
) -> tuple[Indexed, Removed]:
    """Keep blocks in `target`; an undecided block follows its decided neighbours."""
    reason = Reason.NON_ENGLISH if target == "en" else Reason.OTHER_LANGUAGE
    kept: Indexed = []
    removed: Removed = []
    for position, (index, block) in enumerate(blocks):
        lang = verdicts[position]
        if lang is None:
            lang = _neighbour_language(verdicts, position, target)
        if lang == target:
            kept.append((index, block))
        else:
            removed.append(_drop(index, block, reason))
    return kept, removed


def _neighbour_language(verdicts: Sequence[str | None], position: int, target: str) -> str:
    before = next((v for v in reversed(verdicts[:position]) if v), None)
    after = next((v for v in verdicts[position + 1 :] if v), None)
    if target in (before, after):
        return target
    return before or after or target


def drop_listing(blocks: Indexed, *, links_known: bool) -> tuple[Indexed, Removed, bool]:
    """Empty the body of a listing or tag page: linked headlines and teasers, no story.

    From HTML the links are known, and a listing is mostly linked headlines. From plain text
    only the shape is: title-cased lines without closing punctuation, and teasers.
    """
    body = [block for _, block in blocks if block.kind != "table"]
    if len(body) < 5:
        return blocks, [], False
    if links_known:
        entries = [b for b in body if b.link_density >= 0.5 or is_teaser(b.text)]
        rest = [b.text for b in body if b.link_density < 0.5 and not is_teaser(b.text)]
        is_listing = len(entries) >= 0.5 * len(body) and _no_story(rest)
    else:
        texts = [b.text for b in body]
        lines = [t for t in texts if is_headline_like(t) or is_teaser(t)]
        titled = sum(1 for t in lines if starts_like_title(t))
        is_listing = (
            len(lines) >= 0.7 * len(texts)
            and titled >= 0.8 * len(lines)  # prose broken by <br> starts in lower case
            and _no_story([t for t in texts if not is_teaser(t)])
        )
    if is_listing:
        return [], [_drop(index, block, Reason.LISTING) for index, block in blocks], True
    return blocks, [], False


def _no_story(texts: Sequence[str]) -> bool:
    longest = max((word_count(t) for t in texts), default=0)
    story_words = sum(word_count(t) for t in texts if word_count(t) >= 12)
    return longest < 30 and story_words < 150
