"""Who may use what: every role × every endpoint, allowed or denied, in two offices of one service.

The records (a case with its plan, an account) are office "main"'s. The roles named north_… are the
same roles at a second office, "north": they may use whatever their role may use, but another office's
case, draft, plan, print, PDF, export, audit and account do not exist for them (404, always).

To add an endpoint, add one row to ENDPOINTS naming the roles allowed; the last test fails for any
route of the app that has no row, so nothing new goes unchecked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from conftest import in_office
from staff import (
    approved_case,
    enrol_kiosk,
    make_office,
    make_second_office,
    sign_in,
)

from intake.extensions import db
from intake.records import Intake, IntakeStatus, Ticket, User
from intake.web.offices import KIOSK_COOKIE

# The staff are those of tests/staff.py's office: cw and cw2 in sv's team, sv2 with cw3, tr, admin.
# "caseworker" is cw, to whom the case is assigned; "supervisor" is sv, cw's supervisor.
ROLES = (
    "anonymous",
    "kiosk",
    "caseworker",
    "other_caseworker",
    "supervisor",
    "other_supervisor",
    "translator",
    "admin",
    "north_kiosk",
    "north_caseworker",
    "north_supervisor",
    "north_translator",
    "north_admin",
)
NORTH = "north_"
# Paths naming one of office main's records: never there for another office.
RECORD_FIELDS = ("{case_id}", "{user_id}", "{intake_id}", "{ticket_id}")
USERNAMES = {
    "caseworker": "cw",
    "other_caseworker": "cw2",
    "supervisor": "sv",
    "other_supervisor": "sv2",
    "translator": "tr",
    "admin": "admin",
    "north_caseworker": "n-cw",
    "north_supervisor": "n-sv",
    "north_translator": "n-tr",
    "north_admin": "n-admin",
}
EVERYONE = set(ROLES)
# With two offices, only a browser enrolled to one may start an intake (an unenrolled one is sent back).
ENROLLED = {"kiosk"}
CASE = {"caseworker", "supervisor"}  # the assigned caseworker and their supervisor, no one else
CASE_SUPERVISOR = {"supervisor"}  # the assigned caseworker's supervisor only: not the caseworker, not another team's
ADMIN = {"admin"}
CASE_STAFF = {"caseworker", "other_caseworker", "supervisor", "other_supervisor"}
REPORTS = {"supervisor", "other_supervisor", "admin"}
TRANSLATORS = {"translator", "admin"}
STAFF = CASE_STAFF | {"translator", "admin"}
C = "/caseworker/cases/{case_id}"
U = "/caseworker/office/users/{user_id}"
PR = "/caseworker/office/programs"


@dataclass(frozen=True)
class Endpoint:
    endpoint: str  # Flask's endpoint name
    method: str
    path: str  # {token}: the caller's own intake token (others get one that is not theirs); {case_id} …
    allowed: set[str]
    form: dict = field(default_factory=dict)
    json: dict | None = None
    redirects_to: str | None = None  # where an allowed request is sent, when that is the landing or login page


ENDPOINTS = [
    Endpoint("root.index", "GET", "/", EVERYONE, redirects_to="/kiosk/"),
    Endpoint("static", "GET", "/static/yorisoi.css", EVERYONE),
    Endpoint("favicon", "GET", "/favicon.ico", EVERYONE),
    Endpoint("health.health", "GET", "/healthz", EVERYONE),
    Endpoint("embed.demo", "GET", "/embed/demo", EVERYONE),
    # --- the kiosk: without an intake in the browser's session, its pages send you to the landing page
    Endpoint("kiosk.landing", "GET", "/kiosk/", EVERYONE),
    Endpoint("kiosk.start", "POST", "/kiosk/start", ENROLLED, form={"locale": "ja"}),
    Endpoint("kiosk.show_step", "GET", "/kiosk/step", {"kiosk"}),
    Endpoint("kiosk.answer_step", "POST", "/kiosk/step", {"kiosk"}, form={"step": "welcome"}),
    Endpoint("kiosk.back", "POST", "/kiosk/back", {"kiosk"}),
    Endpoint("kiosk.change", "POST", "/kiosk/change", {"kiosk"}, form={"step": "language"}),
    Endpoint(
        "kiosk.switch_language", "POST", "/kiosk/language", EVERYONE, form={"locale": "en"}, redirects_to="/kiosk/"
    ),
    Endpoint(
        "kiosk.set_display", "POST", "/kiosk/display", EVERYONE, form={"text_size": "large"}, redirects_to="/kiosk/"
    ),
    Endpoint("kiosk.resume", "GET", "/kiosk/resume", EVERYONE),
    Endpoint("kiosk.resume", "POST", "/kiosk/resume", EVERYONE, form={"code": "WRONG-CODE"}),
    Endpoint("kiosk_code.redeem", "POST", "/kiosk/code", ENROLLED, form={"code": "WRONG-CODE"}),
    Endpoint("kiosk_check_in.check_in", "POST", "/kiosk/check-in", ENROLLED, form={"card": "WRONG-CODE"}),
    # --- the JSON API: the intake's token is the capability; only the screen that started the intake has it
    Endpoint("api.openapi", "GET", "/api/v1/openapi.json", EVERYONE),
    Endpoint("api.start_intake", "POST", "/api/v1/intakes", ENROLLED, json={"locale": "ja"}),
    Endpoint("api.current_step", "GET", "/api/v1/intakes/{token}", {"kiosk"}),
    Endpoint("api.answer", "POST", "/api/v1/intakes/{token}/answer", {"kiosk"}, json={"step": "welcome"}),
    Endpoint("api.back", "POST", "/api/v1/intakes/{token}/back", {"kiosk"}),
    Endpoint("api.change", "POST", "/api/v1/intakes/{token}/change", {"kiosk"}, json={"step": "language"}),
    Endpoint("api.language", "POST", "/api/v1/intakes/{token}/language", {"kiosk"}, json={"locale": "en"}),
    Endpoint("api.submit", "POST", "/api/v1/intakes/{token}/submit", {"kiosk"}),
    # --- staff
    Endpoint("caseworker.login", "GET", "/caseworker/login", EVERYONE),
    Endpoint("caseworker.login", "POST", "/caseworker/login", EVERYONE, form={"username": "x", "password": "y"}),
    # The second step needs a password typed a moment ago in this browser: without one, back to the first.
    Endpoint("caseworker.sign_in_code", "GET", "/caseworker/login/code", EVERYONE, redirects_to="/caseworker/login"),
    Endpoint(
        "caseworker.sign_in_code", "POST", "/caseworker/login/code", EVERYONE, form={"code": "123456"},
        redirects_to="/caseworker/login",
    ),
    Endpoint("caseworker.enrol", "GET", "/caseworker/login/enrol", EVERYONE, redirects_to="/caseworker/login"),
    Endpoint(
        "caseworker.enrol", "POST", "/caseworker/login/enrol", EVERYONE, form={"code": "123456"},
        redirects_to="/caseworker/login",
    ),
    Endpoint("caseworker.change_password", "GET", "/caseworker/password", STAFF),
    Endpoint(
        "caseworker.change_password", "POST", "/caseworker/password", STAFF,
        form={"current_password": "wrong", "new_password": "x", "repeat_password": "x"},
    ),
    Endpoint("caseworker.home", "GET", "/caseworker/", CASE_STAFF | {"admin"}),
    Endpoint("caseworker.queue", "GET", "/caseworker/cases", CASE_STAFF),
    Endpoint("caseworker.new_case", "GET", "/caseworker/cases/new", CASE_STAFF),
    Endpoint("caseworker.new_case", "POST", "/caseworker/cases/new", CASE_STAFF, form={"case_number": ""}),
    Endpoint("caseworker.walk_ins", "GET", "/caseworker/walk-ins", CASE_STAFF),
    Endpoint("caseworker.case", "GET", C, CASE),
    Endpoint("caseworker.case_audit", "GET", C + "/audit", CASE),
    Endpoint("caseworker.case_records", "GET", C + "/records.json", CASE),
    Endpoint("caseworker.ticket", "GET", C + "/tickets/{ticket_id}", CASE),
    Endpoint("caseworker.draft", "GET", C + "/drafts/{intake_id}", CASE),
    Endpoint("caseworker.legacy_draft", "GET", "/caseworker/drafts/{intake_id}", CASE),
    Endpoint("caseworker.issue_ticket", "POST", C + "/tickets", CASE),
    Endpoint("caseworker.claim", "POST", C + "/claim", CASE, form={"code": "WRONG-CODE"}),
    Endpoint("plan.worksheet", "GET", C + "/plan", CASE),
    Endpoint("plan.save", "POST", C + "/plan", CASE, form={"version": "0", "part": "goal"}),
    Endpoint("plan.approve", "POST", C + "/plan/approve", CASE, form={"version": "0"}),
    Endpoint("plan.versions", "GET", C + "/versions", CASE),
    Endpoint("plan.plan", "GET", C + "/versions/1", CASE),
    Endpoint("printing.sheet", "GET", C + "/versions/1/print", CASE),
    Endpoint("printing.export", "GET", C + "/versions/1.json", CASE),
    Endpoint("printing.pdf", "GET", C + "/versions/1.pdf", CASE),
    # bulk printing: a ticked case of someone else's refuses the whole print; with none ticked, one's own due plans
    Endpoint("bulk.slips", "GET", "/caseworker/print/slips?case={case_id}", CASE),
    Endpoint("bulk.plans", "GET", "/caseworker/print/plans?case={case_id}", CASE),
    Endpoint("bulk.plans", "GET", "/caseworker/print/plans", CASE_STAFF),
    Endpoint("cards.card", "GET", C + "/versions/1/card", CASE),
    Endpoint("cards.card_pdf", "GET", C + "/versions/1/card.pdf", CASE),
    Endpoint("cards.reissue", "POST", C + "/versions/1/card/reissue", CASE),
    Endpoint("cards.bulk", "GET", "/caseworker/print/cards?case={case_id}", CASE),
    Endpoint("plan.sign_off", "POST", C + "/versions/1/sign-off", {"supervisor"}),
    Endpoint("review.periodic_review", "GET", C + "/review", CASE),
    Endpoint("review.periodic_review", "POST", C + "/review", CASE, form={"version": "0"}),
    Endpoint("plan.revise", "POST", C + "/plan/revise", CASE, form={"version": "0"}),
    # the case record: the approval's draft entry (a stale version: refused 409, nothing saved), its CSV
    Endpoint("case_record.record", "GET", C + "/record", CASE),
    Endpoint("case_record.save", "POST", C + "/record/1", CASE, form={"version": "0", "content": "x"}),
    Endpoint("case_record.export", "GET", C + "/record.csv", CASE),
    Endpoint("due.due_list", "GET", "/caseworker/due", CASE_STAFF),
    Endpoint("due.reminder", "GET", C + "/reminder", CASE),
    # to cw2, of the same team: the supervisor can still open the case for the rows below
    Endpoint("caseworker.reassign", "POST", C + "/reassign", CASE_SUPERVISOR, form={"caseworker": "cw2"}),
    Endpoint("caseworker.close", "GET", C + "/close", CASE),
    Endpoint("caseworker.close", "POST", C + "/close", CASE, form={"reason": "no such reason"}),
    Endpoint("caseworker.reopen", "POST", C + "/reopen", CASE_SUPERVISOR),
    Endpoint("office.report", "GET", "/caseworker/office/report", REPORTS),
    Endpoint("office.report_csv", "GET", "/caseworker/office/report.csv", REPORTS),
    Endpoint("office.audit_log", "GET", "/caseworker/office/audit", REPORTS),
    Endpoint("office.audit_csv", "GET", "/caseworker/office/audit.csv", REPORTS),
    Endpoint("counts.page", "GET", "/caseworker/office/counts/", REPORTS),
    Endpoint("counts.csv_export", "GET", "/caseworker/office/counts/counts.csv", REPORTS),
    Endpoint("counts.set_retention", "POST", "/caseworker/office/counts/retention", ADMIN, form={"months": "24"}),
    Endpoint("accounts.users", "GET", "/caseworker/office/users", ADMIN),
    Endpoint("accounts.create_user", "POST", "/caseworker/office/users", ADMIN, form={"username": ""}),
    Endpoint("accounts.account", "GET", U, ADMIN),
    Endpoint("accounts.update_user", "POST", U, ADMIN, form={"role": "no such role"}),
    Endpoint("accounts.set_password", "POST", U + "/password", ADMIN, form={"password": "short"}),
    Endpoint("accounts.reset_factor", "POST", U + "/factor/reset", ADMIN),
    Endpoint("accounts.end_sessions", "POST", U + "/sessions/end", ADMIN),
    Endpoint("accounts.move_cases", "POST", U + "/cases", ADMIN, form={"to": "cw"}),
    # the account (cw2, who has no cases and supervises no one) ends active again
    Endpoint("accounts.deactivate_user", "POST", U + "/deactivate", ADMIN),
    Endpoint("accounts.reactivate_user", "POST", U + "/reactivate", ADMIN),
    # the office's programs: a refused new one and edit (422), then one retired and offered again
    Endpoint("programs.index", "GET", PR + "/", ADMIN),
    Endpoint("programs.create", "POST", PR + "/", ADMIN, form={"id": ""}),
    Endpoint("programs.program", "GET", PR + "/qualifications", ADMIN),
    Endpoint("programs.update", "POST", PR + "/qualifications", ADMIN, form={"name": ""}),
    Endpoint("programs.retire", "POST", PR + "/qualifications/retire", ADMIN),
    Endpoint("programs.reinstate", "POST", PR + "/qualifications/reinstate", ADMIN),
    Endpoint("accounts.kiosks", "GET", "/caseworker/office/kiosks", ADMIN),
    Endpoint("accounts.new_kiosk_key", "POST", "/caseworker/office/kiosks/key", ADMIN),
    Endpoint("kiosk_enrolment.enrol", "GET", "/kiosk/enrol/not-a-real-enrolment", set()),
    # --- translators
    Endpoint("translator.index", "GET", "/translate/", TRANSLATORS),
    Endpoint("translator.preview", "GET", "/translate/ja/", TRANSLATORS),
    Endpoint("translator.walk", "POST", "/translate/ja/walk", TRANSLATORS),
    Endpoint("translator.kiosk_step", "GET", "/translate/vi/kiosk/self_reliance/goal_kind", TRANSLATORS),
    Endpoint("translator.open_screen", "GET", "/translate/screen?screen=self_reliance:welcome&locale=vi", TRANSLATORS),
    Endpoint("translator.readability_page", "GET", "/translate/ja@easy/readability", TRANSLATORS),
    Endpoint("translator.stops", "GET", "/translate/vi/stops", TRANSLATORS),
    Endpoint("translator.program_texts", "GET", "/translate/programs/en", TRANSLATORS),
    Endpoint("translator.save_program_texts", "POST", "/translate/programs/en", TRANSLATORS),
    # --- last: signing out ends the staff session (its cookie opens nothing after it) …
    Endpoint("caseworker.logout", "POST", "/caseworker/logout", EVERYONE, redirects_to="/caseworker/login"),
    # … and these end the kiosk session and retire the intake's token
    Endpoint("kiosk.reset", "POST", "/kiosk/reset", EVERYONE, redirects_to="/kiosk/"),
    Endpoint("kiosk.reset", "GET", "/kiosk/reset", EVERYONE, redirects_to="/kiosk/"),
    Endpoint("kiosk.quick_exit", "POST", "/kiosk/exit", EVERYONE, redirects_to="/kiosk/"),
    Endpoint("kiosk.finish", "POST", "/kiosk/finish", EVERYONE, redirects_to="/kiosk/"),
]


def denied(row: Endpoint, response) -> bool:
    """Refused: forbidden, not found (a token that is not yours), or sent to sign in / to the landing page."""
    if response.status_code in (403, 404):
        return True
    location = response.headers.get("Location", "").split("?")[0]
    if not 300 <= response.status_code < 400 or location == row.redirects_to:
        return False
    return location.startswith("/caseworker/login") or location == "/kiosk/"


def allowed(row: Endpoint, role: str) -> bool:
    if role.startswith(NORTH) and any(name in row.path for name in RECORD_FIELDS):
        return False
    return role.removeprefix(NORTH) in row.allowed


def walled(row: Endpoint, role: str) -> bool:
    """A record of the other office that this role could open in its own office: it must simply not exist (404)."""
    return (
        role.startswith(NORTH)
        and any(name in row.path for name in RECORD_FIELDS)
        and role.removeprefix(NORTH) in row.allowed
    )


@pytest.fixture
def world(app):
    """tests/staff.py's office; a case of cw's with a ticket, its intake walked at the kiosk, a plan approved; cw2's account."""
    make_office(app)
    make_second_office(app)
    staff = app.test_client()
    sign_in(staff, "cw")
    case_id = approved_case(app, staff, office="main")
    with in_office(app):
        ticket_id = db.session.scalar(db.select(Ticket.id).filter_by(case_id=case_id))
        intake_id = db.session.scalar(db.select(Ticket.intake_id).filter_by(id=ticket_id))
        user_id = db.session.scalar(db.select(User.id).filter_by(username="cw2"))
    return {"case_id": case_id, "ticket_id": ticket_id, "intake_id": intake_id, "user_id": user_id, "number": 1}


