"""The JSON API: a whole walk, and every kind of bad input answered with a 4xx that changes nothing."""

import pytest
import sqlalchemy as sa
from conftest import in_office
from databases import statements_run
from walk import api_body, typical_answers, walk_api

from intake.extensions import db
from intake.records import DraftPlan, Intake

API = "/api/v1"


@pytest.fixture
def app(csrf_app):
    """The API as in production: every write after the start carries the CSRF token."""
    return csrf_app


def start(client, locale="en") -> dict:
    response = client.post(f"{API}/intakes", json={"locale": locale})
    assert response.status_code == 201
    return response.get_json()


def answer(client, token, step, value=None, **flags):
    return client.post(f"{API}/intakes/{token}/answer", json={"step": step, "value": value, **flags})


def walk_en(client, stop_at=None) -> dict:
    """The typical walk in English, to the done step or to `stop_at`."""
    return walk_api(client, typical_answers() | {"language": "en"}, locale="en", stop_at=stop_at)


def stored(app, token) -> Intake:
    with in_office(app):
        return db.session.scalars(db.select(Intake).filter_by(token=token)).one()


def test_a_whole_walk_through_the_api(app, client):
    at_handover = walk_en(client, stop_at="handover")
    response = client.post(f"{API}/intakes/{at_handover['token']}/submit")
    assert response.status_code == 200
    done = response.get_json()
    assert done["status"] == "submitted" and done["receipt_code"] == stored(app, done["token"]).receipt_code
    with in_office(app):
        plan = db.session.scalars(db.select(DraftPlan)).one().content
    assert plan["goal"]["own"] == {"text": typical_answers()["goal_own"], "language": "en"}
    assert len(plan["actions"]) == 2


def test_a_sent_intakes_token_alone_never_gives_out_its_receipt_code(app, client):
    """The screen that sent it is told the code; anyone else holding the token (without that screen's cookie) is not."""
    at_handover = walk_en(client, stop_at="handover")
    token = at_handover["token"]
    sent = client.post(f"{API}/intakes/{token}/submit").get_json()
    code = stored(app, token).receipt_code
    assert sent["receipt_code"] == code
    stranger = app.test_client()  # the token, without the cookie of the screen that sent it
    response = stranger.get(f"{API}/intakes/{token}")
    assert response.status_code == 200 and response.get_json()["status"] == "submitted"
    assert "receipt_code" not in response.get_json() and code not in response.get_data(as_text=True)
    refused = stranger.post(f"{API}/intakes/{token}/submit")
    assert refused.status_code == 409 and code not in refused.get_data(as_text=True)
    answered = stranger.post(f"{API}/intakes/{token}/answer", json={"step": "done", "value": "x"})
    assert code not in answered.get_data(as_text=True)


def test_the_current_step_carries_section_progress_and_options(client):
    state = walk_en(client, stop_at="future_areas")
    assert state["section"] == {"number": 3, "total": 8, "title": "The future you hope for"}
    assert {"work", "health", "japanese"} <= {o["id"] for o in state["step"]["options"]}
    assert state["can_go_back"] is True


def test_back_and_change(client):
    state = walk_en(client, stop_at="check")
    token = state["token"]
    assert any(a["step"] == "goal_own" for a in state["step"]["answers"])
    changed = client.post(f"{API}/intakes/{token}/change", json={"step": "goal_date"}).get_json()
    assert changed["step"]["id"] == "goal_date"
    again = answer(client, token, "goal_date", typical_answers()["goal_date"]).get_json()
    assert again["step"]["id"] == "check"
    assert client.post(f"{API}/intakes/{token}/back").get_json()["step"]["id"] == "goal_date"


@pytest.mark.parametrize(
    ("stop_at", "body", "status", "code"),
    [
        ("future_areas", {"step": "future_areas", "value": ["nonsense"]}, 422, "invalid_answer"),
        ("future_picture", {"step": "future_picture", "value": "x" * 501}, 422, "invalid_answer"),
        ("goal_date", {"step": "goal_date", "value": "1999-01"}, 422, "invalid_answer"),
        ("future_areas", {"step": "goal_kind", "value": "economic"}, 409, "stale_step"),
        ("future_areas", {"step": "no_such_step", "value": "x"}, 409, "stale_step"),
        ("future_areas", {"step": "future_areas", "value": ["work"], "colour": "red"}, 400, "unknown_fields"),
        ("future_areas", {"value": ["work"]}, 400, "missing_step"),
        ("future_areas", {"step": "future_areas", "value": ["work"], "skip": "yes"}, 400, "invalid_flag"),
        ("future_areas", {"step": "future_areas", "skip": True}, 422, "invalid_answer"),
        ("future_areas", {"step": "future_areas", "value": ["work"] * 10_000}, 422, "invalid_answer"),
    ],
    ids=[
        "unknown-option",
        "text-too-long",
        "date-out-of-range",
        "not-current-step",
        "unknown-step",
        "unknown-field",
        "no-step",
        "bad-flag",
        "skip-not-allowed",
        "huge-list",
    ],
)
def test_bad_answers_get_a_4xx_and_change_nothing(app, client, stop_at, body, status, code):
    token = walk_en(client, stop_at=stop_at)["token"]
    before = stored(app, token)
    response = client.post(f"{API}/intakes/{token}/answer", json=body)
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]
    after = stored(app, token)
    assert (after.state, after.answers, after.version) == (before.state, before.answers, before.version)


