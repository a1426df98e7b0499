"""Block rules: each takes the kept blocks and returns them with what it removed and why.

A rule sees `(index, Block)` pairs so that removals can be reported in page order at the end.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from cleaners.blocks import (
    is_headline_like,
    is_teaser,
    letter_word_count,
    starts_like_title,
    word_count,
)
from cleaners.dates import parse_date_text
from cleaners.language import detect_language, language_probabilities, quick_language
from cleaners.model import Block, Removal
from cleaners.vocabulary import (
    BYLINE_PATTERN,
    DATE_WORDS,
    FURNITURE_LINE_PATTERNS,
    heading_key,
    is_junk_heading,
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
            removed.append(_drop(index, block, "duplicate"))
            continue
        previous = key
        kept.append((index, block))
    return kept, removed


def drop_junk_sections(blocks: Indexed, target: str | None) -> tuple[Indexed, Removed]:
    """Remove junk headings and the run of headlines, teasers and foreign lines after each."""
    kept: Indexed = []
    removed: Removed = []
    in_section = False
    for index, block in blocks:
        text = block.text
        if is_junk_heading(text) or _is_label_prefixed(text):
            removed.append(_drop(index, block, "junk_heading"))
            in_section = True
            continue
        if in_section and _belongs_to_junk_section(text, target):
            removed.append(_drop(index, block, "related_list"))
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


def drop_trailing_headlines(blocks: Indexed) -> tuple[Indexed, Removed]:
    """Remove the run of linked headlines that closes a body (an unlabelled related list)."""
    end = len(blocks)
    while end > 0 and _is_trailing_headline(blocks[end - 1][1]):
        end -= 1
    if len(blocks) - end < 2 or end == 0:
        return blocks, []
    return blocks[:end], [_drop(index, block, "related_list") for index, block in blocks[end:]]


def _is_trailing_headline(block: Block) -> bool:
    return block.link_density >= 0.5 and (is_headline_like(block.text) or is_teaser(block.text))


def drop_furniture_lines(blocks: Indexed) -> tuple[Indexed, Removed]:
    """Remove captions and credits, bylines, read-more lines and language switchers."""
    kept: Indexed = []
    removed: Removed = []
    for index, block in blocks:
        reason = furniture_reason(block.text)
        if reason:
            removed.append(_drop(index, block, reason))
        else:
            kept.append((index, block))
    return kept, removed


def furniture_reason(text: str) -> str | None:
    """Return the rule name when `text` alone is page furniture, else None."""
    stripped = text.strip()
    words = word_count(stripped)
    if words > 30:
        return None
    if words <= 12 and _is_date_line(stripped):
        return "date_line"
    if is_junk_heading(stripped):
        return None  # the junk-section rule takes it with the headlines that follow it
    if BYLINE_PATTERN.match(stripped) and word_count(stripped) <= 12:
        return "byline"
    for pattern in FURNITURE_LINE_PATTERNS:
        if pattern.match(stripped):
            return "furniture"
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
    reason = "non_english" if target == "en" else "other_language"
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
        entries = [t for t in texts if is_headline_like(t) or is_teaser(t)]
        titled = sum(1 for t in entries if starts_like_title(t))
        is_listing = (
            len(entries) >= 0.7 * len(texts)
            and titled >= 0.8 * len(entries)  # prose broken by <br> starts in lower case
            and _no_story([t for t in texts if not is_teaser(t)])
        )
    if is_listing:
        return [], [_drop(index, block, "listing") for index, block in blocks], True
    return blocks, [], False


def _no_story(texts: Sequence[str]) -> bool:
    longest = max((word_count(t) for t in texts), default=0)
    story_words = sum(word_count(t) for t in texts if word_count(t) >= 12)
    return longest < 30 and story_words < 150
