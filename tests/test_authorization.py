"""Who may use what: every role × every endpoint, allowed or denied.

To add an endpoint, add one row to ENDPOINTS naming the roles allowed; the last test fails for any
route of the app that has no row, so nothing new goes unchecked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from walk import walk_api

from intake.extensions import db
from intake.models import Intake, IntakeStatus, User

ROLES = ("anonymous", "kiosk", "caseworker", "other_caseworker", "supervisor", "translator", "admin")
EVERYONE = set(ROLES)
STAFF_WITH_PLANS = {"caseworker", "other_caseworker", "supervisor", "admin"}  # no case assignment yet
TRANSLATORS = {"translator", "admin"}
PASSWORD = "matrix-password-1"


@dataclass(frozen=True)
class Endpoint:
    endpoint: str  # Flask's endpoint name
    method: str
    path: str  # {token}: the caller's own intake token (others get one that is not theirs); {intake_id}
    allowed: set[str]
    form: dict = field(default_factory=dict)
    json: dict | None = None
    redirects_to: str | None = None  # where an allowed request is sent, when that is the landing or login page


ENDPOINTS = [
    Endpoint("root.index", "GET", "/", EVERYONE, redirects_to="/kiosk/"),
    Endpoint("static", "GET", "/static/yorisoi.css", EVERYONE),
    Endpoint("health.health", "GET", "/healthz", EVERYONE),
    Endpoint("kiosk.landing", "GET", "/kiosk/", EVERYONE),
    Endpoint("kiosk.start", "POST", "/kiosk/start", EVERYONE, form={"locale": "ja"}),
    # Without an intake in the browser's session, the kiosk pages send you to the landing page.
    Endpoint("kiosk.show_step", "GET", "/kiosk/step", {"kiosk"}),
    Endpoint("kiosk.answer_step", "POST", "/kiosk/step", {"kiosk"}, form={"step": "welcome"}),
    Endpoint("kiosk.back", "POST", "/kiosk/back", {"kiosk"}),
    Endpoint("kiosk.change", "POST", "/kiosk/change", {"kiosk"}, form={"step": "language"}),
    Endpoint(
        "kiosk.switch_language", "POST", "/kiosk/language", EVERYONE, form={"locale": "en"}, redirects_to="/kiosk/"
    ),
    Endpoint("kiosk.furigana", "POST", "/kiosk/furigana", EVERYONE, form={"show": "1"}, redirects_to="/kiosk/"),
    Endpoint("kiosk.finish", "POST", "/kiosk/finish", EVERYONE, redirects_to="/kiosk/"),
    Endpoint("api.openapi", "GET", "/api/v1/openapi.json", EVERYONE),
    Endpoint("api.start_intake", "POST", "/api/v1/intakes", EVERYONE, json={"locale": "ja"}),
    # The intake's token is the capability: only the screen that started the intake has it.
    Endpoint("api.current_step", "GET", "/api/v1/intakes/{token}", {"kiosk"}),
    Endpoint("api.answer", "POST", "/api/v1/intakes/{token}/answer", {"kiosk"}, json={"step": "welcome"}),
    Endpoint("api.back", "POST", "/api/v1/intakes/{token}/back", {"kiosk"}),
    Endpoint("api.change", "POST", "/api/v1/intakes/{token}/change", {"kiosk"}, json={"step": "language"}),
    Endpoint("api.language", "POST", "/api/v1/intakes/{token}/language", {"kiosk"}, json={"locale": "en"}),
    Endpoint("api.submit", "POST", "/api/v1/intakes/{token}/submit", {"kiosk"}),
    Endpoint("caseworker.login", "GET", "/caseworker/login", EVERYONE),
    Endpoint("caseworker.login", "POST", "/caseworker/login", EVERYONE, form={"username": "x", "password": "y"}),
    Endpoint("caseworker.logout", "POST", "/caseworker/logout", EVERYONE, redirects_to="/caseworker/login"),
    Endpoint("caseworker.drafts", "GET", "/caseworker/", STAFF_WITH_PLANS),
    Endpoint("caseworker.draft", "GET", "/caseworker/drafts/{intake_id}", STAFF_WITH_PLANS),
    Endpoint("translator.index", "GET", "/translate/", TRANSLATORS),
    Endpoint("translator.preview", "GET", "/translate/ja/", TRANSLATORS),
    Endpoint("translator.walk", "POST", "/translate/ja/walk", TRANSLATORS),
]


def denied(row: Endpoint, response) -> bool:
    """Refused: forbidden, not found (a token that is not yours), or sent to sign in / to the landing page."""
    if response.status_code in (403, 404):
        return True
    location = response.headers.get("Location", "").split("?")[0]
    if response.status_code != 302 or location == row.redirects_to:
        return False
    return location.startswith("/caseworker/login") or location == "/kiosk/"


@pytest.fixture
def world(app):
    """One user per staff role, a submitted intake, and a kiosk browser with an intake in progress."""
    with app.app_context():
        for role in ("caseworker", "other_caseworker", "supervisor", "translator", "admin"):
            user = User(username=role, display_name=role, role=role.removeprefix("other_"))
            user.set_password(PASSWORD)
            db.session.add(user)
        db.session.commit()
    submitted = walk_api(app.test_client())
    with app.app_context():
        intake_id = db.session.scalar(db.select(Intake.id).filter_by(token=submitted["token"]))
    return {"intake_id": intake_id}


def signed_in(app, role: str) -> tuple[str | None, str]:
    """The session cookie and intake token a browser in this role holds."""
    client = app.test_client()
    token = "not-a-token-anyone-was-given"
    if role == "kiosk":
        client.post("/kiosk/start", data={"locale": "ja"})
        with app.app_context():
            token = db.session.scalar(
                db.select(Intake.token).filter_by(status=IntakeStatus.IN_PROGRESS).order_by(Intake.id.desc())
            )
    elif role != "anonymous":
        response = client.post("/caseworker/login", data={"username": role, "password": PASSWORD})
        assert response.status_code == 302, role
    cookie = client.get_cookie("session")
    return (cookie.value if cookie else None), token


@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_allows_or_denies_this_role(app, world, role):
    cookie, token = signed_in(app, role)
    wrong = []
    for row in ENDPOINTS:
        client = app.test_client()  # each row starts from the same signed-in browser
        if cookie:
            client.set_cookie("session", cookie)
        path = row.path.format(token=token, intake_id=world["intake_id"])
        if row.method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, data=row.form or None, json=row.json)
        response.close()  # a static file is streamed from an open file
        if denied(row, response) != (role not in row.allowed):
            wrong.append(f"{row.method} {path}: {response.status_code} {response.headers.get('Location', '')}")
    assert not wrong, f"{role}: " + "; ".join(wrong)


def test_every_route_of_the_app_is_in_the_matrix(app):
    covered = {(row.endpoint, row.method) for row in ENDPOINTS}
    routes = {
        (rule.endpoint, method) for rule in app.url_map.iter_rules() for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    missing = sorted(routes - covered)
    assert not missing, f"add these to ENDPOINTS in tests/test_authorization.py: {missing}"
