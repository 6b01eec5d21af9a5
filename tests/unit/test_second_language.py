from intake.i18n import second_language


def test_a_paper_carries_a_second_side_only_for_a_language_other_than_japanese():
    assert [second_language(loc) for loc in (None, "", "ja", "ja@easy", "ja_JP")] == [False] * 5
    assert [second_language(loc) for loc in ("en", "vi", "zh_Hans", "pt_BR")] == [True] * 4
