"""Fuzz the JSON API from its own OpenAPI document (schemathesis): no 5xx, and answers as documented.

Half the generated cases use the token of a real intake, so the fuzzer reaches the answer code
and not only the 404 for an unknown token. CSRF is on, as in production: each case is sent in the
session (cookie) that started the intake, with the X-CSRFToken header that session was given.
"""

from __future__ import annotations

import pytest
import schemathesis
from conftest import in_office
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import ignored_auth, positive_data_acceptance

from intake.extensions import db
from intake.records import Intake

MAX_EXAMPLES = 80


OPERATIONS = [
    "POST /intakes",
    "GET /intakes/{token}",
    "POST /intakes/{token}/answer",
    "POST /intakes/{token}/back",
    "POST /intakes/{token}/change",
    "POST /intakes/{token}/language",
    "POST /intakes/{token}/submit",
]


def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def app(csrf_app):
    """The API as in production: CSRF on, the token sent back in X-CSRFToken."""
    return csrf_app


def test_every_documented_operation_is_fuzzed(app):
    assert [result.ok().label for result in api_schema(app).get_all_operations()] == OPERATIONS


# Negative cases need an input that can be invalid: a path token alone is any string.
CASES = [(label, GenerationMode.POSITIVE) for label in OPERATIONS] + [
    (label, GenerationMode.NEGATIVE)
    for label in OPERATIONS
    if label.startswith("POST") and not label.endswith(("back", "submit"))
]


@pytest.mark.parametrize("label, mode", CASES, ids=lambda value: getattr(value, "value", value))
def test_the_api_never_fails_and_answers_as_documented(app, label, mode):
    operation = api_schema(app).find_operation_by_label(label)

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def fuzz(case):
        token = (case.path_parameters or {}).get("token")
        before = None
        # A real session (its cookie holds the CSRF secret); a plain client, so only this test adds the header.
        session = FlaskClient(app, app.response_class, use_cookies=True)
        started = session.post("/api/v1/intakes", json={"locale": "ja"}).get_json()
        if token is not None and len(token) % 2 == 0:
            case.path_parameters["token"] = started["token"]
            before = _snapshot(app, started["token"])
        # A schema-valid answer may still be wrong for the dialogue (not the current step, not an
        # offered language): 409/422 are right there, so "valid data accepted" is not checked.
        # The CSRF token is not authentication (the intake's token is the capability): a write without
        # it is refused with 400 csrf_failed as documented (tests/test_security.py), not the 401/403
        # schemathesis' "ignored auth" check wants, so that check is left out.
        # A negative case may be the header itself left out: then it goes without, and must be refused.
        left_out = mode == GenerationMode.NEGATIVE and "X-CSRFToken" not in (case.headers or {})
        csrf = {} if left_out else {"X-CSRFToken": started["csrf_token"]}
        # schemathesis' WSGI transport asks for compressed bodies but does not decompress them: ask for none.
        response = case.call_and_validate(
            session=session,
            headers={**csrf, "Accept-Encoding": "identity"},
            excluded_checks=[positive_data_acceptance, ignored_auth],
        )
        if csrf and case.operation.path != "/intakes" and response.status_code == 400:
            # Sent with the session's own token, a write is never refused for CSRF.
            assert response.json()["error"]["code"] != "csrf_failed", response.text
        if before is not None and response.status_code >= 400:
            assert _snapshot(app, case.path_parameters["token"]) == before, "a refused request changed the intake"

    fuzz()


def _snapshot(app, token: str):
    with in_office(app):
        intake = db.session.scalar(db.select(Intake).filter_by(token=token))
        return intake.version, intake.state, intake.answers, intake.locale
