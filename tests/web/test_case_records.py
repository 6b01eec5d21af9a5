"""A whole case on request: everything stored is handed over as JSON, or erased with only the audit log kept."""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import in_office
from staff import approve_typical_plan, make_office, new_case, sign_in, translated, walk_with_code

from intake.extensions import db
from intake.records import AuditEntry, Case
from intake.services import retention

DAY = date(2026, 4, 1)
REVIEW_DAY = date(2026, 7, 1)


def count_rows(app) -> dict[str, int]:
    with in_office(app):
        return {
            table.name: db.session.scalar(db.select(db.func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


@pytest.fixture
def two_cases(app, client):
    """Case A-0001 walked at the kiosk and approved; case B-0002 walked too, to show it is left alone."""
    make_office(app)
    app.config["OFFICE_TODAY"] = DAY
    sign_in(client, "cw")
    cases = {}
    for number in ("A-0001", "B-0002"):
        case_id, code = new_case(client, number=number, language="en")
        walk_with_code(app.test_client(), code, DAY, locale="en")
        approve_typical_plan(client, case_id, DAY, REVIEW_DAY)
        cases[number] = case_id
    return cases


def test_the_caseworker_downloads_every_record_of_a_case_and_the_download_is_logged(app, client, two_cases):
    case_id = two_cases["A-0001"]
    assert "records.json" in client.get(f"/caseworker/cases/{case_id}").get_data(as_text=True)
    response = client.get(f"/caseworker/cases/{case_id}/records.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="case-A-0001-records.json"')
    records = response.get_json()
    assert records["case"]["name"] == "山田 花子" and records["case"]["caseworker"] == "cw"
    [intake] = records["intakes"]
    assert intake["answers"]["future_picture"].startswith("I get up early")
    assert intake["plan"]["actions"]
    assert [plan["version"] for plan in records["plans"]] == [1]
    assert records["plans"][0]["content"]["programs"][0]["id"] == "employment_support"
    assert records["worksheet"] and records["edits"] and records["tickets"][0]["used_at"]
    assert {"create", "kiosk_start", "approve"} <= {entry["action"] for entry in records["audit_log"]}
    with in_office(app):
        last = db.session.scalar(db.select(AuditEntry).order_by(AuditEntry.id.desc()))
        assert (last.case_id, last.action, last.detail) == (case_id, "export", "case records json")

    client.post("/caseworker/logout")
    sign_in(client, "cw2")  # another caseworker may not take the records either
    assert client.get(f"/caseworker/cases/{case_id}/records.json").status_code == 403


def test_an_erased_case_keeps_only_its_audit_log(app, client, runner, two_cases):
    case_id, other_id = two_cases["A-0001"], two_cases["B-0002"]
    before = count_rows(app)

    refused = runner.invoke(args=["intake", "case", "erase", "A-0001", "--by", "cw", "--request", "R-7", "--yes"])
    assert refused.exit_code != 0 and "not an active administrator" in refused.output
    assert count_rows(app) == before

    erased = runner.invoke(args=["intake", "case", "erase", "A-0001", "--by", "admin", "--request", "R-7", "--yes"])
    assert erased.exit_code == 0, erased.output
    after = count_rows(app)
    # Every record of A-0001 went; B-0002 kept its own (one of each was A's, the other B's).
    for table in ("intakes", "draft_plans", "case_intakes", "tickets", "worksheets", "plan_versions"):
        assert after[table] == before[table] // 2, table
    assert after["plan_edits"] < before["plan_edits"]
    assert after["cases"] == before["cases"]  # the emptied row the audit log points at
    assert after["audit_log"] == before["audit_log"] + 1

    with in_office(app):
        case = db.session.get(Case, case_id)
        assert (case.name, case.name_reading, case.note) == ("", "", "") and case.erased_at is not None
        assert case.case_number.startswith(f"erased-{case_id}-")
        entries = db.session.scalars(db.select(AuditEntry).filter_by(case_id=case_id).order_by(AuditEntry.id)).all()
        assert entries[0].action == "create" and entries[-1].action == "erase"
        assert entries[-1].detail.startswith("case A-0001; request R-7; ")
        exported = json.dumps(retention.export_case(db.session.get(Case, other_id)), ensure_ascii=False)
        assert "I get up early" in exported  # the other case is whole

    queue = client.get("/caseworker/cases").get_data(as_text=True)
    assert "B-0002" in queue and "A-0001" not in queue
    page = client.get(f"/caseworker/cases/{case_id}")
    assert page.status_code == 410
    assert translated(app, "The records of this case were erased on request. Its audit log is kept.") in page.get_data(
        as_text=True
    )
    assert client.get(f"/caseworker/cases/{case_id}/records.json").status_code == 410
    client.post("/caseworker/logout")
    sign_in(client, "cw2")  # to anyone outside the team it is no more visible than before
    assert client.get(f"/caseworker/cases/{case_id}").status_code == 403
    client.post("/caseworker/logout")
    sign_in(client, "cw")
    # The number is free again, should the person come back; the old case stays erased.
    assert new_case(client, number="A-0001", ticket=False)[0] != case_id
    assert runner.invoke(args=["intake", "case", "erase", "A-0009", "--by", "admin", "--request", "x"]).exit_code != 0


def test_an_erasure_that_fails_part_way_deletes_nothing(app, two_cases, monkeypatch):
    real_order = retention._erasure_order

    def order_then_fail(case_id, intake_ids):
        yield from list(real_order(case_id, intake_ids))[:4]
        raise RuntimeError("the database went away")

    monkeypatch.setattr(retention, "_erasure_order", order_then_fail)
    before = count_rows(app)
    with in_office(app):
        case = db.session.get(Case, two_cases["A-0001"])
        admin = db.session.scalar(db.select(retention.User).filter_by(username="admin"))
        with pytest.raises(RuntimeError):
            retention.erase_case(case, by=admin, reference="R-8")
        db.session.rollback()
    assert count_rows(app) == before


def test_the_command_line_export_is_logged_against_its_operator(app, runner, two_cases):
    result = runner.invoke(args=["intake", "case", "export", "A-0001", "--by", "sv"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["case"]["case_number"] == "A-0001"
    with in_office(app):
        last = db.session.scalar(db.select(AuditEntry).order_by(AuditEntry.id.desc()))
        assert (last.user.username, last.action) == ("sv", "export")


def test_every_table_that_points_at_a_case_or_an_intake_is_erased_or_kept_on_purpose():
    for table in db.metadata.sorted_tables:
        if any(fk.column.table.name in ("cases", "intakes") for fk in table.foreign_keys):
            assert table.name in retention.ERASED_TABLES | retention.KEPT_ON_ERASURE, (
                f"{table.name} holds case data: erase it in retention._erasure_order, or say why it is kept"
            )


def _close(app, case_id: int, years_ago: float) -> None:
    from datetime import timedelta

    from intake.records import utcnow

    with in_office(app):
        case = db.session.get(Case, case_id)
        case.closed_at = utcnow() - timedelta(days=365.25 * years_ago)
        case.closed_reason = "moved"
        db.session.commit()


def _purge_on_next_request(app) -> None:
    with in_office(app):
        db.session.execute(db.text("UPDATE offices SET purged_at = NULL"))
        db.session.commit()


def test_a_closed_case_past_the_offices_retention_is_purged_by_itself_with_an_audit_line(app, client, runner, two_cases):
    case_id, other_id = two_cases["A-0001"], two_cases["B-0002"]
    _close(app, case_id, 5.01)  # CASE_RETENTION_YEARS = 5
    _close(app, other_id, 4.9)
    dry = runner.invoke(args=["intake", "purge", "--dry-run"])
    assert "main: case A-0001 (closed " in dry.output and "kept 5 years" in dry.output and "B-0002" not in dry.output
    before = count_rows(app)
    assert count_rows(app) == before  # the dry run changed nothing

    _purge_on_next_request(app)
    client.get("/caseworker/cases")  # any request of the office
    after = count_rows(app)
    for table in ("intakes", "draft_plans", "case_intakes", "tickets", "worksheets", "plan_versions"):
        assert after[table] == before[table] // 2, table
    with in_office(app):
        case = db.session.get(Case, case_id)
        assert case.erased_at is not None and case.name == ""
        last = db.session.scalar(db.select(AuditEntry).filter_by(case_id=case_id).order_by(AuditEntry.id.desc()))
        assert last.action == "purge" and last.user_id is None
        assert last.detail.startswith("case A-0001; closed ") and "kept 5 years; case_record_entries 1, plan_versions 1, " in last.detail
        assert db.session.get(Case, other_id).erased_at is None
    assert runner.invoke(args=["intake", "audit", "verify"]).exit_code == 0
    gone = client.get(f"/caseworker/cases/{case_id}")
    assert gone.status_code == 410
    retention_ended = "The records of this case were deleted when the office's retention period ended. Its audit log is kept."
    assert translated(app, retention_ended) in gone.get_data(as_text=True)
    page = client.get("/caseworker/office/audit")
    assert page.status_code == 403  # a caseworker's; the supervisor reads it
    client.post("/caseworker/logout")
    sign_in(client, "sv")
    page = client.get("/caseworker/office/audit").get_data(as_text=True)
    assert translated(app, "Deleted after the retention period") in page
    assert translated(app, "Automatic deletion") in page


def test_an_office_keeps_closed_cases_for_its_own_period(app, runner, two_cases):
    _close(app, two_cases["A-0001"], 6)
    refused = runner.invoke(args=["intake", "office", "retention", "main", "0"])
    assert refused.exit_code != 0
    assert runner.invoke(args=["intake", "office", "retention", "main", "10"]).exit_code == 0
    assert "main: 0 unfinished intake(s) and 0 closed case(s) deleted" in runner.invoke(args=["intake", "purge"]).output
    shown = runner.invoke(args=["intake", "office", "retention", "main"])
    assert "main: closed cases are kept 10 years" in shown.output
    assert runner.invoke(args=["intake", "office", "retention", "main", "5"]).exit_code == 0
    assert "1 closed case(s) deleted" in runner.invoke(args=["intake", "purge"]).output


def test_an_unfinished_intake_started_with_a_code_goes_and_the_case_keeps_its_ticket(app, client, runner):
    from datetime import timedelta

    from intake.records import Intake, Ticket, utcnow

    make_office(app)
    sign_in(client, "cw")
    case_id, code = new_case(client)
    kiosk = app.test_client()
    assert kiosk.post("/kiosk/code", data={"code": code, "locale": "ja"}).status_code == 302
    from intake.web.common import office_today

    _sent_case, sent_code = new_case(client, number="A-0002")
    with app.test_request_context():
        today = office_today()
    walk_with_code(app.test_client(), sent_code, today)
    with in_office(app):
        for intake in db.session.scalars(db.select(Intake)):
            intake.updated_at = intake.created_at = utcnow() - timedelta(hours=25)
        db.session.commit()
    assert "main: 1 unfinished intake(s)" in runner.invoke(args=["intake", "purge"]).output
    with in_office(app):
        statuses = db.session.scalars(db.select(Intake.status)).all()
        assert statuses == ["submitted"]  # the draft sent for A-0002 stays, however old
        ticket = db.session.scalar(db.select(Ticket).filter_by(case_id=case_id))
        assert ticket.used_at is not None and ticket.intake_id is None
        last = db.session.scalar(db.select(AuditEntry).filter_by(case_id=case_id).order_by(AuditEntry.id.desc()))
        assert last.action == "purge" and last.detail.startswith("unfinished kiosk answers ")
    page = client.get(f"/caseworker/cases/{case_id}").get_data(as_text=True)
    assert translated(app, "Code expired") in page  # a new code is what the recipient needs now
    assert runner.invoke(args=["intake", "audit", "verify"]).exit_code == 0
