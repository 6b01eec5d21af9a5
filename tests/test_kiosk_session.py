"""The shared kiosk, server side: ending a kiosk session retires the token, resuming by receipt code is
limited, display settings last for the session, and only configured origins may frame the kiosk."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from conftest import _database_url, in_office
from databases import server_owner_url
from flask_babel import force_locale, gettext
from i18n_helpers import without_readings
from walk import typical_answers, walk_forms

from intake import create_app
from intake.database import create_schema, drop_schema
from intake.extensions import db
from intake.records import Intake, ResumeAttempt, utcnow


@pytest.fixture
def make_client(tmp_path):
    """A client on an app with extra settings (the database is the shared test one)."""
    apps = []

    def make(**settings):
        config = {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path),
            "OWNER_DATABASE_URI": server_owner_url(),
            "WTF_CSRF_ENABLED": False,
        }
        config.update(settings)
        app = create_app(config)
        with app.app_context():
            drop_schema()
            create_schema()
        apps.append(app)
        return app.test_client()

    yield make
    for app in apps:
        with app.app_context():
            db.session.remove()
            drop_schema()
            db.engine.dispose()


def _started(client) -> tuple[str, str]:
    """Start an intake and answer the welcome step; returns (token, receipt code)."""
    client.post("/kiosk/start", data={"locale": "en"})
    client.post("/kiosk/step", data={"step": "welcome", "action": "continue"})
    html = client.get("/kiosk/step").get_data(as_text=True)
    token = re.search(r'data-intake="([^"]+)"', html).group(1)
    code = re.search(r'class="receipt-code">([A-Z0-9-]+)<', html).group(1)
    return token, code


def _policy(client, path: str = "/kiosk/") -> dict[str, str]:
    header = client.get(path).headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def test_kiosk_pages_have_a_strict_policy_and_only_configured_framers(make_client):
    policy = _policy(make_client())
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"  # nothing inline
    assert policy["frame-ancestors"] == "'self'"
    client = make_client(
        FRAME_ANCESTORS=[
            "'self'",
            "https://www.city.example.lg.jp",
            "https://evil.example/path",
            "javascript:alert(1)",
            "*",
            "https://a.example; script-src *",
        ]
    )
    assert _policy(client)["frame-ancestors"] == "'self' https://www.city.example.lg.jp"
    assert _policy(client, "/embed/demo")["frame-ancestors"] == "'self' https://www.city.example.lg.jp"
    client = make_client(FRAME_ANCESTORS="'self' https://a.example")
    assert _policy(client)["frame-ancestors"] == "'self' https://a.example"


@pytest.mark.parametrize("path", ["/kiosk/reset", "/kiosk/exit", "/kiosk/finish"])
def test_ending_the_kiosk_session_retires_the_token(client, path):
    token, _ = _started(client)
    assert client.get(f"/api/v1/intakes/{token}").status_code == 200
    response = client.post(path)
    assert response.status_code == 303
    assert client.get(f"/api/v1/intakes/{token}").status_code == 404
    assert client.get("/kiosk/step").headers["Location"].endswith("/kiosk/")


def test_quick_exit_goes_to_the_configured_page(make_client):
    client = make_client(QUICK_EXIT_URL="https://weather.example/")
    _started(client)
    assert client.post("/kiosk/exit").headers["Location"] == "https://weather.example/"
    # Without JavaScript the exit is a form whose redirect leaves the site: form-action must allow it.
    assert _policy(client)["form-action"] == "'self' https://weather.example"


def test_resume_with_code_moves_the_intake_to_a_new_token(client):
    token, code = _started(client)
    client.post("/kiosk/reset")
    response = client.post("/kiosk/resume", data={"code": code.lower()})
    assert response.status_code == 303
    html = client.get("/kiosk/step").get_data(as_text=True)
    assert 'data-step="language"' in html
    new_token = re.search(r'data-intake="([^"]+)"', html).group(1)
    assert new_token != token
    assert client.get(f"/api/v1/intakes/{token}").status_code == 404


def test_resume_refuses_a_sent_plan(client):
    walk_forms(client, typical_answers(), locale="en")
    html = client.get("/kiosk/step").get_data(as_text=True)
    code = re.search(r'data-testid="receipt-code">([A-Z0-9-]+)<', html).group(1)
    client.post("/kiosk/finish")
    response = client.post("/kiosk/resume", data={"code": code})
    assert response.status_code == 422
    assert "typical" not in response.get_data(as_text=True)


def test_resume_refuses_an_old_intake(client, app):
    _, code = _started(client)
    client.post("/kiosk/reset")
    with in_office(app):
        intake = db.session.scalar(db.select(Intake).filter_by(receipt_code=code.replace("-", "")))
        intake.updated_at = utcnow() - timedelta(hours=app.config["RESUME_HOURS"] + 1)
        db.session.commit()
    assert client.post("/kiosk/resume", data={"code": code}).status_code == 422


def test_resume_attempts_are_limited_per_screen_with_the_real_wait(make_client):
    client = make_client(RESUME_MAX_SCREEN_FAILURES=3, RESUME_FAILURE_WINDOW_SECONDS=900)
    _, code = _started(client)
    client.post("/kiosk/reset")
    client.get("/kiosk/resume")
    for _ in range(3):
        assert client.post("/kiosk/resume", data={"code": "ZZZZZZZZ"}).status_code == 422
    # This screen typed three wrong codes: it waits, and is told how long (15 minutes, not "a minute").
    refused = client.post("/kiosk/resume", data={"code": code})
    assert refused.status_code == 429
    assert 890 <= int(refused.headers["Retry-After"]) <= 900
    assert "15分" in without_readings(refused.get_data(as_text=True))
    with client.application.app_context():
        # One count for the address and one for the screen per wrong code.
        assert db.session.scalar(db.select(db.func.count()).select_from(ResumeAttempt)) == 6


def test_others_wrong_codes_at_the_same_address_do_not_lock_out_the_owner(make_client):
    """An office's kiosks share one address: ten wrong codes typed elsewhere must not refuse the right one."""
    owner = make_client(RESUME_MAX_FAILURES=3, RESUME_MAX_SCREEN_FAILURES=5)
    _, code = _started(owner)
    owner.post("/kiosk/reset")
    app = owner.application
    for _ in range(4):  # other screens at the same address, each typing a wrong code
        other = app.test_client()
        assert other.post("/kiosk/resume", data={"code": "ZZZZZZZZ"}).status_code == 422
    # The address is over its limit: a screen that already typed a wrong code must wait …
    guesser = app.test_client()
    assert guesser.post("/kiosk/resume", data={"code": "YYYYYYYY"}).status_code == 422
    assert guesser.post("/kiosk/resume", data={"code": "XXXXXXXX"}).status_code == 429
    # … but the owner, at a screen that typed nothing wrong, gets in with the right code.
    resumed = owner.post("/kiosk/resume", data={"code": code})
    assert resumed.status_code == 303


