"""Supervisor sign-off (決裁) where the office wants it; closed cases; the plan as JSON; drafts as sent."""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import in_office
from staff import approve_typical_plan, make_office, new_case, sign_in, translated, walk_with_code

from intake.extensions import db
from intake.records import Immutable, PlanVersion


@pytest.fixture
def approved(app, client):
    make_office(app)
    app.config["OFFICE_TODAY"] = date(2019, 5, 1)
    sign_in(client, "cw")
    case_id, code = new_case(client)
    walk_with_code(app.test_client(), code, date(2019, 5, 1))
    approve_typical_plan(client, case_id, date(2019, 5, 1), date(2019, 8, 1))
    return case_id


def test_sign_off_gates_printing_when_the_office_wants_it(app, client, approved):
    app.config["SUPERVISOR_SIGN_OFF"] = True
    assert 'data-status="awaiting_sign_off"' in client.get("/caseworker/cases").get_data(as_text=True)
    assert client.get(f"/caseworker/cases/{approved}/versions/1/print").status_code == 409
    assert client.post(f"/caseworker/cases/{approved}/versions/1/sign-off").status_code == 403  # not a supervisor
    client.post("/caseworker/logout")
    sign_in(client, "sv2")  # another team's supervisor
    assert client.post(f"/caseworker/cases/{approved}/versions/1/sign-off").status_code == 403
    client.post("/caseworker/logout")
    sign_in(client, "sv")
    assert client.post(f"/caseworker/cases/{approved}/versions/1/sign-off").status_code == 303
    assert client.post(f"/caseworker/cases/{approved}/versions/1/sign-off").status_code == 409  # once
    assert "signed-off" in client.get(f"/caseworker/cases/{approved}/versions/1").get_data(as_text=True)
    assert client.get(f"/caseworker/cases/{approved}/versions/1/print").status_code == 200


def test_an_approved_plan_cannot_change(app, approved):
    with in_office(app):
        plan = db.session.scalar(db.select(PlanVersion))
        plan.content = {**plan.content, "goal": {"text": "changed"}}
        with pytest.raises(Immutable):
            db.session.commit()
        db.session.rollback()


def test_plan_as_json_is_logged_as_an_export(app, client, approved):
    response = client.get(f"/caseworker/cases/{approved}/versions/1.json")
    assert response.status_code == 200 and response.json["version"] == 1
    assert response.json["plan"]["programs"][0]["id"] == "employment_support"
    audit = client.get(f"/caseworker/cases/{approved}/audit").get_data(as_text=True)
    assert "export" in audit


def test_closing_a_case(app, client, approved):
    assert client.post(f"/caseworker/cases/{approved}/close", data={"reason": "employment"}).status_code == 303
    assert 'data-status="closed"' in client.get("/caseworker/cases").get_data(as_text=True)
    client.post(f"/caseworker/cases/{approved}/tickets")
    page = client.get(f"/caseworker/cases/{approved}").get_data(as_text=True)
    assert translated(app, "This case is closed.") in page


def test_the_draft_as_sent_is_readable_by_the_caseworker_only(app, client, approved):
    page = client.get(f"/caseworker/cases/{approved}").get_data(as_text=True)
    draft_url = re.search(r'href="(/caseworker/cases/\d+/drafts/\d+)"', page).group(1)
    assert "Work part-time in a job where I can sit" in client.get(draft_url).get_data(as_text=True)
    client.post("/caseworker/logout")
    sign_in(client, "cw2")
    assert client.get(draft_url).status_code == 403
