"""One unit of work: a request or a command is one transaction, and a retried code collision undoes only itself."""

from __future__ import annotations

import html

from conftest import in_office, month_ahead
from i18n_helpers import without_readings
from staff import make_office, new_case, sign_in, translated, version_of

from intake import demo
from intake.extensions import db
from intake.records import AuditEntry, Intake, Ticket, User, as_utc, new_receipt_code, new_ticket_code, utcnow
from intake.services import accounts, audit_log, conversations, plans, tickets
from intake.unit_of_work import office_in_use

USED = "This code has already been used. Please ask at the counter for a new one."
EXPIRED = "This code has expired. Please ask at the counter for a new one."


class TakenFirst:
    """A code generator that returns a code already in the database once, then fresh ones; counts its draws."""

    def __init__(self, taken: str, draw):
        self.taken, self.draw, self.draws = taken, draw, 0

    def __call__(self) -> str:
        self.draws += 1
        return self.taken if self.draws == 1 else self.draw()


def test_a_receipt_code_collision_leaves_the_ticket_used(app, client, monkeypatch):
    make_office(app)
    sign_in(client, "cw")
    case_id, code = new_case(client)
    app.test_client().post("/kiosk/start", data={"locale": "ja"})  # a walk-in holds a receipt code
    with in_office(app):
        walk_in = db.session.scalar(db.select(Intake.receipt_code))
    receipt_codes = TakenFirst(walk_in, new_receipt_code)
    monkeypatch.setattr(conversations, "new_receipt_code", receipt_codes)
    kiosk = app.test_client()
    response = kiosk.post("/kiosk/code", data={"code": code})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert receipt_codes.draws == 2, "the first receipt code collided and a second was drawn"
    with in_office(app):
        ticket = db.session.scalar(db.select(Ticket).filter_by(case_id=case_id))
        assert ticket.used_at is not None, "the collision rolled back the ticket's claim"
        started = db.session.get(Intake, ticket.intake_id)
        assert started.receipt_code != walk_in
        assert db.session.scalar(db.select(db.func.count(Intake.id))) == 2
    again = app.test_client().post("/kiosk/code", data={"code": code})
    assert again.status_code == 422
    assert translated(app, USED) in without_readings(again.get_data(as_text=True))


def test_a_ticket_code_collision_keeps_the_old_codes_expired(app, client, monkeypatch):
    make_office(app)
    sign_in(client, "cw")
    case_id, old_code = new_case(client)
    ticket_codes = TakenFirst(old_code.replace("-", ""), new_ticket_code)
    monkeypatch.setattr(tickets, "new_ticket_code", ticket_codes)
    response = client.post(f"/caseworker/cases/{case_id}/tickets", data={"purpose": "intake"})
    assert response.status_code == 302
    assert ticket_codes.draws == 2, "the first ticket code collided and a second was drawn"
    with in_office(app):
        issued = db.session.scalars(db.select(Ticket).filter_by(case_id=case_id).order_by(Ticket.id)).all()
        assert len(issued) == 2
        assert as_utc(issued[0].expires_at) <= utcnow(), "the collision brought the old code back to life"
        assert as_utc(issued[1].expires_at) > utcnow()
    refused = app.test_client().post("/kiosk/code", data={"code": old_code})
    assert refused.status_code == 422
    assert translated(app, EXPIRED) in without_readings(refused.get_data(as_text=True))


def _audit_count(app) -> int:
    with in_office(app):
        return db.session.scalar(db.select(db.func.count(AuditEntry.id)))


def test_the_request_edge_commits_what_it_answers_below_400_and_nothing_else(app):
    def write(status: int):
        audit_log.audit(None, None, "test", str(status))
        return "", status

    def write_then_fail():
        audit_log.audit(None, None, "test", "raised")
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
    with in_office(app):
        with db.session.begin_nested():
            audit_log.audit(None, None, "test", "inside a savepoint")
        db.session.rollback()
    assert _audit_count(app) == 0


def someone_else_first(monkeypatch, module, name: str, table: str, row_of):
    """Wrap a service: just before it runs, another request changes the same row and commits (its version moves)."""
    real = getattr(module, name)

    def raced(*args, **kwargs):
        with db.engine.begin() as connection:
            row_id = row_of(*args)
            if connection.dialect.name == "postgresql":  # the other request is of the same office
                connection.execute(db.text("SELECT set_config('app.office_id', :o, true)"), {"o": str(office_in_use())})
            connection.execute(db.text(f"UPDATE {table} SET version = version + 1 WHERE id = :id"), {"id": row_id})
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, raced)