def test_past_the_address_ceiling_nobody_at_that_address_may_try(make_client):
    client = make_client(RESUME_MAX_FAILURES=2, RESUME_ADDRESS_CEILING=3)
    _, code = _started(client)
    client.post("/kiosk/reset")
    app = client.application
    for _ in range(3):
        assert app.test_client().post("/kiosk/resume", data={"code": "ZZZZZZZZ"}).status_code == 422
    refused = client.post("/kiosk/resume", data={"code": code})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 60


def test_display_settings_last_for_the_kiosk_session(client):
    client.post("/kiosk/display", data={"text_size": "larger"})
    client.post("/kiosk/display", data={"furigana": "off"})
    client.post("/kiosk/start", data={"locale": "ja"})
    html = client.get("/kiosk/step").get_data(as_text=True)
    assert 'class="kiosk text-larger no-furigana"' in html
    client.post("/kiosk/reset")
    assert 'class="kiosk text-standard no-furigana"' in client.get("/kiosk/").get_data(as_text=True)


def test_kiosk_posts_need_the_csrf_token_from_the_page(make_client):
    client = make_client(WTF_CSRF_ENABLED=True)
    html = client.get("/kiosk/").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)
    assert client.post("/kiosk/display", data={"text_size": "large"}).status_code == 400
    response = client.post("/kiosk/display", data={"text_size": "large"}, headers={"X-CSRFToken": token})
    assert response.status_code == 303
    # Ending the session never needs it: a quick exit from a stale page must still work.
    for path in ("/kiosk/exit", "/kiosk/reset", "/kiosk/finish"):
        assert client.post(path).status_code == 303


def test_idle_times_reach_the_page(make_client):
    client = make_client(KIOSK_IDLE_SECONDS=45, KIOSK_IDLE_WARNING_SECONDS=25)
    html = client.get("/kiosk/").get_data(as_text=True)
    assert 'data-idle="45"' in html and 'data-idle-warning="25"' in html


def test_embed_demo_page(client):
    html = client.get("/embed/demo").get_data(as_text=True)
    assert 'src="/static/widget.js"' in html


def test_the_tag_to_copy_carries_the_launcher_labels_in_the_pages_language(app, client):
    html = client.get("/embed/demo?lang=ja").get_data(as_text=True)
    code = re.search(r'<pre class="embed-code"><code>(.*?)</code></pre>', html, re.S).group(1)
    with app.test_request_context(), force_locale("ja"):
        label = gettext("Prepare your self-reliance plan")
    assert label != "Prepare your self-reliance plan"
    assert 'data-lang="ja"' in code and f'data-label="{label}"' in code and "data-close-label=" in code


def test_nothing_with_answers_is_cached(client):
    token, _ = _started(client)
    for response in (client.get("/kiosk/step"), client.get("/kiosk/resume"), client.get(f"/api/v1/intakes/{token}")):
        assert response.headers["Cache-Control"] == "no-store"


def test_production_refuses_a_warning_shorter_than_20_seconds(tmp_path):
    with pytest.raises(RuntimeError, match="20 seconds"):
        create_app(
            {
                "PRODUCTION": True,
                "SECRET_KEY": "a-real-secret",
                "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path),
                "KIOSK_IDLE_WARNING_SECONDS": 10,
            }
        )


def test_wrong_receipt_codes_are_limited_by_one_system_only(make_client):
    """The app's per-address count of wrong ticket codes (RATELIMIT_CODE_ENTRY) does not also count receipt codes:
    past it, a fresh screen at the same address still resumes with the right code (the receipt code's own limits
    decide, as above)."""
    owner = make_client(RATELIMIT_ENABLED=True, RATELIMIT_CODE_ENTRY="2 per minute", RESUME_MAX_FAILURES=50)
    _, code = _started(owner)
    owner.post("/kiosk/reset")
    app = owner.application
    for _ in range(3):
        assert app.test_client().post("/kiosk/resume", data={"code": "ZZZZZZZZ"}).status_code == 422
    assert owner.post("/kiosk/resume", data={"code": code}).status_code == 303
