"""Every shipped language over HTTP with JavaScript off: whole walks, switching mid-dialogue, fallbacks, dates."""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import in_office
from flask import g
from i18n_helpers import TRANSLATIONS, shipped_locales, without_readings, write_catalogue
from walk import typical_answers, walk_forms
from werkzeug.datastructures import MultiDict

from intake.config import Defaults
from intake.i18n import bcp47, catalogues, format_day, header_locale
from intake.records import Intake

OWN_NAMES = {
    "ja": "日本語",
    "ja@easy": "やさしい日本語",
    "en": "English",
    "zh_Hans": "简体中文",
    "ko": "한국어",
    "fil": "Tagalog",
    "pt_BR": "Português",
    "vi": "Tiếng Việt",
    "es": "Español",
    "ne": "नेपाली",
    "id": "Bahasa Indonesia",
}


def test_eleven_languages_each_by_its_own_name():
    assert Defaults.LANGUAGES == OWN_NAMES


def _welcome_translation(locale: str) -> str | None:
    """The first prompt as the catalogue translates it (None while it is untranslated)."""
    path = catalogues.po_path(TRANSLATIONS, locale)
    if not path.exists():
        return None
    message = catalogues.read(path).get(
        "Hello, and welcome. Here you can think about your life now and what you hope for. "
        "Your answers become a draft of your self-reliance plan. Your caseworker will go over the draft with you.",
        context="self_reliance:welcome",
    )
    return message.string if message is not None and message.string and not message.fuzzy else None


@pytest.mark.parametrize("locale", shipped_locales())
def test_whole_dialogue_in_every_shipped_language(app, client, locale):
    answers = typical_answers() | {"language": locale}
    client.post("/kiosk/start", data={"locale": locale})
    first = client.get("/kiosk/step").get_data(as_text=True)
    assert f'<html lang="{bcp47(locale)}"' in first
    expected = _welcome_translation(locale)
    if expected:
        first_sentence = re.split(r"(?<=[。.!?])\s*", expected)[0]
        assert first_sentence[:12] in without_readings(first)
    client.post("/kiosk/finish")
    shown = walk_forms(client, answers, locale=locale)
    assert shown[-1] == "done"
    with in_office(app):
        intake = Intake.query.order_by(Intake.id.desc()).first()
        assert intake.locale == locale
        assert intake.status == "submitted"
        assert intake.answers["future_picture"] == answers["future_picture"]


def test_switching_language_mid_dialogue_keeps_every_answer(app, client):
    client.post("/kiosk/start", data={"locale": "ja"})
    answers = typical_answers()
    # Up to the strengths question, in Japanese.
    for step_id, data in [
        ("welcome", {}),
        ("language", {"value": "ja"}),
        ("notice", {"value": "yes"}),
        ("future_picture", {"value": answers["future_picture"]}),
    ]:
        response = client.post("/kiosk/step", data={"step": step_id, "action": "continue", **data})
        assert response.status_code == 302, (step_id, response.get_data(as_text=True)[:500])
    client.post("/kiosk/step", data=MultiDict([("step", "future_areas"), ("value", "work"), ("value", "health")]))
    with in_office(app):
        before = dict(Intake.query.one().answers)
        state = Intake.query.one().state
    assert client.post("/kiosk/language", data={"locale": "ko"}).status_code == 302
    page = client.get("/kiosk/step").get_data(as_text=True)
    assert '<html lang="ko"' in page
    assert answers["future_picture"] in page  # the conversation so far re-renders, answers included
    with in_office(app):
        intake = Intake.query.one()
        after = dict(intake.answers)
        assert intake.locale == "ko" and intake.state == state
    # The display changes; every answer stays, the preferred language given at the language step included.
    assert after == before and after["language"] == "ja"
    # …and back to Easy Japanese, then on to the end with nothing lost.
    client.post("/kiosk/language", data={"locale": "ja@easy"})
    assert "やさしい日本語" in client.get("/kiosk/step").get_data(as_text=True)
    shown = walk_forms_from_here(client, answers)
    assert shown[-1] == "done"
    with in_office(app):
        final = Intake.query.one()
        assert final.answers["future_picture"] == answers["future_picture"]
        assert final.answers["future_areas"] == ["work", "health"]
        assert final.locale == "ja@easy"


