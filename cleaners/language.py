"""Language of one block of text: a cheap script and stopword check first, seeded langdetect after.

Most blocks are decided by the pre-check (Vietnamese diacritics, non-Latin scripts, English function
words), so langdetect, which costs milliseconds a call, runs only where the answer is not plain.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# Letters that only Vietnamese uses among Latin-script languages: đ, ơ, ư, ă, and the
# precomposed tone-marked vowels of the Latin Extended Additional block (U+1EA0–U+1EF9).
_VI_LETTER_CLASS = "đĐơƠưƯăĂ\u1ea0-\u1ef9"
# A whole run of letters holding one of them. It starts only where a run starts: tried inside a
# run without such a letter, it would rescan the rest of the run from every letter (quadratic).
_VI_WORD = re.compile(rf"(?<![^\W\d_])[^\W\d_]*?[{_VI_LETTER_CLASS}][^\W\d_]*", re.UNICODE)
_VI_LETTER = re.compile(f"[{_VI_LETTER_CLASS}]")
_BEYOND_LATIN = re.compile(r"[^\x00-\u036f\u1e00-\u1eff\u2000-\u206f]")


# One Vietnamese syllable: onset, one to three vowels, coda. Words with diacritics that all
# have this shape mark Vietnamese even without đ, ơ, ư, ă ("Phân tích"); Portuguese or
# French words with accents rarely do ("Notícias", "Fórmula" have two syllables).
_VI_SYLLABLE = re.compile(
    r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
    r"[aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ]{1,3}"
    r"(ch|ng|nh|[cmnpt])?",
    re.IGNORECASE,
)

# Function words: a block of running English has many of them, even when it is full of names.
_EN_STOPWORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "against",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "being",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "during",
        "each",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "more",
        "most",
        "my",
        "no",
        "not",
        "of",
        "on",
        "one",
        "or",
        "other",
        "our",
        "out",
        "over",
        "said",
        "says",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "under",
        "up",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)

ENGLISH_STOPWORDS = _EN_STOPWORDS

# Function words that no other common Latin-script language spells the same way
# ("a", "no", "as", "do" are Portuguese, Spanish or Italian words too).
_EN_DISTINCTIVE = frozenset(
    """the and of to is that for with was were this have has which their would from it are be
    by he she they will been said not or an its his her who what when there than""".split()
)

# Vietnamese syllables common enough to mark Vietnamese typed without its diacritics.
_VI_BARE_SYLLABLES = frozenset(
    [
        "cua",
        "va",
        "cac",
        "nhung",
        "duoc",
        "trong",
        "nguoi",
        "khong",
        "mot",
        "nay",
        "cho",
        "den",
        "voi",
        "tai",
        "ve",
        "nam",
        "theo",
        "tin",
        "moi",
        "hon",
        "cu",
        "lien",
        "quan",
        "doc",
        "nhieu",
        "ban",
        "xem",
        "them",
        "binh",
        "luan",
        "thoi",
        "su",
        "kinh",
        "te",
        "xa",
        "hoi",
        "phap",
        "luat",
        "the",
        "gioi",
    ]
)

_SCRIPTS = (  # (first, last, language guess) for scripts that settle the question alone
    ("\u0400", "\u04ff", "ru"),
    ("\u0590", "\u05ff", "he"),
    ("\u0600", "\u06ff", "ar"),
    ("\u0e00", "\u0e7f", "th"),
    ("\u3040", "\u30ff", "ja"),
    ("\u4e00", "\u9fff", "zh"),
    ("\uac00", "\ud7af", "ko"),
    ("\u0900", "\u097f", "hi"),
    ("\u0370", "\u03ff", "el"),
)


def _script_language(text: str) -> str | None:
    foreign = _BEYOND_LATIN.findall(text)
    if not foreign:  # the common case: Latin script only, decided without a loop
        return None
    counts: dict[str, int] = {}
    for char in foreign:
        for first, last, lang in _SCRIPTS:
            if first <= char <= last:
                counts[lang] = counts.get(lang, 0) + 1
                break
    if not counts:
        return None
    letters = sum(1 for c in text if c.isalpha())
    lang, count = max(sorted(counts.items()), key=lambda item: item[1])
    if count / max(1, letters) < 0.3:
        return None
    if lang == "zh" and counts.get("ja", 0) > 0:
        return "ja"
    return lang


# English function words that are not also Vietnamese syllables typed without marks
# ("in", "to", "do", "no", "an", "a" are: "in" is to print, "to" big, "do" because)
_EN_UNAMBIGUOUS = _EN_DISTINCTIVE - {"a", "an", "in", "to", "do", "no", "on", "it", "be", "he"}


def _names_in_english(lowered: list[str]) -> bool:
    # "Nguyễn Xuân Phúc and Võ Văn Thưởng attended the ceremony in Huế": many marked words,
    # but the English function words around them make it an English sentence
    strong = sum(1 for w in lowered if w in _EN_UNAMBIGUOUS)
    return strong >= 2 and strong >= 0.1 * len(lowered)


def _english_around_names(words: list[str]) -> bool:
    # "Tô Lâm meets Lương Cường in Hà Nội": every marked word is capitalised (a name or a
    # place, one at least with a letter only Vietnamese uses, so not "Álvaro Pérez") and the
    # lower-case words between them are unmarked, one of them a word no Vietnamese syllable
    # can spell ("meets"). Vietnamese headlines keep lower-case marked words ("thăm",
    # "trưởng"); Title Case ones have no lower-case words at all.
    if len(words) < 4:
        return False
    marked = [w for w in words if not w.isascii()]
    if len(marked) < 2:
        return False
    lower = [w for w in words[1:] if not w[:1].isupper()]
    return (
        len(words) >= 4
        and len(marked) >= 2
        and any(_VI_WORD.fullmatch(w) for w in marked)
        and all(w[:1].isupper() for w in marked)
        and bool(lower)
        and all(w.isascii() for w in lower)
        and any(not _VI_SYLLABLE.fullmatch(w.lower()) for w in lower)
    )


def _is_short_vietnamese_label(lowered: list[str]) -> bool:
    # menu items and labels of two to six syllables: "Doanh nghiệp", "Di sản", "Thanh Hóa".
    # Every word has the shape of a Vietnamese syllable and one carries a Vietnamese mark;
    # English words rarely have that shape all together ("and", "with", "link" do not).
    if not 2 <= len(lowered) <= 6 or not all(_VI_SYLLABLE.fullmatch(w) for w in lowered):
        return False
    marked = sum(1 for w in lowered if not w.isascii())
    # "an", "to", "be" are Vietnamese syllables too: marked words must outnumber English ones
    return marked >= 1 and marked > len(_EN_DISTINCTIVE.intersection(lowered))


def _is_vietnamese_without_function_words(lowered: list[str]) -> bool:
    # a headline with a third of its words marked Vietnamese syllables and not one English
    # function word ("VIFA EXPO 2026 quy tụ 650 doanh nghiệp và 2.500 gian hàng"); English
    # sentences that name Vietnamese people still have their "the", "of", "and"
    marked = sum(1 for w in lowered if not w.isascii() and _VI_SYLLABLE.fullmatch(w))
    if marked < 2 or marked < 0.3 * len(lowered):
        return False  # decided before shaping every word
    shaped = [w for w in lowered if _VI_SYLLABLE.fullmatch(w)]
    return (
        marked >= 2
        and marked >= 0.3 * len(lowered)
        and len(shaped) > 0.6 * len(lowered)  # "Prime Minister Phạm Minh Chính" is English
        and not any(w in _EN_STOPWORDS for w in lowered)
    )


def quick_language(text: str) -> str | None:
    """Return the language when script and function words make it plain, else None."""
    script = _script_language(text)
    if script:
        return script
    words = _WORD.findall(text)
    if not words:
        return None
    # a Vietnamese word needs a letter only Vietnamese uses: most English text has none
    vi_words = len(_VI_WORD.findall(text)) if _VI_LETTER.search(text) else 0
    lowered = [w.lower() for w in words]
    if _english_around_names(words):
        return "en"
    if vi_words / len(words) >= 0.3 and vi_words >= 2 and not _names_in_english(lowered):
        return "vi"
    accented = [w for w in lowered if not w.isascii()]
    if (
        len(accented) >= 2
        and len(accented) >= 0.5 * len(words)
        and all(_VI_SYLLABLE.fullmatch(w) for w in accented)
        and not _EN_DISTINCTIVE.intersection(lowered)
    ):
        return "vi"
    if _is_short_vietnamese_label(lowered):
        return "vi"
    if _is_vietnamese_without_function_words(lowered):
        return "vi"
    en_words = sum(1 for w in lowered if w in _EN_STOPWORDS)
    distinctive = len(_EN_DISTINCTIVE.intersection(lowered))
    if len(words) >= 6 and en_words / len(words) >= 0.18 and distinctive >= 2:
        return "en"
    if len(words) >= 3 and vi_words == 0:
        bare = sum(1 for w in lowered if w in _VI_BARE_SYLLABLES)
        if bare / len(words) >= 0.5:
            return "vi"
    return None


@lru_cache(maxsize=1)
def _detector_factory() -> Any:  # langdetect loads 55 profiles: do it once, lazily, and seeded
    from langdetect import DetectorFactory
    from langdetect.detector_factory import init_factory

    DetectorFactory.seed = 0
    init_factory()
    from langdetect import detector_factory

    return detector_factory._factory


def language_probabilities(text: str) -> list[tuple[str, float]]:
    """Return langdetect's (language, probability) pairs for `text`, most likely first."""
    if sum(1 for c in text if c.isalpha()) < 12:
        return []
    factory = _detector_factory()
    try:
        detector = factory.create()
        detector.set_max_text_length(400)  # a paragraph's worth decides; longer only costs
        detector.n_trial = (
            3  # of its 7 default random walks, 3 agree on a paragraph at half the cost
        )
        detector.append(text)
        ranked = detector.get_probabilities()
    except Exception:  # langdetect raises on text with no features; that is "unknown"
        return []
    pairs = ((_normalize_code(item.lang), item.prob) for item in ranked)
    return [(lang, prob) for lang, prob in pairs if lang]


def detect_language(text: str, *, min_probability: float = 0.0) -> str | None:
    """Return the ISO 639-1 code of `text`, or None when it is too short or unclear to tell."""
    quick = quick_language(text)
    if quick:
        return quick
    ranked = language_probabilities(text)
    if not ranked or ranked[0][1] < min_probability:
        return None
    return ranked[0][0]


def _normalize_code(code: str) -> str | None:
    if not code or code == "unknown":
        return None
    return code.split("-")[0].lower()


def vietnamese_share(text: str) -> float:
    """Share of the words of `text` that carry a letter only Vietnamese uses."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    return len(_VI_WORD.findall(text)) / len(words)
