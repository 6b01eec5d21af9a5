"""Search keys fold the ways staff type a name, reading or case number into one form."""

import pytest

from intake.domain.search import FIELD_SEPARATOR, case_search_key, search_key


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("高橋健太", "高橋 健太"),
        ("高橋　健太", "高橋 健太"),  # an ideographic space
        ("タカハシ", "たかはし"),
        ("ﾀｶﾊｼ", "たかはし"),
        ("たかはし", "タカハシ ケンタ"),
        ("Ｒ８－１２０１", "r8-1201"),
        ("R8ー1201", "r8-1201"),  # a long-vowel mark typed for the hyphen
        ("r81201", "R8-1201"),
        ("ｽﾐｽ", "ジョン・スミス"),
    ],
)
def test_what_staff_type_folds_into_the_stored_field(typed, stored):
    assert search_key(typed) in search_key(stored)


def test_a_long_vowel_mark_inside_a_kana_word_is_kept():
    assert search_key("ターナー") == "たーなー"
    assert search_key("たな") not in search_key("ターナー")


def test_different_names_stay_different():
    assert search_key("高橋") not in search_key("高畑 健太")
    assert search_key("r8-1202") not in search_key("R8-1201")


def test_a_match_never_spans_two_fields():
    key = case_search_key("R8-1201", "高橋 健太", "たかはし けんた")
    assert FIELD_SEPARATOR not in search_key("1201 高橋")
    assert search_key("1201高橋") not in key
    assert search_key("健太") in key
