"""Accounts: signing in, wrong passwords, deactivation, session expiry, and `flask intake users`."""

from __future__ import annotations

import time

import pytest
from staff import PASSWORD, make_office, make_user, sign_in, translated

from intake import create_app
from intake.config import DEFAULT_SECRET
from intake.extensions import db
from intake.models import User


def test_wrong_password_is_refused(app, client):
    make_user(app, "cw", "caseworker")
    response = sign_in(client, "cw", "not the password")
    assert response.status_code == 401
    assert translated(app, "The username or password is not correct.") in response.get_data(as_text=True)
    assert client.get("/caseworker/cases").status_code == 302


def test_deactivated_user_cannot_sign_in_and_is_signed_out(app, client, runner):
    make_user(app, "cw", "caseworker")
    sign_in(client, "cw")
    assert client.get("/caseworker/cases").status_code == 200
    assert runner.invoke(args=["intake", "users", "deactivate", "cw"]).exit_code == 0
    assert client.get("/caseworker/cases").status_code == 302
    assert sign_in(client, "cw").status_code == 401


def test_idle_session_expires(app, client):
    make_user(app, "cw", "caseworker")
    sign_in(client, "cw")
    with client.session_transaction() as session:
        session["staff_seen"] = time.time() - app.config["STAFF_IDLE_MINUTES"] * 60 - 1
    response = client.get("/caseworker/cases")
    assert response.status_code == 302 and "/caseworker/login" in response.headers["Location"]
    notice = translated(app, "Your session has expired. Please sign in again.")
    assert notice in client.get("/caseworker/login").get_data(as_text=True)
    assert client.get("/caseworker/cases").status_code == 302


def test_session_has_an_absolute_lifetime(app, client):
    make_user(app, "cw", "caseworker")
    sign_in(client, "cw")
    with client.session_transaction() as session:
        session["staff_signed_in"] = time.time() - app.permanent_session_lifetime.total_seconds() - 1
    assert client.get("/caseworker/cases").status_code == 302


def test_sign_in_does_not_redirect_off_site(app, client):
    make_user(app, "cw", "caseworker")
    response = client.post("/caseworker/login?next=//evil.example/", data={"username": "cw", "password": PASSWORD})
    assert response.headers["Location"].endswith("/caseworker/")


def test_users_cli(app, runner):
    result = runner.invoke(
        args=["intake", "users", "create", "boss", "--role", "supervisor", "--password", "a long enough secret"]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=[
            "intake",
            "users",
            "create",
            "kate",
            "--role",
            "caseworker",
            "--supervisor",
            "boss",
            "--name",
            "Kate",
            "--password",
            "another long secret",
        ]
    )
    assert result.exit_code == 0, result.output
    assert (
        runner.invoke(
            args=["intake", "users", "create", "kate", "--role", "caseworker", "--password", "another long secret"]
        ).exit_code
        != 0
    )
    assert (
        runner.invoke(args=["intake", "users", "create", "tiny", "--role", "admin", "--password", "short"]).exit_code
        != 0
    )
    assert (
        runner.invoke(args=["intake", "users", "set-password", "kate", "--password", "a brand new secret"]).exit_code
        == 0
    )
    assert (
        runner.invoke(args=["intake", "users", "set-password", "nobody", "--password", "a brand new secret"]).exit_code
        != 0
    )
    with app.app_context():
        kate = db.session.scalar(db.select(User).filter_by(username="kate"))
        boss = db.session.scalar(db.select(User).filter_by(username="boss"))
        assert (
            kate.check_password("a brand new secret") and kate.supervisor_id == boss.id and kate.display_name == "Kate"
        )
        assert kate.password_hash.startswith("$argon2")
    assert "kate" in runner.invoke(args=["intake", "users", "list"]).output


def test_demo_users_only_from_the_demo_command(app, runner):
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 0
    result = runner.invoke(args=["intake", "demo"])
    assert result.exit_code == 0 and "demo-sv" in result.output
    with app.app_context():
        roles = set(db.session.scalars(db.select(User.role)).all())
    assert roles == {"caseworker", "supervisor", "translator", "admin"}


def test_production_refuses_the_default_secret():
    with pytest.raises(RuntimeError):
        create_app({"PRODUCTION": True, "SECRET_KEY": DEFAULT_SECRET, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_office_fixture_roles(app):
    make_office(app)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 7


def test_the_demo_office_has_cases_to_look_at(app, client, runner):
    assert runner.invoke(args=["intake", "demo"]).exit_code == 0
    assert runner.invoke(args=["intake", "demo"]).exit_code == 0  # twice is harmless
    sign_in(client, "demo-cw", "demo-caseworker-pass")
    queue = client.get("/caseworker/cases").get_data(as_text=True)
    assert all(f">DEMO-000{n}<" in queue for n in (1, 2, 3))
    assert 'data-status="review_due"' in queue and 'data-status="ticket_issued"' in queue
    with app.app_context():
        from intake.cases import Case

        planned = db.session.scalar(db.select(Case.id).filter_by(case_number="DEMO-0002"))
    assert client.get(f"/caseworker/cases/{planned}/versions/1/print").status_code == 200
    assert client.get(f"/caseworker/cases/{planned}/review").status_code == 200
