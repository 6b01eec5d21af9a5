"""Approval as the caseworker meets it: one form, one service call; the rules (the domain's) refuse with a message
beside the form as typed, and nothing is stored."""

from __future__ import annotations

from datetime import date

from conftest import in_office
from staff import make_office, new_case, sign_in, translated, version_of

from intake.extensions import db
from intake.records import PlanVersion


def approve(client, case_id, data):
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    return client.post(f"/caseworker/cases/{case_id}/plan/approve", data={"version": version_of(page), **data})


def test_a_revision_dated_before_the_version_it_revises_is_refused_with_the_form_kept(app, client):
    make_office(app)
    app.config["OFFICE_TODAY"] = date(2026, 11, 26)
    sign_in(client, "cw")
    case_id, _ = new_case(client, ticket=False)
    whole_plan = {
        "part": ["goal", "actions", "programs", "consent"],
        "goal_text": "毎朝8時に起きる",
        "goal_shown": "",
        "goal_kind": "daily_life",
        "goal_date": "2027-11",
        "action-0-text": "朝に散歩する",
        "action-0-date": "2027-01-10",
        "program": ["health_management"],
        "consent": "yes",
        "consent_date": "2026-11-01",
    }
    first = approve(client, case_id, {**whole_plan, "plan_date": "2026-11-20", "review_date": "2027-02-20"})
    assert first.status_code == 303
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    assert client.post(f"/caseworker/cases/{case_id}/plan/revise", data={"version": version_of(page)}).status_code == 303

    revision = {**whole_plan, "goal_text": "毎朝7時に起きる", "plan_date": "2026-11-10", "review_date": "2027-02-20"}
    refused = approve(client, case_id, revision)
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert translated(app, "The plan's date is before the previous version's date.") in text
    assert "毎朝7時に起きる" in text  # the form as typed
    with in_office(app):
        assert db.session.scalar(db.select(db.func.count(PlanVersion.id))) == 1
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    assert "毎朝7時に起きる" not in page  # the save that came with it was not stored either

    assert approve(client, case_id, {**revision, "plan_date": "2026-11-26"}).status_code == 303
    with in_office(app):
        assert db.session.scalar(db.select(db.func.count(PlanVersion.id))) == 2


def test_a_future_plan_date_is_refused_as_a_problem_of_the_form(app, client):
    make_office(app)
    app.config["OFFICE_TODAY"] = date(2026, 11, 26)
    sign_in(client, "cw")
    case_id, _ = new_case(client, ticket=False)
    refused = approve(client, case_id, {"plan_date": "2026-12-01", "review_date": "2027-02-26"})
    assert refused.status_code == 422
    assert translated(app, "The plan's date cannot be in the future.") in refused.get_data(as_text=True)
