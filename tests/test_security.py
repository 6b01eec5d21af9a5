"""Security settings: headers on every response, cookie flags, CSRF on forms and API writes, rate limits, secrets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import in_office
from flask import Blueprint
from walk import walk_api

from intake import create_app
from intake.config import DEFAULT_SECRET, ROOT
from intake.extensions import db
from intake.records import Intake, RateLimitCounter, SignInThrottle, User
from intake.security import rate_limit

PAGES = ["/kiosk/", "/caseworker/login", "/api/v1/openapi.json", "/static/yorisoi.css", "/no-such-page"]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    response.close()
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "object-src 'none'" in csp
    assert "frame-ancestors 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/kiosk/", "/caseworker/login", "/api/v1/openapi.json"])
def test_pages_with_answers_are_not_cached(client, path):
    assert client.get(path).headers["Cache-Control"] == "no-store"


def test_the_draft_and_plan_pages_are_not_cached(app):
    from conftest import office_today
    from staff import make_office, new_case, sign_in, walk_with_code

    make_office(app)
    staff = app.test_client()
    sign_in(staff, "cw")
    case_id, code = new_case(staff)
    walk_with_code(app.test_client(), code, office_today())
    with in_office(app):
        intake_id = db.session.scalar(db.select(Intake.id).filter_by(status="submitted"))
    for path in (f"/caseworker/cases/{case_id}/drafts/{intake_id}", f"/caseworker/cases/{case_id}/plan"):
        response = staff.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store"


def test_frame_ancestors_come_from_the_allow_list(make_app):
    app = make_app(FRAME_ANCESTORS=["'self'", "https://www.city.example.lg.jp"])
    csp = app.test_client().get("/kiosk/").headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://www.city.example.lg.jp" in csp


def test_a_frame_ancestor_that_would_break_the_header_is_left_out_everywhere(make_app):
    app = make_app(FRAME_ANCESTORS=["'self'", "https://a.example; script-src *", "*"])
    for path in ("/kiosk/", "/caseworker/login", "/api/v1/openapi.json", "/healthz"):
        csp = app.test_client().get(path).headers["Content-Security-Policy"]
        assert "script-src *" not in csp and csp.endswith("frame-ancestors 'self'"), path


def test_templates_have_no_inline_script_style_or_event_handler():
    """The CSP forbids inline code, so the templates must not need any."""
    found = []
    for template in Path(ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        found += [f"{template.name}: inline <script>" for _ in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>", text)]
        found += [f"{template.name}: <style>" for _ in re.finditer(r"<style\b", text)]
        found += [f"{template.name}: style=" for _ in re.finditer(r"\sstyle\s*=", text)]
        found += [f"{template.name}: {m.group(1)}=" for m in re.finditer(r"\s(on[a-z]+)\s*=", text)]
        found += [f"{template.name}: javascript: URL" for _ in re.finditer(r"javascript:", text, re.I)]
    assert not found


def test_session_cookie_is_httponly_and_samesite(client):
    response = client.post("/kiosk/start", data={"locale": "ja"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http in development


def test_session_cookie_is_secure_behind_https(make_app):
    app = make_app(SESSION_COOKIE_SECURE=True)
    response = app.test_client().post("/kiosk/start", data={"locale": "ja"})
    assert "Secure" in response.headers["Set-Cookie"]
    assert "max-age" in response.headers["Strict-Transport-Security"]


def test_production_refuses_the_default_secret(tmp_path):
    for secret in (DEFAULT_SECRET, ""):
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            create_app({"PRODUCTION": True, "SECRET_KEY": secret, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_with_its_own_secret_sets_secure_cookies(tmp_path):
    app = create_app({"PRODUCTION": True, "SECRET_KEY": "an-office-secret", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_forwarded_headers_are_trusted_only_when_configured(make_app):
    seen = {}
    for hops in (0, 1):
        app = make_app(TRUSTED_PROXIES=hops, RATELIMIT_ENABLED=True)

        @app.get("/who")
        def who(hops=hops):
            from flask import request

            seen[hops] = request.remote_addr
            return "ok"

        app.test_client().get("/who", headers={"X-Forwarded-For": "203.0.113.9"})
    assert seen == {0: "127.0.0.1", 1: "203.0.113.9"}


# --- CSRF ---------------------------------------------------------------------------------------


@pytest.fixture
def csrf_client(make_app):
    return make_app(WTF_CSRF_ENABLED=True).test_client()


def test_a_kiosk_form_without_its_token_is_refused(csrf_client):
    response = csrf_client.post("/kiosk/start", data={"locale": "ja"})
    assert response.status_code == 400
    assert "error-summary" in response.get_data(as_text=True)


def test_api_start_needs_no_token_and_gives_one(csrf_client):
    response = csrf_client.post("/api/v1/intakes", json={"locale": "ja"})
    assert response.status_code == 201
    assert response.get_json()["csrf_token"]


def test_api_writes_need_the_token_and_a_refused_write_changes_nothing(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    data = client.post("/api/v1/intakes", json={"locale": "ja"}).get_json()
    url = f"/api/v1/intakes/{data['token']}/answer"
    for headers in ({}, {"X-CSRFToken": "forged"}, {"X-CSRFToken": data["csrf_token"][:-2] + "xx"}):
        response = client.post(url, json={"step": "welcome"}, headers=headers)
        assert response.status_code == 400
        assert response.get_json()["error"]["code"] == "csrf_failed"
    with in_office(app):
        assert db.session.scalar(db.select(Intake.state)) == "welcome"
    # Another browser's token does not fit this session.
    other = app.test_client().post("/api/v1/intakes", json={}).get_json()["csrf_token"]
    assert client.post(url, json={"step": "welcome"}, headers={"X-CSRFToken": other}).status_code == 400
    ok = client.post(url, json={"step": "welcome"}, headers={"X-CSRFToken": data["csrf_token"]})
    assert ok.status_code == 200


def test_a_whole_walk_works_with_csrf_on(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    assert walk_api(app.test_client())["step"]["kind"] == "done"


def test_get_responses_give_a_token_for_the_next_write(csrf_client):
    data = csrf_client.post("/api/v1/intakes", json={}).get_json()
    again = csrf_client.get(f"/api/v1/intakes/{data['token']}").get_json()
    response = csrf_client.post(
        f"/api/v1/intakes/{data['token']}/answer",
        json={"step": "welcome"},
        headers={"X-CSRFToken": again["csrf_token"]},
    )
    assert response.status_code == 200


# --- rate limits --------------------------------------------------------------------------------


@pytest.fixture
def limited(make_app):
    return make_app(
        RATELIMIT_ENABLED=True, RATELIMIT_KIOSK_START="4 per minute", SIGN_IN_FREE_FAILURES=3,
        SIGN_IN_ADDRESS_FREE_FAILURES=5,
    )  # fmt: skip


def test_failed_sign_ins_slow_down_per_username(limited):
    """Past the free failures an account's password alone waits (the page says until when); it is never locked."""
    client = limited.test_client()
    responses = [client.post("/caseworker/login", data={"username": "a", "password": "x"}) for _ in range(4)]
    assert [r.status_code for r in responses] == [401, 401, 401, 429]
    waiting = responses[-1].get_data(as_text=True)
    assert "error-summary" in waiting and 'name="code"' in waiting  # the password now goes with a one-time code
    # Another username from the same address still gets its own tries, up to the address's free ones.
    assert client.post("/caseworker/login", data={"username": "b", "password": "x"}).status_code == 401


