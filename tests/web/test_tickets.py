"""Intake tickets: single use, expiry, the kiosk code field, walk-ins and claiming them by receipt code."""

from __future__ import annotations

import re
from datetime import timedelta

from conftest import in_office
from i18n_helpers import without_readings
from staff import make_office, new_case, sign_in, translated, walk_with_code
from walk import typical_answers, walk_forms

from intake.extensions import db
from intake.records import CaseIntake, Intake, Ticket, utcnow
from intake.web.common import office_today

USED = "This code has already been used. Please ask at the counter for a new one."


def _today(app):
    with app.test_request_context():
        return office_today()


def test_code_starts_an_intake_tied_to_the_case(app, client):
    make_office(app)
    sign_in(client, "cw")
    case_id, code = new_case(client)
    kiosk = app.test_client()
    response = kiosk.post("/kiosk/code", data={"code": code.lower().replace("-", " ")})
    assert response.status_code == 302 and response.headers["Location"].endswith("/kiosk/step")
    with in_office(app):
        link = db.session.scalar(db.select(CaseIntake))
        assert link.case_id == case_id and link.how == "ticket"
    assert 'data-status="at_kiosk"' in client.get("/caseworker/cases").get_data(as_text=True)


def test_a_code_works_once(app, client):
    make_office(app)
    sign_in(client, "cw")
    _, code = new_case(client)
    assert app.test_client().post("/kiosk/code", data={"code": code}).status_code == 302
    second = app.test_client().post("/kiosk/code", data={"code": code})
    assert second.status_code == 422
    assert translated(app, USED) in without_readings(second.get_data(as_text=True))
    with in_office(app):
        assert db.session.scalar(db.select(db.func.count(Intake.id))) == 1


def test_an_expired_code_starts_nothing(app, client):
    make_office(app)
    sign_in(client, "cw")
    _, code = new_case(client)
    with in_office(app):
        ticket = db.session.scalar(db.select(Ticket))
        ticket.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = app.test_client().post("/kiosk/code", data={"code": code})
    assert response.status_code == 422
    assert translated(app, "This code has expired. Please ask at the counter for a new one.") in without_readings(
        response.get_data(as_text=True)
    )
    with in_office(app):
        assert db.session.scalar(db.select(db.func.count(Intake.id))) == 0


def test_expiry_is_configurable(app, client):
    app.config["TICKET_VALID_DAYS"] = 2
    make_office(app)
    sign_in(client, "cw")
    new_case(client)
    with in_office(app):
        ticket = db.session.scalar(db.select(Ticket))
        lifetime = ticket.expires_at - ticket.created_at
    assert timedelta(days=1, hours=23) < lifetime <= timedelta(days=2, seconds=1)


def test_unknown_code(app):
    response = app.test_client().post("/kiosk/code", data={"code": "NOPE-NOPE"})
    assert response.status_code == 422
    assert translated(app, "This code is not known. Please check it, or ask at the counter.") in without_readings(
        response.get_data(as_text=True)
    )


def test_a_new_code_retires_the_old_one(app, client):
    make_office(app)
    sign_in(client, "cw")
    case_id, old = new_case(client)
    response = client.post(f"/caseworker/cases/{case_id}/tickets")
    assert response.status_code == 302
    assert app.test_client().post("/kiosk/code", data={"code": old}).status_code == 422


def test_ticket_slip_has_a_qr_code(app, client):
    make_office(app)
    sign_in(client, "cw")
    case_id, code = new_case(client)
    page = client.get(f"/caseworker/cases/{case_id}").get_data(as_text=True)
    slip_url = re.search(r'href="(/caseworker/cases/\d+/tickets/\d+)"', page).group(1)
    slip = client.get(slip_url).get_data(as_text=True)
    assert "<svg" in slip and code in slip


def test_the_kiosk_landing_has_a_code_field_and_prefills_from_the_qr_link(app):
    page = app.test_client().get("/kiosk/?code=ABCDE-23456").get_data(as_text=True)
    assert 'name="code"' in page and 'value="ABCDE-23456"' in page


def test_walk_in_can_be_switched_off(app):
    app.config["WALK_IN_ALLOWED"] = False
    kiosk = app.test_client()
    assert 'action="/kiosk/start"' not in kiosk.get("/kiosk/").get_data(as_text=True)
    kiosk.post("/kiosk/start", data={"locale": "ja"})
    with in_office(app):
        assert db.session.scalar(db.select(db.func.count(Intake.id))) == 0


def test_claiming_a_walk_in_by_receipt_code(app, client):
    make_office(app)
    kiosk = app.test_client()
    assert walk_forms(kiosk, typical_answers())[-1] == "done"
    with in_office(app):
        receipt = db.session.scalar(db.select(Intake.receipt_code))
    sign_in(client, "cw")
    waiting = client.get("/caseworker/walk-ins").get_data(as_text=True)
    assert receipt not in waiting  # codes are not listed: the recipient brings theirs
    case_id, _ = new_case(client, ticket=False)
    bad = client.post(f"/caseworker/cases/{case_id}/claim", data={"receipt_code": "WRONG123"})
    assert bad.status_code == 303
    response = client.post(f"/caseworker/cases/{case_id}/claim", data={"receipt_code": receipt.lower()})
    assert response.status_code == 302
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    assert "Work part-time in a job where I can sit" in page
    # Another caseworker cannot claim it again for their case.
    client.post("/caseworker/logout")
    sign_in(client, "cw2")
    other_id, _ = new_case(client, number="C-0001", ticket=False)
    client.post(f"/caseworker/cases/{other_id}/claim", data={"receipt_code": receipt})
    with in_office(app):
        assert db.session.scalar(db.select(CaseIntake.case_id)) == case_id


def test_walk_with_code_reaches_the_draft(app, client):
    make_office(app)
    sign_in(client, "cw")
    case_id, code = new_case(client)
    assert walk_with_code(app.test_client(), code, _today(app))[-1] == "done"
    page = client.get(f"/caseworker/cases/{case_id}").get_data(as_text=True)
    assert 'data-status="submitted"' in page


def test_walk_in_switched_off_also_closes_the_api(app):
    app.config["WALK_IN_ALLOWED"] = False
    response = app.test_client().post("/api/v1/intakes", json={"locale": "en"})
    assert response.status_code == 403 and response.json["error"]["code"] == "walk_in_disabled"
