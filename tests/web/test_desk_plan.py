"""A plan made at the desk, without the kiosk: every part typed by the caseworker, marked as their words."""

from __future__ import annotations

from datetime import date

from staff import make_office, new_case, sign_in, translated, version_of


def post(client, case_id, part, data):
    """One part of the worksheet's form (the page sends them all); `approve` is the approval."""
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    if part == "approve":
        return client.post(f"/caseworker/cases/{case_id}/plan/approve", data={"version": version_of(page), **data})
    return client.post(f"/caseworker/cases/{case_id}/plan", data={"version": version_of(page), "part": part, **data})


def test_a_plan_without_the_kiosk(app, client):
    make_office(app)
    app.config["OFFICE_TODAY"] = date(2026, 11, 26)
    sign_in(client, "cw")
    case_id, _ = new_case(client, ticket=False)
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    assert translated(app, "The plan has no goal.") in page  # the checklist before approval
    goal = {"goal_text": "毎朝8時に起きる", "goal_shown": "", "goal_kind": "daily_life", "goal_date": "2027-11"}
    assert post(client, case_id, "goal", goal).status_code == 303
    bad_actions = {"action-0-text": "散歩する", "action-0-date": "2028-01-10"}  # after the goal's target date
    assert post(client, case_id, "actions", bad_actions).status_code == 422
    actions = {"action-0-text": "朝に散歩する", "action-0-date": "2027-01-10"}
    assert post(client, case_id, "actions", actions).status_code == 303
    assert post(client, case_id, "programs", {"program": ["health_management"]}).status_code == 303
    assert post(client, case_id, "consent", {"consent": "yes", "consent_date": "2026-11-26"}).status_code == 303
    response = post(client, case_id, "approve", {"plan_date": "2026-11-26", "review_date": "2027-02-26"})
    assert response.status_code == 303
    sheet = client.get(f"/caseworker/cases/{case_id}/versions/1/print").get_data(as_text=True)
    assert "令和8年11月26日" in sheet and "毎朝8時に起きる" in sheet and "日常生活自立" in sheet
    assert "written-in" not in sheet  # the caseworker's own words are Japanese: nothing to mark


def test_a_future_plan_date_is_refused(app, client):
    make_office(app)
    app.config["OFFICE_TODAY"] = date(2026, 11, 26)
    sign_in(client, "cw")
    case_id, _ = new_case(client, ticket=False)
    response = post(client, case_id, "approve", {"plan_date": "2026-12-01", "review_date": "2027-02-26"})
    assert response.status_code == 422
