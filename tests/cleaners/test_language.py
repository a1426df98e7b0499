"""Per-block language: the cheap check and the seeded langdetect behind it."""

import unicodedata

import pytest

from cleaners.language import detect_language, quick_language, vietnamese_share


@pytest.mark.parametrize(
    "text",
    [
        "Ý kiến bạn đọc",
        "Những tin mới hơn",
        "Tin liên quan",
        "Phân tích",  # no đ/ơ/ư/ă, but every accented word is one Vietnamese syllable
        "Lái Xe Khi Chỉ Có Giấy Hẹn GPLX Hết Hạn: Liệu Có Hợp Pháp?",
        "tin lien quan doc nhieu",  # Vietnamese typed without its diacritics
    ],
)
def test_vietnamese_lines_are_vietnamese(text):
    assert quick_language(text) == "vi"


@pytest.mark.parametrize(
    "text",
    [
        "Acting Foreign Minister Lê Hoài Trung affirmed that a key task for Việt Nam’s foreign "
        "affairs is to help maintain a peaceful and stable environment.",
        "HÀ NỘI — Party General Secretary Tô Lâm has urged the Party Committee of the Ministry.",
        "Deputy Prime Minister Bùi Thanh Sơn highlighted the need to continue the work.",
    ],
)
def test_english_sentences_full_of_vietnamese_names_stay_english(text):
    assert quick_language(text) == "en"


@pytest.mark.parametrize(
    "text",
    [
        "Tô Lâm meets Lương Cường, Trần Thanh Mẫn in Hà Nội",
        "PM Phạm Minh Chính receives Lào Cai delegation",
        "Hà Nội hosts Việt Nam–Lào summit",
    ],
)
def test_short_english_headlines_made_of_vietnamese_names_stay_english(text):
    assert quick_language(text) == "en"


@pytest.mark.parametrize(
    "text",
    [
        "Bộ trưởng Nguyễn Văn A thăm Hà Nội",  # lower-case marked words: a Vietnamese headline
        "Đà Nẵng Tổ Chức Lễ hội pháo hoa",
        "Hà Nội: Giá iPhone giảm mạnh",
    ],
)
def test_vietnamese_headlines_with_names_stay_vietnamese(text):
    assert quick_language(text) == "vi"


def test_other_languages_with_capitalised_accents_are_not_taken_for_english():
    assert quick_language("Álvaro Pérez llega a Madrid") != "en"
    assert quick_language("Über Österreich und Schweiz heute") != "en"


def test_romance_lines_are_not_taken_for_english_by_shared_short_words():
    # "a", "no", "as", "do" are Portuguese words too: they alone do not make English
    assert quick_language("7a etapa: 19 de agosto – A ser divulgado") is None
    assert quick_language("Notícias da Fórmula 1") is None


def test_langdetect_decides_what_the_cheap_check_leaves_open():
    german = "Der Bundestag hat heute beschlossen, dass die Steuern im nächsten Jahr steigen."
    assert quick_language(german) is None
    assert detect_language(german) == "de"


def test_other_scripts_are_decided_without_langdetect():
    assert quick_language("Привет, как дела у тебя сегодня") == "ru"
    assert quick_language("中华人民共和国主席今天在北京会见了越南领导人") == "zh"


def test_too_little_text_is_unknown():
    assert detect_language("OK") is None
    assert detect_language("") is None


def test_detection_is_deterministic():
    text = "Una frase corta en español para la prueba de idioma"
    assert len({detect_language(text) for _ in range(5)}) == 1


def test_decomposed_vietnamese_counts_the_same_once_normalized():
    text = "Những tin mới hơn về kinh tế"
    nfd = unicodedata.normalize("NFD", text)
    assert vietnamese_share(unicodedata.normalize("NFC", nfd)) == vietnamese_share(text) > 0.5


@pytest.mark.parametrize(
    "text",
    [
        "Doanh nghiệp",
        "Di sản",
        "Thanh Hóa",
        "An sinh xã hội",
        "Tin theo khu vực",
        "VIFA EXPO 2026 quy tụ 650 doanh nghiệp và 2.500 gian hàng",
    ],
)
def test_short_vietnamese_menu_labels_and_headlines_are_vietnamese(text):
    assert quick_language(text) == "vi"


@pytest.mark.parametrize(
    "text", ["Prime Minister Phạm Minh Chính", "Café latte", "São Paulo", "Pokémon Go"]
)
def test_english_labels_with_accents_are_not_taken_for_vietnamese(text):
    assert quick_language(text) != "vi"


def test_a_vietnamese_menu_label_between_english_paragraphs_is_removed():
    from cleaners import clean_text

    english = "The ministry said exports grew strongly this year, according to its report."
    article = clean_text(f"{english}\nDoanh nghiệp\n{english} It added more detail.")
    assert "Doanh nghiệp" not in article.text
    assert len(article.paragraphs) == 2
