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


def _verify(app):
    return app.test_cli_runner().invoke(args=["intake", "audit", "verify"])


def test_the_audit_chain_verifies_and_names_the_entry_changed_behind_its_back(app, client):
    make_office(app)
    sign_in(client, "cw")
    case_id, code = new_case(client)
    with app.test_request_context():
        today = office_today()
    walk_with_code(app.test_client(), code, today)
    client.get(f"/caseworker/cases/{case_id}")
    with in_office(app):
        entries = db.session.execute(db.select(AuditEntry.id, AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq)).all()
    assert len(entries) >= 4
    assert [seq for _, seq, _ in entries] == list(range(1, len(entries) + 1))
    assert all(len(digest) == 64 for _, _, digest in entries)
    intact = _verify(app)
    assert intact.exit_code == 0, intact.output
    assert f"audit log intact: {len(entries)} entries" in intact.output

    tampered = entries[2][0]
    with in_office(app):  # someone with SQL access rewrites what a line says
        db.session.execute(db.text("UPDATE audit_log SET detail = 'nothing to see' WHERE id = :id"), {"id": tampered})
        db.session.commit()
    broken = _verify(app)
    assert broken.exit_code == 1
    assert f"office main: entry {tampered} does not match its hash" in broken.output
    assert "intact" not in broken.output


def test_removing_an_entry_or_the_newest_ones_breaks_the_chain(app, client):
    make_office(app)
    sign_in(client, "cw")
    case_id, _code = new_case(client)
    for _ in range(3):
        client.get(f"/caseworker/cases/{case_id}")
    with in_office(app):
        ids = db.session.scalars(db.select(AuditEntry.id).order_by(AuditEntry.seq)).all()
        db.session.execute(db.text("DELETE FROM audit_log WHERE id = :id"), {"id": ids[-1]})
        db.session.commit()
    at_the_end = _verify(app)
    assert at_the_end.exit_code == 1 and "office main: its head" in at_the_end.output
    with in_office(app):
        db.session.execute(db.text("DELETE FROM audit_log WHERE id = :id"), {"id": ids[1]})
        db.session.commit()
    in_the_middle = _verify(app)
    assert in_the_middle.exit_code == 1
    assert f"office main: entry {ids[2]} is #3 of the chain where #2 should be" in in_the_middle.output


def test_two_transactions_of_one_office_appending_at_once_do_not_fork_the_chain(app):
    """Each thread adds entries and commits at the same moment (a barrier): the office's row lock (PostgreSQL) or
    the single writer (SQLite) puts one after the other, and the chain has every entry once, in one line."""
    import threading

    from intake.services.audit_log import audit
    from intake.services.offices import default_office
    from intake.unit_of_work import use_office

    with in_office(app):
        office_id = default_office().id
        db.session.commit()
    ready = threading.Barrier(4)
    failures = []

    def append(number: int) -> None:
        try:
            with in_office(app):
                for round_ in range(3):
                    use_office(office_id)
                    audit(None, None, "view", f"thread {number} round {round_} a", office_id=office_id)
                    audit(None, None, "view", f"thread {number} round {round_} b", office_id=office_id)
                    ready.wait(timeout=30)  # then all commit at once: each inserts its entries and chains them
                    db.session.commit()
                db.session.remove()
        except Exception as err:  # noqa: BLE001 (reported below)
            failures.append(repr(err))

    threads = [threading.Thread(target=append, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    with in_office(app):
        places = db.session.scalars(db.select(AuditEntry.seq).order_by(AuditEntry.seq)).all()
    assert places == list(range(1, 25))
    verified = _verify(app)
    assert verified.exit_code == 0 and "24 entries" in verified.output, verified.output


def test_the_audit_log_downloads_as_csv_with_japanese_headers_and_the_offices_entries_only(app, client):
    import csv
    import io

    from staff import make_second_office

    make_office(app)
    make_second_office(app)
    north = app.test_client()
    sign_in(north, "n-cw")
    new_case(north, number="N-0001", name="北 太郎")
    sign_in(client, "cw")
    new_case(client)
    client.post("/caseworker/logout")
    for username in ("admin", "sv"):
        sign_in(client, username)
        page = client.get("/caseworker/office/audit").get_data(as_text=True)
        assert 'data-testid="audit-csv"' in page
        response = client.get("/caseworker/office/audit.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        text = response.get_data(as_text=True)
        assert text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
        assert rows[0] == ["記録番号", "日時", "操作者", "ユーザー名", "ケース番号", "操作", "詳細", "連番", "ハッシュ値"]
        cases = {row[4] for row in rows[1:]}
        assert "A-0001" in cases and "N-0001" not in cases
        assert "ケース作成" in {row[5] for row in rows[1:]}
        assert all(len(row[8]) == 64 for row in rows[1:])
        client.post("/caseworker/logout")
    with in_office(app):
        exports = db.session.execute(
            db.select(AuditEntry.detail, AuditEntry.office_id).filter_by(action="export").order_by(AuditEntry.id)
        ).all()
        north_id = db.session.scalar(db.text("SELECT id FROM offices WHERE code = 'north'"))
    assert [detail for detail, _ in exports] == ["audit.csv", "audit.csv"]
    assert north_id not in {office for _, office in exports}
    sign_in(client, "cw")
    assert client.get("/caseworker/office/audit.csv").status_code == 403
