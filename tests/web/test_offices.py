"""Kiosks enrolled to an office, office settings from the office's record, and walls seen from the kiosk side."""

from __future__ import annotations

from conftest import in_office, office_today
from staff import (
    answers_for,
    approved_case,
    enrol_kiosk,
    make_second_office,
    make_user,
    new_case,
    sign_in,
    walk_with_code,
)
from walk import walk_forms

from intake.extensions import db
from intake.records import Intake, IntakeStatus
from intake.services.offices import find_office
from intake.web.offices import KIOSK_COOKIE


def test_one_office_needs_no_enrolment(client):
    assert 'data-testid="not-enrolled"' not in client.get("/kiosk/").get_data(as_text=True)
    assert client.post("/kiosk/start", data={"locale": "ja"}).headers["Location"].startswith("/kiosk/step")


def test_with_two_offices_a_kiosk_serves_the_office_it_is_enrolled_to(app):
    make_user(app, "cw", "caseworker")
    make_second_office(app)
    unenrolled = app.test_client()
    assert 'data-testid="not-enrolled"' in unenrolled.get("/kiosk/").get_data(as_text=True)
    assert unenrolled.post("/kiosk/start", data={"locale": "ja"}).headers["Location"] == "/kiosk/"
    assert unenrolled.post("/api/v1/intakes", json={"locale": "ja"}).get_json()["error"]["code"] == "not_enrolled"

    kiosk = app.test_client()
    enrol_kiosk(app, kiosk, "north")
    assert "北福祉事務所" in kiosk.get("/kiosk/").get_data(as_text=True)
    walk_forms(kiosk, _walk_in_answers(), locale="ja")
    for office, expected in (("north", [find_office_id(app, "north")]), ("main", [])):
        with in_office(app, office):
            sent = db.session.scalars(db.select(Intake).filter_by(status=IntakeStatus.SUBMITTED)).all()
            assert [intake.office_id for intake in sent] == expected
    # The walk-in waits in north's list, not main's.
    for username, count in (("n-cw", 1), ("cw", 0)):
        staff = app.test_client()
        sign_in(staff, username)
        page = staff.get("/caseworker/walk-ins").get_data(as_text=True)
        assert f"{count}" in page.split('data-testid="walk-in-count">')[1].split("<")[0], username


def test_a_code_of_another_office_is_unknown_at_this_offices_kiosk(app):
    make_user(app, "cw", "caseworker")
    make_second_office(app)
    staff = app.test_client()
    sign_in(staff, "cw")
    _case_id, code = new_case(staff)
    north_kiosk = app.test_client()
    enrol_kiosk(app, north_kiosk, "north")
    refused = north_kiosk.post("/kiosk/code", data={"code": code, "locale": "ja"})
    assert refused.status_code == 422
    main_kiosk = app.test_client()
    enrol_kiosk(app, main_kiosk, "main")
    walk_with_code(main_kiosk, code, office_today())  # the same code at its own office's kiosk works


def test_a_new_enrolment_key_ends_every_enrolment_made_with_the_old_one(app):
    make_second_office(app)
    kiosk = app.test_client()
    enrol_kiosk(app, kiosk, "north")
    admin = app.test_client()
    sign_in(admin, "n-admin")
    page = admin.get("/caseworker/office/kiosks").get_data(as_text=True)
    old_address = page.split('data-testid="enrolment-url">')[1].split("<")[0].replace("&amp;", "&")
    assert admin.post("/caseworker/office/kiosks/key").status_code == 303
    assert kiosk.post("/kiosk/start", data={"locale": "ja"}).headers["Location"] == "/kiosk/"
    assert app.test_client().get(old_address).status_code == 404
    assert kiosk.get_cookie(KIOSK_COOKIE) is not None  # still there, no longer valid


def test_office_settings_come_from_its_record(app):
    make_second_office(app)
    with in_office(app):
        north = find_office("north")
        north.walk_in_allowed, north.languages, north.idle_seconds = False, ["ja", "en", "vi"], 240
        db.session.commit()
    kiosk = app.test_client()
    enrol_kiosk(app, kiosk, "north")
    page = kiosk.get("/kiosk/").get_data(as_text=True)
    assert "/kiosk/start" not in page  # no walk-ins here: a code only
    assert 'hreflang="vi"' in page and 'hreflang="ko"' not in page
    assert kiosk.post("/kiosk/start", data={"locale": "ja"}).headers["Location"] == "/kiosk/"
    main = app.test_client().get("/kiosk/").get_data(as_text=True)  # one office's settings are its own
    assert 'hreflang="ko"' in main


def _walk_in_answers() -> dict:
    return answers_for(office_today())


def test_the_plan_sheet_is_addressed_to_the_offices_head(app):
    make_second_office(app)  # its head: 北市福祉事務所長
    with in_office(app):
        find_office("north").sheet_labels = {"goal": "わたしの目標"}
        db.session.commit()
    staff = app.test_client()
    sign_in(staff, "n-cw")
    case_id = approved_case(app, staff, office="north")
    sheet = staff.get(f"/caseworker/cases/{case_id}/versions/1/print").get_data(as_text=True)
    assert "北市福祉事務所長 殿" in sheet and "わたしの目標" in sheet


def find_office_id(app, code: str) -> int:
    with app.app_context():
        return find_office(code).id