def walk_forms_from_here(client, answers):
    """walk_forms without starting a new intake."""
    original = client.post

    def post(url, *args, **kwargs):
        if url == "/kiosk/start":
            return None
        return original(url, *args, **kwargs)

    client.post = post
    try:
        return walk_forms(client, answers | {"language": "ja@easy"}, locale="ja@easy")
    finally:
        client.post = original


@pytest.mark.parametrize("bad", ["xx", "../../etc/passwd", "ja_XX@evil", "", "zh_Hant"])
def test_unknown_locale_in_url_or_form_falls_back_cleanly(app, client, bad):
    page = client.get("/kiosk/", query_string={"lang": bad})
    assert page.status_code == 200
    assert f'<html lang="{bcp47(Defaults.KIOSK_DEFAULT_LOCALE)}"' in page.get_data(as_text=True)
    if not bad:  # no language chosen: the kiosk's default
        assert client.post("/kiosk/start", data={"locale": bad}).status_code == 302
        with in_office(app):
            assert Intake.query.order_by(Intake.id.desc()).first().locale == Defaults.KIOSK_DEFAULT_LOCALE
        return
    # A language the kiosk does not offer is refused, in the page's language, and nothing starts.
    with in_office(app):
        count = Intake.query.count()
    refused = client.post("/kiosk/start", data={"locale": bad})
    assert refused.status_code == 422
    assert "一覧から言語を選んでください。" in without_readings(refused.get_data(as_text=True))
    with in_office(app):
        assert Intake.query.count() == count


@pytest.mark.parametrize("bad", ["xx", "../../etc/passwd", "ja_XX@evil", "zh_Hant"])
def test_an_unknown_language_posted_mid_intake_is_refused_and_changes_nothing(app, client, bad):
    """A Vietnamese intake stays Vietnamese: the refusal is in Vietnamese, and the answers and locale stay."""
    assert client.post("/kiosk/start", data={"locale": "vi"}).status_code == 302
    with in_office(app):
        before = Intake.query.order_by(Intake.id.desc()).first()
        before = (before.locale, before.version, before.answers)
    refused = client.post("/kiosk/language", data={"locale": bad})
    assert refused.status_code == 422
    assert "Vui lòng chọn một ngôn ngữ trong danh sách." in refused.get_data(as_text=True)
    with in_office(app):
        after = Intake.query.order_by(Intake.id.desc()).first()
        assert (after.locale, after.version, after.answers) == before
    assert client.get("/kiosk/step").status_code == 200


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ko-KR,ko;q=0.9", "ko"),
        ("zh-CN", "zh_Hans"),
        ("zh-TW", "zh_Hans"),  # the only Chinese we have is still better than the default
        ("tl", "fil"),
        ("pt-PT", "pt_BR"),
        ("ne-NP", "ne"),
        ("xx-YY, *;q=0.1", None),
        ("garbage;;;", None),
    ],
)
def test_accept_language_header(app, header, expected):
    with app.test_request_context(headers={"Accept-Language": header}):
        from flask import request

        assert header_locale(request.accept_languages, Defaults.LANGUAGES) == expected
    page = app.test_client().get("/kiosk/", headers={"Accept-Language": header})
    assert f'<html lang="{bcp47(expected or Defaults.KIOSK_DEFAULT_LOCALE)}"' in page.get_data(as_text=True)


