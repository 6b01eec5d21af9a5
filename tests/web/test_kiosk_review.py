"""The recipient prepares the review (見直し) at the kiosk from a review ticket; it pre-fills the caseworker's form."""

from __future__ import annotations

import re
from datetime import date

from conftest import in_office
from staff import approve_typical_plan, make_office, new_case, sign_in, translated, walk_with_code
from walk import REVIEW_ANSWERS, walk_forms

from intake.extensions import db
from intake.records import CaseIntake, Intake


def test_review_at_the_kiosk_prefills_the_review_form(app, client):
    make_office(app)
    app.config["OFFICE_TODAY"] = date(2019, 5, 1)
    sign_in(client, "cw")
    case_id, code = new_case(client, language="en")
    walk_with_code(app.test_client(), code, date(2019, 5, 1), locale="en")
    # A review code cannot be issued before there is a plan.
    assert client.post(f"/caseworker/cases/{case_id}/tickets", data={"purpose": "review"}).status_code == 302
    approve_typical_plan(client, case_id, date(2019, 5, 1), date(2019, 8, 1))

    app.config["OFFICE_TODAY"] = date(2019, 8, 1)
    response = client.post(f"/caseworker/cases/{case_id}/tickets", data={"purpose": "review"})
    slip = client.get(response.headers["Location"]).get_data(as_text=True)
    review_code = re.search(r'data-testid="ticket-code">([A-Z0-9-]+)<', slip).group(1)
    slip_text = (
        "Type this code at the kiosk, or scan the QR code, to look back at your plan before we meet. It works once."
    )
    assert translated(app, slip_text) in slip

    kiosk = app.test_client()
    assert kiosk.post("/kiosk/code", data={"code": review_code, "locale": "en"}).status_code == 302
    first = kiosk.get("/kiosk/step").get_data(as_text=True)
    assert 'data-step="welcome"' in first
    pages: dict[str, str] = {}
    shown = walk_forms(kiosk, {**REVIEW_ANSWERS, "language": "en"}, locale="en", started=True, dialogue="plan_review", pages=pages)
    assert shown[-1] == "done"
    # The check page asks about each action by its words, as the question did.
    check = pages["check"]
    assert "%(" not in check and check.count("Go to Hello Work with my caseworker on a Tuesday in December") >= 1
    # Only the plan's two actions were asked about; the given steps were never shown.
    assert "action_3_status" not in shown and not any(s.endswith("_text") for s in shown)
    assert "action_1_status" in shown and "action_2_confidence" in shown
    with in_office(app):
        review_intake = db.session.scalars(db.select(Intake).order_by(Intake.id.desc())).first()
        assert review_intake.dialogue_id == "plan_review" and review_intake.plan.content["kind"] == "review"
        assert db.session.scalar(db.select(CaseIntake.case_id).filter_by(intake_id=review_intake.id)) == case_id

    page = client.get(f"/caseworker/cases/{case_id}/review").get_data(as_text=True)
    assert 'data-testid="kiosk-review"' in page
    assert 'value="achieved" checked' in page and 'value="partly" checked' in page
    assert "My son came with me" in page and "The clinic was full" in page
    distance = re.findall(r'data-testid="distance">([^<]*)<', page)
    assert distance[0].split() == ["7", "→", "9", "(+2)"] and distance[1].split() == ["8", "→", "6", "(-2)"]
    assert "A smaller first step for the doctor" in page
    # The worksheet still starts from the intake draft, not the review.
    assert "Work part-time in a job where I can sit" in client.get(f"/caseworker/cases/{case_id}/plan").get_data(
        as_text=True
    )


def test_the_review_prompt_repeats_the_action(app, client):
    make_office(app)
    app.config["OFFICE_TODAY"] = date(2019, 5, 1)
    sign_in(client, "cw")
    case_id, code = new_case(client, language="en")
    walk_with_code(app.test_client(), code, date(2019, 5, 1), locale="en")
    approve_typical_plan(client, case_id, date(2019, 5, 1), date(2019, 8, 1))
    response = client.post(f"/caseworker/cases/{case_id}/tickets", data={"purpose": "review"})
    review_code = re.search(
        r'data-testid="ticket-code">([A-Z0-9-]+)<', client.get(response.headers["Location"]).get_data(as_text=True)
    ).group(1)
    kiosk = app.test_client()
    kiosk.post("/kiosk/code", data={"code": review_code, "locale": "en"})
    for step in ("welcome", "language", "notice"):
        value = {"language": "en", "notice": "yes"}.get(step)
        kiosk.post("/kiosk/step", data={"step": step, "action": "continue", **({"value": value} if value else {})})
    page = kiosk.get("/kiosk/step").get_data(as_text=True)
    assert 'data-step="action_1_status"' in page
    assert "Go to Hello Work with my caseworker on a Tuesday in December" in page
