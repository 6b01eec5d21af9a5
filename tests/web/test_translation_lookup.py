"""A request keeps the catalogue it found for its first string; changing language or turning staff looks again."""

from flask import g
from flask_babel import force_locale, gettext, refresh

from intake.i18n import use_staff_catalogue

LANGUAGE_LIST = "Please choose a language from the list."  # recipients' catalogue
GOAL_MISSING = "Please write the goal."  # staff catalogue only


def test_a_new_language_in_the_same_request_is_looked_up_again(app):
    with app.test_request_context("/"):
        g.locale = "ja"
        refresh()
        assert gettext(LANGUAGE_LIST) == "一覧から言語を選んでください。"
        g.locale = "es"
        refresh()  # what a view does after choosing the intake's language
        assert gettext(LANGUAGE_LIST) == "Elija un idioma de la lista."
        with force_locale("ja"):
            assert gettext(LANGUAGE_LIST) == "一覧から言語を選んでください。"
        assert gettext(LANGUAGE_LIST) == "Elija un idioma de la lista."


def test_a_page_that_turns_out_to_be_staff_reads_the_staff_catalogue(app):
    with app.test_request_context("/"):
        g.locale = "ja"
        refresh()
        assert gettext(GOAL_MISSING) == GOAL_MISSING  # not a recipient string
        use_staff_catalogue()
        assert gettext(GOAL_MISSING) == "目標を入力してください。"
        assert gettext(LANGUAGE_LIST) == "一覧から言語を選んでください。"  # shared strings still found
