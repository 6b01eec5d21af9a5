"""The database away or failing mid-request: a clear 503 page or JSON, no partial write, and a retry works."""

from __future__ import annotations

import os

import pytest
from conftest import in_office
from sqlalchemy import create_engine, event
from sqlalchemy.pool import NullPool
from walk import api_body, typical_answers

from intake import create_app
from intake.extensions import db
from intake.records import DraftPlan, Intake


def unreachable_url(tmp_path) -> str:
    """A database nobody can reach: a closed port for PostgreSQL, a folder that does not exist for SQLite."""
    if os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        return "postgresql+psycopg://nobody:nothing@127.0.0.1:1/none"
    return f"sqlite:///{tmp_path / 'missing-folder' / 'db.sqlite3'}"


@pytest.fixture
def away(tmp_path):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "SQLALCHEMY_DATABASE_URI": unreachable_url(tmp_path),
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
        }
    )


def test_kiosk_page_says_so_when_the_database_is_away(away):
    response = away.test_client().post("/kiosk/start", data={"locale": "en"}, headers={"Accept-Language": "en"})
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    page = response.get_data(as_text=True)
    assert "error-summary" in page and "try again" in page.lower()


def test_api_answers_503_json_when_the_database_is_away(away):
    response = away.test_client().post("/api/v1/intakes", json={})
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "database_unavailable"
    assert away.test_client().get("/api/v1/intakes/" + "t" * 32).status_code == 503


def test_health_check_reports_the_database(app, away):
    assert app.test_client().get("/healthz").get_json()["status"] == "ok"
    response = away.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["status"] == "unavailable"


def test_caseworker_page_says_so_when_the_database_is_away(away):
    client = away.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1.a-session-key"  # the user loader needs the database
    assert client.get("/caseworker/").status_code == 503


class Outage:
    """Make statements fail while `on`, as a dropped connection would, matching a piece of SQL."""

    def __init__(self, engine, match: str):
        self.on, self.match, self.engine = False, match, engine
        event.listen(engine, "before_cursor_execute", self._maybe_fail)

    def _maybe_fail(self, conn, cursor, statement, *args):
        if self.on and self.match in statement:
            # The driver's own error, so SQLAlchemy wraps it as it would a real one.
            raise conn.dialect.loaded_dbapi.OperationalError("server closed the connection unexpectedly")

    def close(self):
        event.remove(self.engine, "before_cursor_execute", self._maybe_fail)


def snapshot(app, token):
    with in_office(app):
        intake = db.session.scalar(db.select(Intake).filter_by(token=token))
        return (intake.version, intake.state, dict(intake.answers), list(intake.path), intake.status)


def test_an_answer_that_fails_to_commit_changes_nothing_and_can_be_retried(app, client):
    answers = typical_answers()
    data = client.post("/api/v1/intakes", json={}).get_json()
    while data["step"]["id"] != "future_picture":
        data = client.post(f"/api/v1/intakes/{data['token']}/answer", json=api_body(data["step"], answers)).get_json()
    before = snapshot(app, data["token"])
    with in_office(app):
        outage = Outage(db.engine, "UPDATE intakes")
    outage.on = True
    body = {"step": "future_picture", "value": "Half-written answer"}
    failed = client.post(f"/api/v1/intakes/{data['token']}/answer", json=body)
    assert failed.status_code == 503
    assert snapshot(app, data["token"]) == before
    outage.on = False
    retried = client.post(f"/api/v1/intakes/{data['token']}/answer", json=body)
    assert retried.status_code == 200
    assert snapshot(app, data["token"])[2]["future_picture"] == "Half-written answer"
    outage.close()


def test_a_submit_that_fails_writes_neither_the_plan_nor_the_status(app, client):
    answers = typical_answers()
    data = client.post("/api/v1/intakes", json={}).get_json()
    while data["step"]["kind"] != "handover":
        data = client.post(f"/api/v1/intakes/{data['token']}/answer", json=api_body(data["step"], answers)).get_json()
    before = snapshot(app, data["token"])
    with in_office(app):
        outage = Outage(db.engine, "INSERT INTO draft_plans")
    outage.on = True
    assert client.post(f"/api/v1/intakes/{data['token']}/submit").status_code == 503
    assert snapshot(app, data["token"]) == before
    with in_office(app):
        assert db.session.scalar(db.select(db.func.count()).select_from(DraftPlan)) == 0
    outage.on = False
    assert client.post(f"/api/v1/intakes/{data['token']}/submit").get_json()["status"] == "submitted"
    outage.close()


def test_a_kiosk_form_answer_that_fails_shows_the_outage_page_and_keeps_the_intake(app, client):
    client.post("/kiosk/start", data={"locale": "ja"})
    with in_office(app):
        token = db.session.scalar(db.select(Intake.token))
        outage = Outage(db.engine, "UPDATE intakes")
    before = snapshot(app, token)
    outage.on = True
    response = client.post("/kiosk/step", data={"step": "welcome", "action": "continue"})
    assert response.status_code == 503
    assert snapshot(app, token) == before
    outage.on = False
    assert client.post("/kiosk/step", data={"step": "welcome", "action": "continue"}).status_code == 302
    outage.close()


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgresql"), reason="SQLite has no server to drop connections"
)
def test_connections_the_server_dropped_are_replaced_without_an_error(app, client):
    """A PostgreSQL restart or failover kills pooled connections; pool_pre_ping hides it from the kiosk."""
    data = client.post("/api/v1/intakes", json={}).get_json()
    killer = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=NullPool)
    with killer.connect() as connection:
        killed = connection.exec_driver_sql(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE usename = current_user AND datname = current_database() AND pid <> pg_backend_pid()"
        ).scalar()
    killer.dispose()
    assert killed >= 1  # the app's pooled connection
    response = client.post(f"/api/v1/intakes/{data['token']}/answer", json={"step": "welcome"})
    assert response.status_code == 200


def test_the_outage_log_carries_no_answer(app, client, caplog):
    answers = typical_answers()
    data = client.post("/api/v1/intakes", json={}).get_json()
    while data["step"]["id"] != "future_picture":
        data = client.post(f"/api/v1/intakes/{data['token']}/answer", json=api_body(data["step"], answers)).get_json()
    with in_office(app):
        outage = Outage(db.engine, "UPDATE intakes")
    outage.on = True
    secret = "My husband hits me when he drinks"
    client.post(f"/api/v1/intakes/{data['token']}/answer", json={"step": "future_picture", "value": secret})
    outage.on = False
    outage.close()
    assert "database unavailable" in caplog.text
    assert secret not in caplog.text  # SQLAlchemy's messages leave the parameters out (hide_parameters)
