"""The resume page speaks the language chosen on the welcome screen, with its furigana, and stays put
when the language or the display is changed there; a skipped answer is not shown as "prefer not to say"."""

from __future__ import annotations

from staff import translated


def test_the_resume_link_carries_the_language_and_the_page_shows_it_with_furigana(app, client):
    landing = client.get("/kiosk/?lang=ja@easy").get_data(as_text=True)
    assert 'href="/kiosk/resume?lang=ja%40easy"' in landing or 'href="/kiosk/resume?lang=ja@easy"' in landing
    page = client.get("/kiosk/resume?lang=ja@easy").get_data(as_text=True)
    assert '<html lang="ja"' in page
    assert "<ruby>" in page  # Easy Japanese shows furigana
    assert 'name="lang" value="ja@easy"' in page


def test_a_wrong_code_is_refused_in_the_chosen_language(app, client):
    response = client.post("/kiosk/resume", data={"code": "ZZZZ-ZZZZ", "lang": "es"})
    assert response.status_code == 422
    message = translated(app, "We could not find an unfinished plan with this code. Please check the code.", "es")
    assert message in response.get_data(as_text=True)
    assert message != "We could not find an unfinished plan with this code. Please check the code."


def test_switching_language_or_furigana_on_the_resume_page_stays_on_it(app, client):
    page = client.get("/kiosk/resume?lang=ja").get_data(as_text=True)
    assert 'name="return" value="resume"' in page
    switched = client.post("/kiosk/language", data={"locale": "vi", "return": "resume"})
    assert switched.status_code == 302 and switched.headers["Location"].endswith("/kiosk/resume?lang=vi")
    assert '<html lang="vi"' in client.get(switched.headers["Location"]).get_data(as_text=True)
    shown = client.post("/kiosk/display", data={"locale": "ja", "furigana": "on", "return": "resume"})
    assert shown.headers["Location"].endswith("/kiosk/resume?lang=ja")
    assert "<ruby>" in client.get(shown.headers["Location"]).get_data(as_text=True)
    # Elsewhere, as before: back to the welcome screen.
    assert client.post("/kiosk/language", data={"locale": "vi"}).headers["Location"].endswith("/kiosk/?lang=vi")


def test_skipped_and_prefer_not_to_say_are_told_apart(app):
    from flask_babel import force_locale

    from intake.i18n import answer_text
    from intake.web.common import intake_engine

    answers = {"health_now": None, "strengths_own": None}
    with app.test_request_context(), force_locale("es"):
        engine = intake_engine()
        sensitive = answer_text(engine, engine.step("health_now"), answers)
        optional = answer_text(engine, engine.step("strengths_own"), answers)
    assert sensitive == translated(app, "Skipped (prefer not to say)", "es")
    assert optional == translated(app, "Skipped", "es")
    assert sensitive != optional and optional != "Skipped"
