"""Retention: `flask intake purge` deletes abandoned intakes only; one case can be exported and erased."""

from __future__ import annotations

import json
from datetime import timedelta

from conftest import in_office
from walk import walk_api

from intake.extensions import db
from intake.records import DraftPlan, Intake, utcnow


def age(app, token: str, days: int, *, created_days: int | None = None) -> None:
    """The intake was last touched `days` ago (and created then, unless `created_days` says earlier)."""
    with in_office(app):
        intake = db.session.scalar(db.select(Intake).filter_by(token=token))
        intake.updated_at = utcnow() - timedelta(days=days)
        intake.created_at = utcnow() - timedelta(days=max(days, created_days or 0))
        db.session.commit()


def tokens(app) -> set[str]:
    with in_office(app):
        return set(db.session.scalars(db.select(Intake.token)))


def test_purge_deletes_only_old_unsubmitted_intakes(app, client, runner):
    old_abandoned = client.post("/api/v1/intakes", json={}).get_json()["token"]
    fresh_abandoned = client.post("/api/v1/intakes", json={}).get_json()["token"]
    old_submitted = walk_api(client)["token"]
    resumed_lately = client.post("/api/v1/intakes", json={}).get_json()["token"]
    for token in (old_abandoned, old_submitted):
        age(app, token, 31)
    age(app, fresh_abandoned, 29)
    age(app, resumed_lately, 2, created_days=60)  # begun two months ago, answered two days ago: not abandoned

    dry = runner.invoke(args=["intake", "purge", "--dry-run"])
    assert dry.exit_code == 0 and "1 abandoned intake(s) older than 30 days would be deleted" in dry.output
    assert len(tokens(app)) == 4

    result = runner.invoke(args=["intake", "purge"])
    assert result.exit_code == 0 and "1 abandoned intake(s)" in result.output
    assert tokens(app) == {fresh_abandoned, old_submitted, resumed_lately}
    again = runner.invoke(args=["intake", "purge"])  # cron runs it every night: repeating is harmless
    assert "0 abandoned" in again.output

    age(app, fresh_abandoned, 6)
    result = runner.invoke(args=["intake", "purge", "--days", "7"])
    assert "0 abandoned" in result.output
    age(app, fresh_abandoned, 8)
    assert "1 abandoned" in runner.invoke(args=["intake", "purge", "--days", "7"]).output


def test_purge_days_come_from_config(make_app):
    app = make_app(RETENTION_UNSUBMITTED_DAYS=3)
    token = app.test_client().post("/api/v1/intakes", json={}).get_json()["token"]
    age(app, token, 4)
    assert (
        "1 abandoned intake(s) older than 3 days deleted"
        in app.test_cli_runner().invoke(args=["intake", "purge"]).output
    )


def test_purge_refuses_zero_days(runner):
    assert runner.invoke(args=["intake", "purge", "--days", "0"]).exit_code != 0


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


def test_an_intake_on_file_with_a_case_is_neither_purged_nor_erased(app, client, runner):
    from intake.records import Case, CaseIntake, User

    token = client.post("/api/v1/intakes", json={}).get_json()["token"]
    with in_office(app):
        user = User(username="cw", display_name="cw", role="caseworker", password_hash="x")
        case = Case(case_number="R-1", name="Test", preferred_language="ja", caseworker=user)
        intake = db.session.scalar(db.select(Intake).filter_by(token=token))
        db.session.add_all([user, case, CaseIntake(case=case, intake=intake, how="claim")])
        db.session.commit()
        code = intake.receipt_code
    age(app, token, 90)
    assert "0 abandoned" in runner.invoke(args=["intake", "purge"]).output
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
    age(app, token, 31)
    assert "1 abandoned intake(s)" in runner.invoke(args=["intake", "purge"]).output
    assert token not in tokens(app)
