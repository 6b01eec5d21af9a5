"""Hostile and broken requests: each gets a 4xx (never a 5xx) and changes nothing."""

from __future__ import annotations

import json

import pytest
from conftest import in_office
from walk import api_body, typical_answers

from intake.extensions import db
from intake.records import Intake


@pytest.fixture
def at_step(app, client):
    """An intake advanced to a given step; returns its token."""

    def advance(step_id: str) -> str:
        answers = typical_answers()
        data = client.post("/api/v1/intakes", json={}).get_json()
        while data["step"]["id"] != step_id:
            data = client.post(
                f"/api/v1/intakes/{data['token']}/answer", json=api_body(data["step"], answers)
            ).get_json()
        return data["token"]

    return advance


def state(app, token: str) -> tuple:
    with in_office(app):
        intake = db.session.scalar(db.select(Intake).filter_by(token=token))
        return intake.version, intake.state, json.dumps(intake.answers, sort_keys=True), intake.locale


def raw_post(client, url: str, data: bytes, content_type: str = "application/json"):
    return client.post(url, data=data, headers={"Content-Type": content_type})


# Each case: (step to stand on, raw body bytes, content type, expected status)
BODIES = {
    "oversized body": ("future_picture", b'{"step": "future_picture", "value": "' + b"a" * 300_000 + b'"}', "application/json", 413),
    "invalid UTF-8": ("future_picture", b'{"step": "future_picture", "value": "\xff\xfe\xc3"}', "application/json", 400),
    "truncated JSON": ("future_picture", b'{"step": "future_pic', "application/json", 400),
    "JSON array, not object": ("future_picture", b'["future_picture"]', "application/json", 400),
    "JSON string": ("future_picture", b'"hello"', "application/json", 400),
    "JSON null": ("future_picture", b"null", "application/json", 400),
    "deeply nested": ("future_picture", b'{"step": "future_picture", "value": ' + b"[" * 5000 + b"]" * 5000 + b"}", "application/json", 400),
    "form-encoded": ("future_picture", b"step=future_picture&value=hi", "application/x-www-form-urlencoded", 415),
    "text/plain": ("future_picture", b'{"step": "future_picture", "value": "hi"}', "text/plain", 415),
    "multipart": ("future_picture", b"--x\r\n\r\n--x--", "multipart/form-data; boundary=x", 415),
    "no content type": ("future_picture", b'{"step": "future_picture"}', "", 415),
    "unknown field": ("future_picture", b'{"step": "future_picture", "value": "hi", "admin": true}', "application/json", 400),
    "prototype pollution field": ("future_picture", b'{"step": "future_picture", "value": "hi", "__proto__": {}}', "application/json", 400),
    "step as a number": ("future_picture", b'{"step": 7, "value": "hi"}', "application/json", 400),
    "skip as a string": ("future_picture", b'{"step": "future_picture", "skip": "true"}', "application/json", 400),
    "NUL in text": ("future_picture", b'{"step": "future_picture", "value": "a\\u0000b"}', "application/json", 422),
    "escape sequence in text": ("future_picture", b'{"step": "future_picture", "value": "\\u001b[2J cleared"}', "application/json", 422),
    "bidi override in text": ("future_picture", '{"step": "future_picture", "value": "abc\u202edcba"}'.encode(), "application/json", 422),
    "bidi isolate in text": ("future_picture", '{"step": "future_picture", "value": "\u2067x\u2069"}'.encode(), "application/json", 422),
    "lone surrogate in text": ("future_picture", b'{"step": "future_picture", "value": "\\ud800"}', "application/json", 422),
    "text too long": ("future_picture", json.dumps({"step": "future_picture", "value": "長" * 5000}).encode(), "application/json", 422),
    "text as an object": ("future_picture", b'{"step": "future_picture", "value": {"$gt": ""}}', "application/json", 422),
    "huge list of choices": ("future_areas", json.dumps({"step": "future_areas", "value": ["work"] * 20000}).encode(), "application/json", 422),
    "unknown choice": ("future_areas", b'{"step": "future_areas", "value": ["work", "../../etc/passwd"]}', "application/json", 422),
    "choices with non-strings": ("future_areas", b'{"step": "future_areas", "value": ["work", 1, null, {}]}', "application/json", 422),
    "scale as huge number": ("feelings_now", b'{"step": "feelings_now", "value": 1e308}', "application/json", 422),
    "scale as infinity": ("feelings_now", b'{"step": "feelings_now", "value": Infinity}', "application/json", 422),
    "scale as NaN": ("feelings_now", b'{"step": "feelings_now", "value": NaN}', "application/json", 422),
    "scale as big integer": ("feelings_now", b'{"step": "feelings_now", "value": 123456789012345678901234567890}', "application/json", 422),
    "scale as boolean": ("feelings_now", b'{"step": "feelings_now", "value": true}', "application/json", 422),
    "month out of range": ("goal_date", b'{"step": "goal_date", "value": "9999-12"}', "application/json", 422),
    "month malformed": ("goal_date", b'{"step": "goal_date", "value": "2026-13"}', "application/json", 422),
    "huge list of actions": ("actions", json.dumps({"step": "actions", "value": [{"text": "x"}] * 10000}).encode(), "application/json", 422),
    "action with unknown field": ("actions", b'{"step": "actions", "value": [{"text": "Go", "date": "2026-01-01", "confidence": 5, "x": 1}]}', "application/json", 422),
    "action date malformed": ("actions", b'{"step": "actions", "value": [{"text": "Go to Hello Work", "date": "tomorrow", "confidence": 5}]}', "application/json", 422),
    "language not offered": ("language", b'{"step": "language", "value": "xx-\\u202e"}', "application/json", 422),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BODIES))
