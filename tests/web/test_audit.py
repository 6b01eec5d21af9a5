"""The audit log: views, edits, prints and exports are recorded, and rows cannot be changed or removed."""

from __future__ import annotations

import pytest
from conftest import in_office
from staff import make_office, new_case, sign_in, version_of, walk_with_code

from intake.extensions import db
from intake.records import AuditEntry, Immutable
from intake.web.common import office_today


def _actions(app, case_id=None):
    with in_office(app):
        query = db.select(AuditEntry.action, AuditEntry.detail).order_by(AuditEntry.id)
        if case_id:
            query = query.filter_by(case_id=case_id)
        return db.session.execute(query).all()


def test_views_edits_prints_and_exports_are_logged(app, client):
    make_office(app)
    sign_in(client, "cw")
    case_id, code = new_case(client)
    with app.test_request_context():
        today = office_today()
    walk_with_code(app.test_client(), code, today)
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    client.post(
        f"/caseworker/cases/{case_id}/plan",
        data={
            "part": "goal",
            "version": version_of(page),
            "goal_text": "新しい目標",
            "goal_shown": "",
            "goal_kind": "daily_life",
            "goal_date": page and "2099-01",
        },
    )
    client.post("/caseworker/logout")
    sign_in(client, "sv")
    client.get("/caseworker/office/report.csv")
    actions = [a for a, _ in _actions(app, case_id)]
    assert {"create", "ticket", "kiosk_start", "view", "edit"} <= set(actions)
    assert ("export",) in [(a,) for a, _ in _actions(app)]
    page = client.get(f"/caseworker/cases/{case_id}/audit").get_data(as_text=True)
    assert "新しい目標" in page  # the edit history shows what changed, in its own script


def test_audit_rows_cannot_be_changed_or_deleted(app, client):
    make_office(app)
    sign_in(client, "cw")
    new_case(client)
    with in_office(app):
        entry = db.session.scalar(db.select(AuditEntry))
        entry.detail = "rewritten"
        with pytest.raises(Immutable):
            db.session.commit()
        db.session.rollback()
        entry = db.session.scalar(db.select(AuditEntry))
        db.session.delete(entry)
        with pytest.raises(Immutable):
            db.session.commit()
        db.session.rollback()


def test_special_care_answers_only_for_the_caseworker_and_supervisor(app, client):
    make_office(app)
    sign_in(client, "cw")
    case_id, code = new_case(client)
    with app.test_request_context():
        today = office_today()
    walk_with_code(app.test_client(), code, today)
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    assert "special-care" in page
    for username, allowed in (("sv", True), ("sv2", False), ("cw2", False), ("admin", False)):
        client.post("/caseworker/logout")
        sign_in(client, username)
        response = client.get(f"/caseworker/cases/{case_id}/plan")
        assert (response.status_code == 200) is allowed, username
        assert ("special-care" in response.get_data(as_text=True)) is allowed
