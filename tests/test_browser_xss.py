"""Free text with <script>, event handlers and template syntax is inert on the caseworker's draft page (Chromium).

A recipient's words are shown to staff verbatim; here a live server serves the draft page to
Debian's Chromium, which must run none of it and show all of it as text.
"""

from __future__ import annotations

import threading

import pytest
from liveserver import free_port
from playwright.sync_api import sync_playwright
from walk import typical_answers, walk_api
from werkzeug.serving import make_server

from intake.extensions import db
from intake.models import Intake, User

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
PAYLOADS = {
    "future_picture": "<script>window.__xss = 'script'</script> and {{ 7*7 }} and {% print('ssti') %}",
    "strengths_own": '"><img src=x onerror="window.__xss=\'img\'"> ${7*7} #{7*7}',
    "barriers_own": "<svg onload=window.__xss='svg'></svg><a href=\"javascript:window.__xss='href'\">click</a>",
    "goal_own": "</p><script src=/static/x.js></script>{{ config.SECRET_KEY }}",
}
ACTION = "<iframe srcdoc=\"<script>parent.__xss='iframe'</script>\"></iframe> Hello Work on Tuesday"


@pytest.fixture
def live(app):
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join(5)


def test_hostile_free_text_is_shown_as_text_and_never_runs(app, live):
    answers = typical_answers() | PAYLOADS | {"goal_pick": "own"}
    answers["actions"] = [dict(answers["actions"][0], text=ACTION)]
    walk_api(app.test_client(), answers)
    with app.app_context():
        user = User(username="cw", display_name="<b>cw</b>", role="caseworker")
        user.set_password("browser-test-pass")
        db.session.add(user)
        db.session.commit()
        intake_id = db.session.scalar(db.select(Intake.id))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            dialogs, requests = [], []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.on("request", lambda request: requests.append(request.url))
            page.goto(f"{live}/caseworker/login")
            page.fill("#username", "cw")
            page.fill("#password", "browser-test-pass")
            page.click("button[type=submit]")
            page.wait_for_url(f"{live}/caseworker/")
            page.goto(f"{live}/caseworker/drafts/{intake_id}")
            page.wait_for_timeout(300)  # give any injected handler the chance to run

            assert page.evaluate("window.__xss") is None
            assert page.evaluate("document.querySelectorAll('script, iframe, svg, img[onerror]').length") == 0
            assert page.evaluate("document.querySelectorAll('a[href^=javascript]').length") == 0
            assert not dialogs
            assert not [url for url in requests if "/static/x.js" in url or url.endswith("/x")]
            text = page.inner_text("body")
            for payload in (*PAYLOADS.values(), ACTION):
                assert payload in text  # shown literally, as typed
            assert "{{ 7*7 }}" in text and "49" not in text
            assert "ssti" in text and "{% print" in text
            assert app.config["SECRET_KEY"] not in text
        finally:
            browser.close()