def signed_in(app, role: str) -> tuple[str | None, str]:
    """The session cookie and intake token a browser in this role holds."""
    client = app.test_client()
    token = "not-a-token-anyone-was-given"
    if role.endswith("kiosk"):
        enrol_kiosk(app, client, "north" if role.startswith(NORTH) else "main")
        client.post("/kiosk/start", data={"locale": "ja"})
        with in_office(app, "north" if role.startswith(NORTH) else "main"):
            token = db.session.scalar(
                db.select(Intake.token).filter_by(status=IntakeStatus.IN_PROGRESS).order_by(Intake.id.desc())
            )
    elif role != "anonymous":
        response = sign_in(client, USERNAMES[role])
        assert response.status_code == 302, role
    cookie = client.get_cookie("session")
    kiosk = client.get_cookie(KIOSK_COOKIE)
    return (cookie.value if cookie else None), (kiosk.value if kiosk else None), token


@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_allows_or_denies_this_role(app, world, role):
    cookie, kiosk, token = signed_in(app, role)
    wrong = []
    for row in ENDPOINTS:
        client = app.test_client()  # each row starts from the same signed-in browser
        if cookie:
            client.set_cookie("session", cookie)
        if kiosk:
            client.set_cookie(KIOSK_COOKIE, kiosk)
        path = row.path.format(token=token, **world)
        if row.method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, data=row.form or None, json=row.json)
        response.close()  # a static file is streamed from an open file
        if denied(row, response) != (not allowed(row, role)) or (walled(row, role) and response.status_code != 404):
            wrong.append(f"{row.method} {path}: {response.status_code} {response.headers.get('Location', '')}")
    assert not wrong, f"{role}: " + "; ".join(wrong)


def test_every_route_of_the_app_is_in_the_matrix(app):
    covered = {(row.endpoint, row.method) for row in ENDPOINTS}
    routes = {
        (rule.endpoint, method) for rule in app.url_map.iter_rules() for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    missing = sorted(routes - covered)
    assert not missing, f"add these to ENDPOINTS in tests/test_authorization.py: {missing}"
