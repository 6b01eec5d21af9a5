"""Retention: unfinished intakes go when they can no longer be resumed, closed cases after the office's period, by
themselves or with `flask intake purge`; one intake or case can be exported and erased."""

from __future__ import annotations

import json
from datetime import timedelta

from conftest import in_office
from walk import walk_api

from intake.extensions import db
from intake.records import DraftPlan, Intake, Office, as_utc, utcnow
from intake.services.retention import DETACHED_ON_PURGE


def age(app, token: str, hours: float, *, created_hours: float | None = None, office: str = "main") -> None:
    """The intake was last touched `hours` ago (and created then, unless `created_hours` says earlier)."""
    with in_office(app, office):
        intake = db.session.scalar(db.select(Intake).filter_by(token=token))
        intake.updated_at = utcnow() - timedelta(hours=hours)
        intake.created_at = utcnow() - timedelta(hours=max(hours, created_hours or 0))
        db.session.commit()


def tokens(app, office: str = "main") -> set[str]:
    with in_office(app, office):
        return set(db.session.scalars(db.select(Intake.token)))


def test_a_walk_ins_unfinished_answers_go_right_after_the_resume_window(app, client, runner):
    over = client.post("/api/v1/intakes", json={}).get_json()["token"]
    within = client.post("/api/v1/intakes", json={}).get_json()["token"]
    sent = walk_api(client)["token"]
    resumed_lately = client.post("/api/v1/intakes", json={}).get_json()["token"]
    age(app, over, 24.1)  # RESUME_HOURS = 24: its receipt code no longer resumes it
    age(app, sent, 24 * 90)
    age(app, within, 23.9)
    age(app, resumed_lately, 2, created_hours=24 * 60)  # begun two months ago, answered two hours ago
    with in_office(app):
        over_code = db.session.scalar(db.select(Intake.receipt_code).filter_by(token=over))

    dry = runner.invoke(args=["intake", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"main: intake 1 {over_code} (walk-in, in_progress, last answered" in dry.output
    assert "main: 1 unfinished intake(s) and 0 closed case(s) would be deleted" in dry.output
    assert len(tokens(app)) == 4

    result = runner.invoke(args=["intake", "purge"])
    assert result.exit_code == 0 and "main: 1 unfinished intake(s) and 0 closed case(s) deleted" in result.output
    assert tokens(app) == {within, sent, resumed_lately}
    again = runner.invoke(args=["intake", "purge"])  # repeating is harmless
    assert "main: 0 unfinished intake(s)" in again.output


def test_the_window_is_the_resume_window(make_app):
    app = make_app(RESUME_HOURS=2, PURGE_EVERY_MINUTES=0)
    client = app.test_client()
    token = client.post("/api/v1/intakes", json={}).get_json()["token"]
    age(app, token, 1.9)
    assert "main: 0 unfinished" in app.test_cli_runner().invoke(args=["intake", "purge"]).output
    age(app, token, 2.1)
    assert "main: 1 unfinished" in app.test_cli_runner().invoke(args=["intake", "purge"]).output
    assert tokens(app) == set()


def _set_last_purge(app, minutes_ago: float | None, code: str = "main") -> None:
    with in_office(app):
        office = db.session.scalar(db.select(Office).filter_by(code=code))
        office.purged_at = None if minutes_ago is None else utcnow() - timedelta(minutes=minutes_ago)
        db.session.commit()


def test_requests_purge_by_themselves_at_most_once_every_few_minutes(make_app):
    app = make_app(PURGE_EVERY_MINUTES=5)
    kiosk = app.test_client()
    first = kiosk.post("/api/v1/intakes", json={}).get_json()["token"]  # this request ran the office's purge
    second = kiosk.post("/api/v1/intakes", json={}).get_json()["token"]
    age(app, first, 25)
    assert kiosk.get("/kiosk/").status_code == 200
    assert first in tokens(app), "purged again within five minutes"
    _set_last_purge(app, 4)
    kiosk.get("/kiosk/")
    assert first in tokens(app)
    _set_last_purge(app, 5.1)
    kiosk.get("/kiosk/")  # any request of the office: no command
    assert tokens(app) == {second}
    with in_office(app):
        last = db.session.scalar(db.select(Office.purged_at).filter_by(code="main"))
    assert utcnow() - as_utc(last) < timedelta(minutes=1), "the purge's time is kept for every worker to read"
    age(app, second, 25)
    kiosk.get("/kiosk/")
    assert second in tokens(app), "the next purge waits its turn"


def test_without_an_interval_only_the_command_purges(make_app):
    app = make_app(PURGE_EVERY_MINUTES=0)
    kiosk = app.test_client()
    token = kiosk.post("/api/v1/intakes", json={}).get_json()["token"]
    age(app, token, 25)
    _set_last_purge(app, None)
    kiosk.get("/kiosk/")
    assert token in tokens(app)


def test_a_request_purges_its_own_office_only(make_app):
    from staff import enrol_kiosk, make_second_office

    app = make_app(PURGE_EVERY_MINUTES=5)
    make_second_office(app)
    main, north = app.test_client(), app.test_client()
    enrol_kiosk(app, main, "main")
    enrol_kiosk(app, north, "north")
    at_main = main.post("/api/v1/intakes", json={}).get_json()["token"]
    at_north = north.post("/api/v1/intakes", json={}).get_json()["token"]
    age(app, at_main, 25)
    age(app, at_north, 25, office="north")
    _set_last_purge(app, None, "main")
    _set_last_purge(app, None, "north")
    main.get("/kiosk/")
    assert tokens(app) == set() and tokens(app, "north") == {at_north}
    north.get("/kiosk/")
    assert tokens(app, "north") == set()


def test_every_table_that_points_at_an_intake_is_handled_by_the_purge():
    pointing = {
        table.name
        for table in db.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name == Intake.__tablename__ and table.name != Intake.__tablename__
    }
    assert pointing == DETACHED_ON_PURGE


def test_a_walk_in_intake_can_be_exported_and_erased(app, client, runner):
    data = walk_api(client)
    exported = runner.invoke(args=["intake", "export", data["receipt_code"]])
    assert exported.exit_code == 0
    case = json.loads(exported.output)
    assert case["answers"]["future_picture"].startswith("I get up early")
    assert case["plan"]["actions"]
    erased = runner.invoke(args=["intake", "erase", data["receipt_code"], "--yes"])
    assert erased.exit_code == 0
    with in_office(app):
        assert db.session.scalar(db.select(db.func.count()).select_from(Intake)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(DraftPlan)) == 0
    assert runner.invoke(args=["intake", "export", data["receipt_code"]]).exit_code != 0


def test_a_sent_intake_on_file_with_a_case_is_neither_purged_nor_erased(app, client, runner):
    from intake.records import Case, CaseIntake, User

    token = walk_api(client)["token"]
    with in_office(app):
        user = User(username="cw", display_name="cw", role="caseworker", password_hash="x")
        case = Case(case_number="R-1", name="Test", preferred_language="ja", caseworker=user)
        intake = db.session.scalar(db.select(Intake).filter_by(token=token))
        db.session.add_all([user, case, CaseIntake(case=case, intake=intake, how="claim")])
        db.session.commit()
        code = intake.receipt_code
    age(app, token, 24 * 90)
    assert "main: 0 unfinished" in runner.invoke(args=["intake", "purge"]).output
    erased = runner.invoke(args=["intake", "erase", code, "--yes"])
    assert erased.exit_code != 0 and "part of a case" in erased.output
    assert token in tokens(app)


def test_a_translators_preview_walk_is_purged_like_an_abandoned_intake(app, runner):
    from intake.records import IntakeStatus

    with in_office(app):
        preview = Intake(dialogue_id="self_reliance", dialogue_version=1, state="welcome", locale="en")
        preview.status = IntakeStatus.PREVIEW
        db.session.add(preview)
        db.session.commit()
        token = preview.token
    age(app, token, 25)
    assert "main: 1 unfinished intake(s)" in runner.invoke(args=["intake", "purge"]).output
    assert token not in tokens(app)


def test_a_requests_purge_takes_a_backlog_a_slice_at_a_time(make_app, monkeypatch):
    from intake.web import purging

    monkeypatch.setattr(purging, "AT_MOST", 2)
    app = make_app(PURGE_EVERY_MINUTES=5)
    kiosk = app.test_client()
    backlog = [kiosk.post("/api/v1/intakes", json={}).get_json()["token"] for _ in range(3)]
    for token in backlog:
        age(app, token, 25)
    _set_last_purge(app, None)
    kiosk.get("/kiosk/")
    assert tokens(app) == {backlog[2]}, "the oldest two this time"
    _set_last_purge(app, 6)
    kiosk.get("/kiosk/")
    assert tokens(app) == set()