def test_sign_ins_from_one_address_slow_down(limited):
    client = limited.test_client()
    statuses = [
        client.post("/caseworker/login", data={"username": f"user{i}", "password": "x"}).status_code for i in range(7)
    ]
    assert statuses == [401] * 5 + [429] * 2


def test_successful_sign_ins_do_not_count_as_failures(limited):
    with in_office(limited):
        user = User(username="cw", display_name="cw", role="caseworker")
        user.set_password("right-password")
        db.session.add(user)
        db.session.commit()
    client = limited.test_client()
    for _ in range(4):
        assert (
            client.post("/caseworker/login", data={"username": "cw", "password": "right-password"}).status_code == 302
        )


def test_starting_intakes_is_limited_across_the_page_and_the_api(limited):
    client = limited.test_client()
    statuses = [client.post("/kiosk/start", data={"locale": "ja"}).status_code for _ in range(2)]
    statuses += [client.post("/api/v1/intakes", json={}).status_code for _ in range(3)]
    assert statuses == [302, 302, 201, 201, 429]
    refused = client.post("/api/v1/intakes", json={})
    assert refused.get_json()["error"]["code"] == "too_many_requests"
    with in_office(limited):
        assert db.session.scalar(db.select(db.func.count()).select_from(Intake)) == 4


def test_the_rate_limit_decorator_is_reusable_for_code_entry(make_app):
    """How a ticket- or receipt-code view takes its limit (RATELIMIT_CODE_ENTRY)."""
    app = create_app_with_code_view(make_app)
    client = app.test_client()
    statuses = [client.post("/code", data={"code": "WRONG"}).status_code for _ in range(3)]
    assert statuses == [404, 404, 429]


def create_app_with_code_view(make_app):
    bp = Blueprint("code_entry_example", __name__)

    @bp.post("/code")
    @rate_limit("RATELIMIT_CODE_ENTRY")
    def code():
        return "no such code", 404

    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_CODE_ENTRY="2 per minute")
    app.register_blueprint(bp)
    return app


def test_every_worker_shares_one_count_kept_in_the_database(make_app):
    """Two apps on one database: 3 failed sign-ins between them, and the counts are rows of the database.

    In one process the limiter object is shared, so this cannot tell per-process counting apart; the proof
    across real worker processes is tests/test_live_server.py::test_a_rate_limit_holds_across_every_worker.
    """
    workers = [make_app(SIGN_IN_FREE_FAILURES=3, SIGN_IN_ADDRESS_FREE_FAILURES=50) for _ in range(2)]
    clients = [worker.test_client() for worker in workers]
    statuses = [
        clients[i % 2].post("/caseworker/login", data={"username": "a", "password": "x"}).status_code for i in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
    with workers[0].app_context():
        stored = db.session.scalars(db.select(SignInThrottle.key)).all()
    # The counts are keyed by the address and by the username; only a digest of each is stored.
    assert len(stored) == 2 and all(len(key) == 64 and "127.0.0.1" not in key for key in stored)


def test_purge_drops_counts_whose_window_has_passed(limited):
    client = limited.test_client()
    client.post("/caseworker/login", data={"username": "a", "password": "x"})
    client.post("/kiosk/start", data={"locale": "ja"})
    with limited.app_context():
        db.session.execute(db.update(RateLimitCounter).values(expires_at=RateLimitCounter.expires_at - 3600))
        db.session.execute(db.update(SignInThrottle).values(expires_at=0))
        db.session.commit()
    assert limited.test_cli_runner().invoke(args=["intake", "purge"]).exit_code == 0
    with limited.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(RateLimitCounter)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(SignInThrottle)) == 0