def test_a_hostile_answer_is_refused_and_changes_nothing(app, client, at_step, case):
    step_id, body, content_type, expected = BODIES[case]
    token = at_step(step_id)
    before = state(app, token)
    response = raw_post(client, f"/api/v1/intakes/{token}/answer", body, content_type)
    assert response.status_code == expected, response.get_data(as_text=True)[:500]
    assert response.is_json and response.get_json()["error"]["code"]
    assert state(app, token) == before


@pytest.mark.parametrize(
    "token",
    ["x" * 5000, "../../etc/passwd", "%00", "' OR '1'='1", "\u202e", "tök€n", "%ff%fe"],
)
def test_strange_tokens_are_not_found(client, token):
    assert client.get(f"/api/v1/intakes/{token}").status_code == 404
    response = client.post(f"/api/v1/intakes/{token}/answer", json={"step": "welcome"})
    assert response.status_code == 404  # "../" leaves the API's routes altogether: Flask's own 404


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"locale": 5}, 422),
        ({"locale": "zz"}, 422),  # a language the kiosk does not offer is refused, nothing started
        ({"locale": None}, 201),  # none given: the kiosk default
        ({"locale": "ja", "extra": 1}, 400),
        ([], 400),
    ],
)
def test_start_with_odd_bodies(app, client, body, expected):
    assert client.post("/api/v1/intakes", json=body).status_code == expected


def test_an_oversized_kiosk_form_is_refused(app, client):
    client.post("/kiosk/start", data={"locale": "ja"})
    response = client.post("/kiosk/step", data={"step": "welcome", "value": "a" * 400_000})
    assert response.status_code == 413
    with in_office(app):
        assert db.session.scalar(db.select(Intake.state)) == "welcome"


def test_kiosk_form_with_control_characters_is_refused_with_the_question_shown_again(app, client, at_step):
    client.post("/kiosk/start", data={"locale": "ja"})
    with in_office(app):
        intake = db.session.scalar(db.select(Intake))
        intake.state, intake.path = "future_picture", ["welcome", "future_picture"]
        db.session.commit()
    response = client.post(
        "/kiosk/step", data={"step": "future_picture", "value": "hello\u202eevil", "action": "continue"}
    )
    assert response.status_code == 422
    with in_office(app):
        assert "future_picture" not in db.session.scalar(db.select(Intake)).answers


def test_a_kiosk_form_with_invalid_utf8_does_not_fail(app, client):
    client.post("/kiosk/start", data={"locale": "ja"})
    response = client.post(
        "/kiosk/step",
        data=b"step=welcome&value=%ff%fe&action=continue",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code < 500


@pytest.mark.parametrize("username", ["a\x00b", "x" * 10_000, "\u202eadmin", "' OR 1=1 --", "{{ 7*7 }}"])
def test_strange_usernames_are_refused_without_an_error(client, username):
    response = client.post("/caseworker/login", data={"username": username, "password": "p\x00w"})
    assert response.status_code in (400, 401)  # PostgreSQL refuses NUL bytes outright: 400


def test_a_language_switch_with_a_list_is_refused(app, client, at_step):
    token = at_step("future_picture")
    response = client.post(f"/api/v1/intakes/{token}/language", json={"locale": ["ja"]})
    assert response.status_code == 422