def test_a_kiosk_answer_that_lost_the_race_is_stored_nowhere_and_shows_where_the_intake_is(app, monkeypatch):
    client = app.test_client()
    client.post("/kiosk/start", data={"locale": "en"})
    client.post("/kiosk/step", data={"step": "welcome", "action": "continue"})
    someone_else_first(monkeypatch, conversations, "answer", "intakes", lambda engine, intake, *rest: intake.id)
    response = client.post("/kiosk/step", data={"step": "language", "value": "ja", "action": "continue"})
    assert response.status_code == 302 and "/kiosk/step" in response.headers["Location"]
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert translated(app, "That answer was already saved. Here is where you are now.", "en") in page
    with in_office(app):
        intake = db.session.scalar(db.select(Intake))
        assert intake.state == "language" and "language" not in intake.answers


def test_an_api_answer_that_lost_the_race_gets_409_with_the_current_step(app, monkeypatch):
    client = app.test_client()
    data = client.post("/api/v1/intakes", json={"locale": "en"}).get_json()
    token = data["token"]
    data = client.post(f"/api/v1/intakes/{token}/answer", json={"step": "welcome", "value": None}).get_json()
    assert data["step"]["id"] == "language"
    someone_else_first(monkeypatch, conversations, "answer", "intakes", lambda engine, intake, *rest: intake.id)
    response = client.post(f"/api/v1/intakes/{token}/answer", json={"step": "language", "value": "ja"})
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "stale_step" and error["current"]["step"]["id"] == "language"
    assert error["message"] == translated(app, "This question was already answered. Here is the current one.", "en")


def test_a_worksheet_edit_that_lost_the_race_shows_the_plan_as_it_is_now(app, client, monkeypatch):
    make_office(app)
    sign_in(client, "cw")
    case_id, _ = new_case(client, ticket=False)
    version = version_of(client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True))
    someone_else_first(
        monkeypatch, plans, "save_worksheet", "worksheets", lambda user, case, *rest: case.worksheet.id
    )
    form = {
        "part": "goal",
        "version": version,
        "goal_text": "raced",
        "goal_shown": "",
        "goal_kind": "economic",
        "goal_date": month_ahead(6),
    }
    response = client.post(f"/caseworker/cases/{case_id}/plan", data=form)
    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    message = "Someone changed this plan after you opened it. Here is the current version; nothing was saved."
    assert translated(app, message) in page
    assert version_of(page) == str(int(version) + 1), "the form now carries the version as it is"
    assert "raced" not in html.unescape(client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True))


def test_an_account_change_that_lost_the_race_shows_the_account_as_it_is_now(app, client, monkeypatch):
    make_office(app)
    sign_in(client, "admin")
    with in_office(app):
        user = db.session.scalar(db.select(User).filter_by(username="cw2"))
        user_id, version = user.id, user.version
    someone_else_first(monkeypatch, accounts, "change_account", "users", lambda actor, user: user.id)
    form = {"version": version, "display_name": "raced", "role": "caseworker", "supervisor": "sv"}
    response = client.post(f"/caseworker/office/users/{user_id}", data=form)
    assert response.status_code == 409
    message = "Someone changed this account after you opened it. Here it is as it is now; nothing was saved."
    assert translated(app, message) in html.unescape(response.get_data(as_text=True))
    with in_office(app):
        assert db.session.get(User, user_id).display_name != "raced"


def test_a_command_that_fails_part_way_stores_nothing(app, runner, monkeypatch):
    def cases_fail():
        raise RuntimeError("the database went away")

    monkeypatch.setattr(demo, "_demo_cases", cases_fail)
    result = runner.invoke(args=["intake", "demo"])
    assert isinstance(result.exception, RuntimeError)
    with in_office(app):
        assert db.session.scalar(db.select(db.func.count(User.id))) == 0, "the demo users were committed alone"
    monkeypatch.undo()
    assert runner.invoke(args=["intake", "demo"]).exit_code == 0
    with in_office(app):
        assert db.session.scalar(db.select(db.func.count(User.id))) == len(demo.DEMO_USERS)
