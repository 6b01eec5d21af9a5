"""The API speaks the recipient's language for every error, with a stable code, and answers JSON under /api.

Vietnamese is the intake's language here: every message below must be the Vietnamese catalogue's text.
"""

from __future__ import annotations

import pytest
from conftest import in_office
from walk import typical_answers, walk_api

from intake.extensions import db
from intake.records import Intake

API = "/api/v1"


def vietnamese(app, source: str, **params) -> str:
    """What the Vietnamese catalogue says for an English source string."""
    from flask import g
    from flask_babel import gettext, refresh

    with app.test_request_context():
        g.locale = "vi"
        refresh()
        return gettext(source, **params)


def snapshot(app, token):
    with in_office(app):
        intake = db.session.scalar(db.select(Intake).filter_by(token=token))
        return intake.version, intake.state, intake.answers, intake.locale


@pytest.fixture
def vi_intake(csrf_app):
    client = csrf_app.test_client()
    data = client.post(f"{API}/intakes", json={"locale": "vi"}).get_json()
    return client, data


def test_an_unknown_field_is_named_in_the_recipients_language(csrf_app, vi_intake):
    client, data = vi_intake
    before = snapshot(csrf_app, data["token"])
    response = client.post(f"{API}/intakes/{data['token']}/answer", json={"step": "welcome", "foo": 1})
    error = response.get_json()["error"]
    assert response.status_code == 400 and error["code"] == "unknown_fields" and error["fields"] == ["foo"]
    assert error["message"] == vietnamese(
        csrf_app, "The request has fields this service does not know: %(fields)s.", fields="foo"
    )
    assert "foo" in error["message"] and "Unknown" not in error["message"]
    assert snapshot(csrf_app, data["token"]) == before


def test_a_missing_csrf_token_is_refused_in_the_recipients_language(csrf_app, vi_intake):
    client, data = vi_intake
    before = snapshot(csrf_app, data["token"])
    client.csrf_token = None
    plain = csrf_app.test_client()  # a client that does not send the token back
    response = plain.post(f"{API}/intakes/{data['token']}/answer", json={"step": "welcome"})
    error = response.get_json()["error"]
    assert response.status_code == 400 and error["code"] == "csrf_failed"
    assert error["message"] == vietnamese(
        csrf_app, "This page was open for too long or was sent twice. Please go back and try again."
    )
    assert "CSRF" not in error["message"]
    assert snapshot(csrf_app, data["token"]) == before


def test_a_body_too_large_is_refused_in_json_in_the_recipients_language(csrf_app, vi_intake):
    client, data = vi_intake
    huge = {"step": "welcome", "value": "x" * (csrf_app.config["MAX_CONTENT_LENGTH"] + 10)}
    response = client.post(f"{API}/intakes/{data['token']}/answer", json=huge)
    assert response.status_code == 413 and response.is_json
    error = response.get_json()["error"]
    assert error["code"] == "too_large"
    assert error["message"] == vietnamese(
        csrf_app, "What you sent is too long. Please shorten your answer and send it again."
    )


def test_an_address_or_method_the_api_lacks_answers_json(csrf_app):
    client = csrf_app.test_client()
    missing = client.get(f"{API}/nothing", headers={"Accept-Language": "vi"})
    assert missing.status_code == 404 and missing.is_json
    assert missing.get_json()["error"] == {
        "code": "not_found",
        "message": vietnamese(csrf_app, "There is nothing at this address."),
    }
    wrong = client.put(f"{API}/intakes", headers={"Accept-Language": "vi"})
    assert wrong.status_code == 405 and wrong.is_json
    assert wrong.get_json()["error"]["code"] == "method_not_allowed"
    assert "POST" in wrong.headers["Allow"]
    # Outside /api a missing page is still a page.
    assert not client.get("/kiosk/nothing-here").is_json


