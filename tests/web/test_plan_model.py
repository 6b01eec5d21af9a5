"""What reaches the caseworker is what the recipient meant: dependent answers, languages, a final record."""

from __future__ import annotations

import pytest
from conftest import in_office
from i18n_helpers import without_readings
from walk import typical_answers, walk_api, walk_forms

from intake.extensions import db
from intake.records import DraftPlan, Intake

API = "/api/v1"
SUGGESTED = typical_answers() | {"language": "en", "goal_pick": "steady_job"}


@pytest.fixture
def api_client(csrf_app):
    """The API as in production: every write after the start carries the CSRF token."""
    return csrf_app.test_client()


def post(client, data: dict, path: str, body: dict | None = None):
    return client.post(f"{API}/intakes/{data['token']}/{path}", json=body, headers={"X-CSRFToken": data["csrf_token"]})


def test_a_changed_goal_kind_asks_for_the_goal_again_and_the_check_page_shows_no_ids(api_client):
    client = api_client
    at_check = walk_api(client, SUGGESTED, locale="en", stop_at="check")
    opened = post(client, at_check, "change", {"step": "goal_kind"}).get_json()
    assert opened["step"]["id"] == "goal_kind"
    asked = post(client, opened, "answer", {"step": "goal_kind", "value": "daily_life"}).get_json()
    assert asked["step"]["id"] == "goal_pick"  # not the check page: the work goal no longer fits
    offered = [o["id"] for o in asked["step"]["options"]]
    assert "steady_job" not in offered and asked["step"]["answer"] is None
    back_at_check = post(client, asked, "answer", {"step": "goal_pick", "value": offered[0]}).get_json()
    assert back_at_check["step"]["kind"] == "check"
    shown = {row["step"]: row["answer"] for row in back_at_check["step"]["answers"]}
    assert shown["goal_kind"] == "Health and daily life"
    raw_ids = {"steady_job", "daily_life", offered[0]}
    assert not any(text in raw_ids for text in shown.values() if isinstance(text, str))


def test_words_are_labelled_with_the_language_they_were_written_in(app, client):
    client.post("/kiosk/start", data={"locale": "vi"})
    vietnamese = {"language": "vi", "notice": "yes", "future_picture": "Tôi muốn đi làm vài giờ mỗi ngày."}
    with pytest.raises(AssertionError, match="did not finish"):  # stops after the words written in Vietnamese
        walk_forms(client, vietnamese, locale="vi", started=True, max_screens=4)
    # The recipient switches to English part-way and writes the rest in English.
    client.post("/kiosk/language", data={"locale": "en"})
    walk_forms(client, typical_answers() | {"language": "vi"}, locale="en", started=True)
    with in_office(app):
        intake = db.session.scalars(db.select(Intake)).one()
        content = db.session.scalars(db.select(DraftPlan)).one().content
        assert intake.locale == "en"
    assert content["preferred_language"] == "vi"  # the language step's answer survives the switch
    assert content["future"]["picture"] == {"text": vietnamese["future_picture"], "language": "vi"}
    assert content["goal"]["own"]["language"] == "en"
    assert {a["language"] for a in content["actions"]} == {"en"}


def test_after_submit_no_write_changes_the_record(csrf_app, api_client):
    app, client = csrf_app, api_client
    done = walk_api(client, SUGGESTED, locale="en")
    assert done["status"] == "submitted"
    with in_office(app):
        before = db.session.scalars(db.select(Intake)).one()
        snapshot = (before.locale, dict(before.answers), before.version, before.state)
    for path, body in (
        ("language", {"locale": "ja"}),
        ("answer", {"step": "done"}),
        ("back", None),
        ("change", {"step": "goal_kind"}),
        ("submit", None),
    ):
        response = post(client, done, path, body)
        assert response.status_code == 409, path
        error = response.get_json()["error"]
        assert error["code"] == "finished" and "already sent" in error["message"]
    with in_office(app):
        after = db.session.scalars(db.select(Intake)).one()
        assert (after.locale, dict(after.answers), after.version, after.state) == snapshot


def test_the_kiosk_done_page_changes_its_language_but_never_the_record(app, client):
    walk_forms(client, typical_answers() | {"language": "en"}, locale="en")
    with in_office(app):
        snapshot = db.session.scalars(db.select(Intake)).one().version
    switched = client.post("/kiosk/language", data={"locale": "ja"}, follow_redirects=True)
    assert switched.status_code == 200 and 'lang="ja"' in switched.get_data(as_text=True)
    refused = client.post("/kiosk/back")
    assert refused.status_code == 409
    shown = without_readings(refused.get_data(as_text=True))
    assert "変更できません" in shown or "cannot be changed" in shown
    with in_office(app):
        intake = db.session.scalars(db.select(Intake)).one()
        assert intake.locale == "en" and intake.version == snapshot
