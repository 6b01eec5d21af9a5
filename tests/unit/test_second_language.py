from intake.i18n import second_language


def test_a_paper_carries_a_second_side_for_every_language_but_japanese_easy_japanese_included():
    assert [second_language(loc) for loc in (None, "", "ja", "ja_JP")] == [False] * 4
    assert [second_language(loc) for loc in ("ja@easy", "en", "vi", "zh_Hans", "pt_BR")] == [True] * 5