def test_the_rate_limit_on_start_speaks_the_language_asked_for(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_KIOSK_START="2 per minute")
    client = app.test_client()
    for _ in range(2):
        assert client.post(f"{API}/intakes", json={"locale": "vi"}).status_code == 201
    with in_office(app):
        count = db.session.query(Intake).count()
    refused = client.post(f"{API}/intakes", json={"locale": "vi"}, headers={"Accept-Language": "ja"})
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    error = refused.get_json()["error"]
    assert error["code"] == "too_many_requests"
    assert error["message"] == vietnamese(app, "Too many attempts. Please wait a minute and try again.")
    with in_office(app):
        assert db.session.query(Intake).count() == count


def test_an_exclusive_option_is_named_in_the_recipients_language(csrf_app):
    client = csrf_app.test_client()
    data = walk_api(client, typical_answers() | {"language": "vi"}, locale="vi", stop_at="strengths")
    response = client.post(
        f"{API}/intakes/{data['token']}/answer",
        json={"step": "strengths", "value": ["not_sure", "caring"]},
        headers={"X-CSRFToken": data["csrf_token"]},
    )
    assert response.status_code == 422
    message = response.get_json()["error"]["message"]
    with csrf_app.test_request_context():
        from flask import g
        from flask_babel import pgettext, refresh

        g.locale = "vi"
        refresh()
        label = pgettext("self_reliance:strengths:option:not_sure", "I am not sure yet")
    assert label != "I am not sure yet" and label in message
    assert "I am not sure yet" not in message


def test_a_finished_intake_refuses_in_the_recipients_language(csrf_app):
    client = csrf_app.test_client()
    data = walk_api(client, typical_answers() | {"language": "vi"}, locale="vi", stop_at="notice")
    ended = client.post(
        f"{API}/intakes/{data['token']}/answer",
        json={"step": "notice", "value": "no"},
        headers={"X-CSRFToken": data["csrf_token"]},
    ).get_json()
    assert ended["status"] == "declined"
    response = client.post(
        f"{API}/intakes/{data['token']}/answer",
        json={"step": ended["step"]["id"], "value": "yes"},
        headers={"X-CSRFToken": ended["csrf_token"]},
    )
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] in {"finished", "not_allowed"}
    assert error["message"] in {
        vietnamese(csrf_app, "These answers were already sent or ended. Nothing more can be changed here."),
        vietnamese(csrf_app, "This cannot be done at this step."),
    }
    assert "intake is finished" not in error["message"]


@pytest.mark.parametrize("bad", ["xx", "", "ja_XX@evil", 3])
def test_an_unknown_locale_is_refused_at_the_start_and_nothing_is_made(csrf_app, bad):
    client = csrf_app.test_client()
    with in_office(csrf_app):
        count = db.session.query(Intake).count()
    response = client.post(f"{API}/intakes", json={"locale": bad})
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "unknown_language"
    with in_office(csrf_app):
        assert db.session.query(Intake).count() == count


def test_the_contract_enumerates_locales_and_documents_every_refusal(csrf_app):
    document = csrf_app.test_client().get(f"{API}/openapi.json").get_json()
    paths = document["paths"]
    start = paths["/intakes"]["post"]
    offered = [code for code in csrf_app.config["LANGUAGES"] if code not in csrf_app.config["LANGUAGES_DRAFT"]]
    locale = start["requestBody"]["content"]["application/json"]["schema"]["properties"]["locale"]
    assert locale["enum"] == offered
    assert {"400", "413", "415", "422", "429"} <= set(start["responses"])
    language = paths["/intakes/{token}/language"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert language["properties"]["locale"]["enum"] == offered
    for path, operations in paths.items():
        for method, operation in operations.items():
            if method == "post" and path != "/intakes":
                assert {"400", "404", "409"} <= set(operation["responses"]), path
                assert "csrf_failed" in operation["responses"]["400"]["description"]
            if "requestBody" in operation:
                assert {"413", "415"} <= set(operation["responses"]), path