def test_missing_translation_falls_back_to_english_and_easy_japanese_to_japanese(tmp_path):
    from intake import create_app

    write_catalogue(tmp_path, "ko", {"Start": "시작", "Back": ""})
    write_catalogue(tmp_path, "ja", {"Start": "はじめる", "Back": "戻る"})
    write_catalogue(tmp_path, "ja@easy", {"Back": "もどる"})
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "BABEL_TRANSLATION_DIRECTORIES": str(tmp_path)}
    )
    from flask_babel import gettext, refresh

    with app.test_request_context():
        for locale, expected in [
            ("ko", {"Start": "시작", "Back": "Back", "Finish": "Finish"}),
            ("ja@easy", {"Start": "はじめる", "Back": "もどる", "Finish": "Finish"}),
            ("ja", {"Start": "はじめる", "Back": "戻る", "Finish": "Finish"}),
        ]:
            g.locale = locale
            refresh()
            assert {msgid: gettext(msgid) for msgid in expected} == expected


@pytest.mark.parametrize("locale", list(Defaults.LANGUAGES))
def test_dates_and_numbers_follow_the_locale(app, locale):
    day = date(2026, 12, 3)
    with app.test_request_context():
        g.locale = locale
        long_date, month = format_day(day), format_day("2026-12", "month")
        from flask_babel import format_decimal

        number = format_decimal(1234.5)
    assert "2026" in long_date and "2026" in month
    expected = {
        "ja": ("2026年12月3日", "2026年12月", "1,234.5"),
        "ja@easy": ("2026年12月3日", "2026年12月", "1,234.5"),
        "en": ("December 3, 2026", "December 2026", "1,234.5"),
        "zh_Hans": ("2026年12月3日", "2026年12月", "1,234.5"),
        "ko": ("2026년 12월 3일", "2026년 12월", "1,234.5"),
        "pt_BR": ("3 de dezembro de 2026", "dezembro de 2026", "1.234,5"),
        "es": ("3 de diciembre de 2026", "diciembre de 2026", "1.234,5"),
        "vi": ("3 tháng 12, 2026", "tháng 12 năm 2026", "1.234,5"),
        "id": ("3 Desember 2026", "Desember 2026", "1.234,5"),
        "fil": ("Disyembre 3, 2026", "Disyembre 2026", "1,234.5"),
        "ne": ("2026 डिसेम्बर 3", "2026 डिसेम्बर", "1,234.5"),
    }[locale]
    assert (long_date, month, number) == expected


def test_a_broken_translation_shows_english_never_an_error_page(tmp_path):
    """`check` fails such a catalogue in CI; if one reaches a kiosk anyway, the page still works."""
    from intake import create_app
    from intake.extensions import db

    write_catalogue(
        tmp_path,
        "ko",
        {
            "Section %(number)s of %(total)s": "%(total)s 중 %(number) 섹션",  # the type letter is gone
            "Continue": "계속",
        },
    )
    app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "BABEL_TRANSLATION_DIRECTORIES": str(tmp_path),
        }
    )
    with app.app_context():
        db.create_all()
    client = app.test_client()
    client.post("/kiosk/start", data={"locale": "ko"})
    page = client.get("/kiosk/step")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Section 1 of " in html and "계속" in html


@pytest.mark.parametrize(
    ("locale", "one", "two"),
    [
        ("en", "Please write at least 1 step.", "Please write at least 2 steps."),
        ("es", "Escriba al menos 1 paso.", "Escriba al menos 2 pasos."),
        ("ja", "取組を1つ以上書いてください。", "取組を2つ以上書いてください。"),
    ],
)
def test_a_message_with_a_count_takes_the_plural_form_of_the_number(app, locale, one, two):
    from flask import g
    from flask_babel import refresh

    from intake.domain.answers import AnswerProblem
    from intake.i18n import problem_text

    def problem(count):
        singular, plural = "Please write at least %(min)s step.", "Please write at least %(min)s steps."
        return AnswerProblem("too_few_items", singular, {"min": count}, plural=plural, count="min")

    with app.test_request_context():
        g.locale = locale
        refresh()
        assert (problem_text(problem(1)), problem_text(problem(2))) == (one, two)
