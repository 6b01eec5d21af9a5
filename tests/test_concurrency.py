"""Idempotent steps in one process: a retry, a double submit, two tabs and many threads on one intake."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from conftest import in_office
from walk import api_body, typical_answers

from intake.extensions import db
from intake.records import Intake


def started(client) -> dict:
    return client.post("/api/v1/intakes", json={"locale": "ja"}).get_json()


def answer(client, data: dict, body: dict):
    return client.post(
        f"/api/v1/intakes/{data['token']}/answer", json=body, headers={"X-CSRFToken": data["csrf_token"]}
    )


def advance_to(client, data: dict, step_id: str) -> dict:
    answers = typical_answers()
    while data["step"]["id"] != step_id:
        data = answer(client, data, api_body(data["step"], answers)).get_json()
    return data


def record(app, token: str) -> Intake:
    with in_office(app):
        intake = db.session.scalar(db.select(Intake).filter_by(token=token))
        db.session.expunge(intake)
        return intake


def test_a_retried_answer_is_not_stored_twice_and_409_names_the_current_step(app, client):
    data = advance_to(client, started(client), "future_picture")
    body = {"step": "future_picture", "value": "I cook for my son."}
    first = answer(client, data, body)
    assert first.status_code == 200
    retry = answer(client, data, body)
    assert retry.status_code == 409
    error = retry.get_json()["error"]
    assert error["code"] == "stale_step"
    assert error["current"]["step"]["id"] == first.get_json()["step"]["id"] == "future_areas"
    assert error["current"]["step"]["options"], "the 409 carries the whole current step to render"
    intake = record(app, data["token"])
    assert intake.path.count("future_picture") == 1
    assert intake.answers["future_picture"] == "I cook for my son."


def test_a_second_tab_cannot_overwrite_an_answer_with_a_stale_one(app, client):
    data = advance_to(client, started(client), "future_picture")
    assert answer(client, data, {"step": "future_picture", "value": "Tab one's answer."}).status_code == 200
    stale = answer(client, data, {"step": "future_picture", "value": "Tab two's answer."})
    assert stale.status_code == 409
    assert record(app, data["token"]).answers["future_picture"] == "Tab one's answer."


def test_many_threads_answering_one_step_store_one_answer(app):
    setup = app.test_client()
    data = advance_to(setup, started(setup), "future_picture")
    before = record(app, data["token"])
    gate = threading.Barrier(8)

    def send(index: int) -> int:
        client = app.test_client()
        # Each thread is a tab of the same browser: same session cookie, same CSRF token.
        client.set_cookie("session", setup.get_cookie("session").value)
        gate.wait()
        return answer(client, data, {"step": "future_picture", "value": f"Answer from tab {index}."}).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = sorted(pool.map(send, range(8)))
    assert statuses == [200] + [409] * 7
    after = record(app, data["token"])
    assert after.version == before.version + 1
    assert after.path == before.path + ["future_areas"]
    assert after.answers["future_picture"].startswith("Answer from tab ")


def test_a_double_submitted_kiosk_form_stores_one_answer(app, client):
    client.post("/kiosk/start", data={"locale": "ja"})
    for step_id in ("welcome",):
        client.post("/kiosk/step", data={"step": step_id, "action": "continue"})
    first = client.post("/kiosk/step", data={"step": "language", "value": "en", "action": "continue"})
    second = client.post("/kiosk/step", data={"step": "language", "value": "ja", "action": "continue"})
    assert first.status_code == second.status_code == 302
    with in_office(app):
        intake = db.session.scalars(db.select(Intake)).one()
        assert intake.answers["language"] == "en"
        assert intake.path == ["welcome", "language", "notice"]


def test_back_and_an_answer_racing_leave_a_consistent_intake(app):
    setup = app.test_client()
    data = advance_to(setup, started(setup), "future_areas")
    gate = threading.Barrier(2)
    cookie = setup.get_cookie("session").value

    def go(move: str) -> int:
        client = app.test_client()
        client.set_cookie("session", cookie)
        gate.wait()
        if move == "back":
            return client.post(
                f"/api/v1/intakes/{data['token']}/back", headers={"X-CSRFToken": data["csrf_token"]}
            ).status_code
        return answer(client, data, {"step": "future_areas", "value": ["work"]}).status_code

    with ThreadPoolExecutor(2) as pool:
        statuses = sorted(pool.map(go, ("back", "answer")))
    assert 200 in statuses and set(statuses) <= {200, 409}
    intake = record(app, data["token"])
    assert intake.path[-1] == intake.state
    assert intake.state in {"future_picture", "strengths", "future_areas"}
