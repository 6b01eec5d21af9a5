"""The translator's pages: who may open them, every step on one page, and a preview walk that sends nothing."""

from __future__ import annotations

import pytest
from walk import typical_answers, walk_forms

from intake.config import ROOT
from intake.domain.dialogue import load_dialogue
from intake.extensions import db
from intake.records import DraftPlan, Intake, User


def _user(app, role: str) -> None:
    with app.app_context():
        user = User(username=f"{role}-1", display_name=f"A {role}", role=role)
        user.set_password("pass-word-123")
        db.session.add(user)
        db.session.commit()


def _login(client, role: str, next_url: str = "/translate/"):
    return client.post(
        f"/caseworker/login?next={next_url}", data={"username": f"{role}-1", "password": "pass-word-123"}
    )


@pytest.fixture
def translator(app, client):
    _user(app, "translator")
    response = _login(client, "translator")
    assert response.headers["Location"] == "/translate/"
    return client


def test_sign_in_needed_and_translator_role_required(app, client):
    assert client.get("/translate/").headers["Location"].startswith("/caseworker/login?next=")
    _user(app, "caseworker")
    _login(client, "caseworker")
    assert client.get("/translate/").status_code == 403
    assert client.get("/translate/ko/").status_code == 403


def test_login_next_must_stay_on_this_site(app, client):
    _user(app, "translator")
    assert _login(client, "translator", "//evil.example/").headers["Location"] == "/translate/"


def test_a_translator_cannot_read_drafts(translator):
    assert translator.get("/caseworker/").status_code == 403
    assert translator.get("/caseworker/drafts/1").status_code == 403


def test_index_lists_every_language_with_progress(translator):
    page = translator.get("/translate/").get_data(as_text=True)
    for code in ("ja", "ja@easy", "zh_Hans", "ko", "fil", "pt_BR", "vi", "es", "ne", "id", "en"):
        assert f"<code>{code}</code>" in page
    assert "Walk the kiosk" in page


def test_preview_shows_every_step_source_and_translation_side_by_side(translator):
    page = translator.get("/translate/ko/").get_data(as_text=True)
    dialogue = load_dialogue(ROOT / "dialogues" / "self_reliance.yaml")
    for step in dialogue.steps.values():
        if step.prompt:
            assert f'data-context="{dialogue.context(step.id)}"' in page, step.id
            assert f"Step {step.id}" in page
    assert '<td lang="ko">' in page and '<td lang="en">' in page
    assert "취업 지원" in page  # a Korean translation, beside "Employment support"


@pytest.mark.parametrize("locale", ["ko", "ja@easy"])
def test_preview_has_no_duplicate_ids(translator, locale):
    """Two dialogues share step ids ('welcome'): each section still gets an id of its own (valid HTML)."""
    from collections import Counter
    from html.parser import HTMLParser

    ids = Counter()

    class Ids(HTMLParser):
        def handle_starttag(self, tag, attrs):
            ids.update(value for name, value in attrs if name == "id")

    Ids().feed(translator.get(f"/translate/{locale}/").get_data(as_text=True))
    assert ids and [name for name, count in ids.items() if count > 1] == []


def test_preview_of_an_unknown_locale_is_404(translator):
    assert translator.get("/translate/xx/").status_code == 404


def test_preview_walk_goes_to_the_end_but_is_never_sent_or_listed(app, translator):
    response = translator.post("/translate/ko/walk")
    assert response.headers["Location"] == "/kiosk/step"
    page = translator.get("/kiosk/step").get_data(as_text=True)
    assert "Translator preview" in page and '<html lang="ko"' in page
    original = translator.post

    def post(url, *args, **kwargs):  # walk_forms starts an intake: keep the preview one instead
        return None if url == "/kiosk/start" else original(url, *args, **kwargs)

    translator.post = post
    try:
        shown = walk_forms(translator, typical_answers() | {"language": "ko"}, locale="ko")
    finally:
        translator.post = original
    assert shown[-1] == "done"
    with app.app_context():
        intake = Intake.query.one()
        assert intake.status == "preview" and intake.locale == "ko"
        assert DraftPlan.query.count() == 0
    _user(app, "caseworker")
    caseworker = app.test_client()
    _login(caseworker, "caseworker", "/caseworker/")
    assert intake.receipt_code not in caseworker.get("/caseworker/").get_data(as_text=True)