def test_malformed_json_and_wrong_content_type(app, client):
    token = start(client)["token"]
    before = stored(app, token)
    malformed = client.post(f"{API}/intakes/{token}/answer", data="{not json", content_type="application/json")
    assert malformed.status_code == 400 and malformed.get_json()["error"]["code"] == "malformed_json"
    form = client.post(f"{API}/intakes/{token}/answer", data={"step": "welcome"})
    assert form.status_code == 415 and form.get_json()["error"]["code"] == "not_json"
    assert stored(app, token).version == before.version


def test_an_unknown_token_is_404(client):
    response = client.get(f"{API}/intakes/not-a-token")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_declining_consent_ends_without_a_plan(app, client):
    token = walk_en(client, stop_at="notice")["token"]
    ended = answer(client, token, "notice", "no").get_json()
    assert ended["status"] == "declined" and ended["step"]["kind"] == "end"
    assert stored(app, token).consent_at is None


def test_submit_before_the_check_page_is_refused(client):
    token = walk_en(client, stop_at="future_areas")["token"]
    response = client.post(f"{API}/intakes/{token}/submit")
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "not_ready"


def test_errors_speak_the_recipients_language(client):
    token = walk_en(client, stop_at="future_areas")["token"]
    english = answer(client, token, "future_areas", ["nonsense"]).get_json()["error"]["message"]
    assert english == "Please choose from the answers shown."


def test_the_openapi_document_describes_every_route(client):
    document = client.get(f"{API}/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert {
        "/intakes",
        "/intakes/{token}",
        "/intakes/{token}/answer",
        "/intakes/{token}/back",
        "/intakes/{token}/change",
        "/intakes/{token}/language",
        "/intakes/{token}/submit",
    } <= set(document["paths"])


def test_an_answer_writes_no_indexed_column_so_postgresql_updates_the_row_in_place(app, client):
    """An index on a column every answer changes (updated_at once had one) keeps PostgreSQL from updating an intake
    in place (HOT): each answer would then write into every index of the table. A whole walk, Back included."""
    with in_office(app):
        table = sa.inspect(db.engine)
        indexed = {c for index in table.get_indexes("intakes") for c in index["column_names"]}
        indexed |= {c for unique in table.get_unique_constraints("intakes") for c in unique["column_names"]}
        indexed |= set(table.get_pk_constraint("intakes")["constrained_columns"])
    with statements_run(app) as run:
        data = walk_en(client, stop_at="future_picture")
        assert client.post(f"{API}/intakes/{data['token']}/back", json={}).status_code == 200
        walk_en(client)
    written = {
        assignment.split("=")[0].strip()
        for statement in run
        if statement.startswith("UPDATE intakes SET ")
        for assignment in statement.removeprefix("UPDATE intakes SET ").split(" WHERE ")[0].split(", ")
    }
    assert {"answers", "path", "state", "updated_at", "version"} <= written
    assert written & indexed == set(), f"an answer writes indexed columns: {written & indexed}"
    assert "updated_at" not in indexed and "created_at" in indexed  # the purge's index (retention.py)


def test_an_answer_takes_four_statements(app, client):
    """A kiosk step reads its office (with its program catalogue's version, and on PostgreSQL the office for the walls),
    reads the intake, writes it back, and adds to the office's anonymous step counts: nothing more, on every step but
    the last (which files the draft plan).

    The fourth statement is new with the step counts (issue 25, "where people stop"): ONE upsert
    (INSERT … ON CONFLICT DO UPDATE) of every cell the answer touches (how the step was left, its time bucket, the
    step reached), in the answer's own transaction. It was three before; at most one more is allowed."""
    data = start(client, "ja")
    answers = typical_answers()
    counts = []
    while data["step"]["kind"] not in {"done", "end"}:
        with statements_run(app) as run:
            data = client.post(f"{API}/intakes/{data['token']}/answer", json=api_body(data["step"], answers)).get_json()
        counts.append([" ".join(statement.split()[0:4]) for statement in run])
    assert len(counts) > 20
    for step in counts[:-1]:
        assert len(step) == 4, step
        assert step[0].startswith("SELECT offices.id") and step[1].startswith("SELECT intakes.id"), step
        assert step[2].startswith("UPDATE intakes SET"), step
        assert step[3].startswith("INSERT INTO step_counts"), step
