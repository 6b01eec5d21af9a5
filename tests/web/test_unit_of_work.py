"""One unit of work: a request or a command is one transaction, and a retried code collision undoes only itself."""

from __future__ import annotations

from staff import make_office, new_case, sign_in, translated

from intake.extensions import db
from intake.records import AuditEntry, Intake, Ticket, new_receipt_code, new_ticket_code, utcnow
from intake.services import casework, conversations
from intake.services.casework import as_utc

USED = "This code has already been used. Please ask at the counter for a new one."
EXPIRED = "This code has expired. Please ask at the counter for a new one."


def taken_first(taken: str, draw):
    """A code generator that returns a code already in the database once, then fresh ones."""
    codes = iter([taken])
    return lambda: next(codes, None) or draw()


def test_a_receipt_code_collision_leaves_the_ticket_used(app, client, monkeypatch):
    make_office(app)
    sign_in(client, "cw")
    case_id, code = new_case(client)
    app.test_client().post("/kiosk/start", data={"locale": "ja"})  # a walk-in holds a receipt code
    with app.app_context():
        walk_in = db.session.scalar(db.select(Intake.receipt_code))
    monkeypatch.setattr(conversations, "new_receipt_code", taken_first(walk_in, new_receipt_code))
    kiosk = app.test_client()
    response = kiosk.post("/kiosk/code", data={"code": code})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        ticket = db.session.scalar(db.select(Ticket).filter_by(case_id=case_id))
        assert ticket.used_at is not None, "the collision rolled back the ticket's claim"
        started = db.session.get(Intake, ticket.intake_id)
        assert started.receipt_code != walk_in
        assert db.session.scalar(db.select(db.func.count(Intake.id))) == 2
    again = app.test_client().post("/kiosk/code", data={"code": code})
    assert again.status_code == 422
    assert translated(app, USED) in again.get_data(as_text=True)


def test_a_ticket_code_collision_keeps_the_old_codes_expired(app, client, monkeypatch):
    make_office(app)
    sign_in(client, "cw")
    case_id, old_code = new_case(client)
    monkeypatch.setattr(casework, "new_ticket_code", taken_first(old_code.replace("-", ""), new_ticket_code))
    response = client.post(f"/caseworker/cases/{case_id}/tickets", data={"purpose": "intake"})
    assert response.status_code == 302
    with app.app_context():
        tickets = db.session.scalars(db.select(Ticket).filter_by(case_id=case_id).order_by(Ticket.id)).all()
        assert len(tickets) == 2
        assert as_utc(tickets[0].expires_at) <= utcnow(), "the collision brought the old code back to life"
        assert as_utc(tickets[1].expires_at) > utcnow()
    refused = app.test_client().post("/kiosk/code", data={"code": old_code})
    assert refused.status_code == 422
    assert translated(app, EXPIRED) in refused.get_data(as_text=True)


def _audit_count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(AuditEntry.id)))


def test_the_request_edge_commits_what_it_answers_below_400_and_nothing_else(app):
    def write(status: int):
        casework.audit(None, None, "test", str(status))
        return "", status

    def write_then_fail():
        casework.audit(None, None, "test", "raised")
        raise RuntimeError("the page could not be drawn")

    app.add_url_rule("/test/write/<int:status>", "test_write", write, methods=["POST"])
    app.add_url_rule("/test/fail", "test_fail", write_then_fail, methods=["POST"])
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    for status, kept in ((200, 1), (303, 2), (409, 2), (422, 2), (500, 2)):
        assert client.post(f"/test/write/{status}").status_code == status
        assert _audit_count(app) == kept, status
    assert client.post("/test/fail").status_code == 500
    assert _audit_count(app) == 2


def test_a_savepoint_released_alone_commits_nothing(app):
    """pysqlite starts no transaction before SAVEPOINT; released alone it would commit (database.py begins one)."""
    with app.app_context():
        with db.session.begin_nested():
            casework.audit(None, None, "test", "inside a savepoint")
        db.session.rollback()
    assert _audit_count(app) == 0
