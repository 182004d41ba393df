"""Whole-word, diacritic-insensitive keyword matching: the one rule for themes and strategic technologies."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from nq57.taxonomy.matching import Text, is_acronym, mentions

# Vietnamese words with a syllable that folds to "ai" inside them, or that fold to "ai" themselves
AI_LOOKALIKES = ["tài chính", "đào tạo lại", "thái độ", "hải quan", "sai phạm", "cải cách", "lại", "mai sau",
                 "trái phiếu", "ngoài ra", "bài học", "không để ai bị bỏ lại phía sau", "TÀI CHÍNH", "HẢI QUAN"]


def test_ai_is_not_found_inside_tai_chinh_but_is_found_as_a_word():
    assert not mentions("Bộ Tài chính chủ trì xây dựng cơ chế tài chính", "AI")
    assert mentions("Ứng dụng AI trong quản lý thuế", "AI")
    assert mentions("Ứng dụng AI, dữ liệu lớn", "AI")
    assert mentions("(AI) và bản sao số", "AI")


@given(st.sampled_from(AI_LOOKALIKES), st.sampled_from(["", "Bộ ", "rà soát ", "1. "]),
       st.sampled_from(["", ".", " năm 2025"]))
def test_ai_never_matches_vietnamese_words_that_fold_to_ai(word, before, after):
    assert not mentions(f"{before}{word}{after}", "AI")


@given(st.sampled_from(["Ứng dụng", "Phát triển", "Đẩy mạnh"]), st.sampled_from(["trong y tế", "cho doanh nghiệp", ""]))
def test_ai_in_capitals_between_any_words_matches(before, after):
    assert mentions(f"{before} AI {after}", "AI")


def test_acronyms_are_keywords_in_capitals_only():
    assert is_acronym("AI") and is_acronym("5G") and is_acronym("UAV")
    assert not is_acronym("trí tuệ nhân tạo") and not is_acronym("AI chuyên ngành") and not is_acronym("IoT")
    assert not mentions("mạng 15G", "5G") and mentions("mạng 5G/6G", "5G")


PHRASES = ["trí tuệ nhân tạo", "phòng thí nghiệm", "đô thị thông minh", "khu công nghệ cao", "cơ chế, chính sách"]


@given(st.sampled_from(PHRASES), st.sampled_from(["NFC", "NFD"]), st.sampled_from([str.lower, str.upper, str.title]),
       st.sampled_from([" ", "  ", "\n"]))
def test_phrases_match_in_any_case_form_and_spacing(phrase, form, case, space):
    text = f"Phát triển{space}{case(phrase).replace(' ', space)}{space}trong năm 2025"
    assert mentions(unicodedata.normalize(form, text), phrase)
    # and the keyword itself may be written in any form
    assert mentions(text, unicodedata.normalize("NFD", phrase.upper()))


@given(st.sampled_from(PHRASES))
def test_a_phrase_does_not_match_part_of_a_longer_word_or_its_words_out_of_order(phrase):
    words = phrase.split()
    assert not mentions(f"xây dựng {phrase}x", phrase)
    assert not mentions(f"xây dựng x{phrase}", phrase)
    assert not mentions(" ".join(reversed(words)), phrase) or words == list(reversed(words))


def test_old_tone_mark_style_and_diacritic_free_text_match():
    assert mentions("Thủ tướng giao Uỷ ban quản lý khu công nghệ cao", "khu công nghệ cao")
    assert mentions("ung dung tri tue nhan tao", "trí tuệ nhân tạo")
    assert mentions("hòa bình", "hoà bình")


def test_empty_keywords_and_texts_never_match():
    assert not mentions("", "AI")
    assert not mentions("Ứng dụng AI", "")
    assert not mentions("Ứng dụng AI", "   ")
    assert not Text("Ứng dụng AI").mentions_any([None, "", 5])
    assert Text("Ứng dụng AI").mentions_any([["lồng"], {"a": 1}, "AI"])  # unhashable entries are skipped


def test_mentions_any_says_what_checking_each_keyword_says():
    keywords = ["AI", "5G", "trí tuệ nhân tạo", "chuyển đổi số", "", "IoT", "khu công nghệ cao"]
    texts = ["Ứng dụng AI trong y tế", "không để ai bị bỏ lại", "mạng 15G", "mạng 5G", "ung dung tri tue  nhan tao",
             "sửa đổi sở hữu", "Chuyển Đổi Số quốc gia", "iot", "Uỷ ban quản lý khu công nghệ cao", ""]
    for text in texts:
        for chosen in (keywords, keywords[:2], keywords[2:4], [], ["AI"], ["chuyển đổi số"]):
            assert Text(text).mentions_any(chosen) == any(mentions(text, k) for k in chosen), (text, chosen)


KEYWORD_POOL = ["AI", "5G", "IoT", "trí tuệ nhân tạo", "chuyển đổi số", "dữ liệu", "C++", "e-gov", "bán dẫn",
                "an ninh mạng", "số", "mạng 5G", "Đà Nẵng"]
WORD_POOL = ["AI", "ai", "5G", "15G", "trí", "tuệ", "nhân", "tạo", "tri", "tue", "chuyển", "đổi", "số", "so", "dữ",
             "liệu", "C++", "e-gov", "egov", "bán", "dẫn", "an", "ninh", "mạng", "Đà", "Nẵng", "da", "nang", "iot"]


@given(words=st.lists(st.tuples(st.sampled_from(WORD_POOL), st.sampled_from([" ", "  ", ", ", "-", "", "\n", "_"])),
                      max_size=12),
       chosen=st.lists(st.sampled_from(KEYWORD_POOL), max_size=5))
def test_mentions_any_answers_as_checking_each_keyword_whatever_the_separators(words, chosen):
    """``mentions_any`` looks keywords made of whole words up in the text's words (and searches the others): the
    answer is the one each keyword's own pattern gives, whatever the separators between the words."""
    text = "".join(w + sep for w, sep in words)
    assert Text(text).mentions_any(chosen) == any(mentions(text, k) for k in chosen), (text, chosen)
