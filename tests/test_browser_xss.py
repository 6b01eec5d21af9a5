"""Free text with <script>, event handlers and template syntax is inert on the caseworker's draft page (Chromium).

A recipient's words are shown to staff verbatim; here a live server serves the draft page to
Debian's Chromium, which must run none of it and show all of it as text.
"""

from __future__ import annotations

import pytest
from browser.harness import CHROMIUM, CHROMIUM_ARGS
from conftest import in_office, office_today
from liveserver import free_port, serve_in_thread
from playwright.sync_api import sync_playwright
from staff import PASSWORD, answers_for, make_office, new_case, second_step_in_browser, sign_in
from walk import walk_forms

from intake.extensions import db
from intake.records import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.live_server]

PAYLOADS = {
    "future_picture": "<script>window.__xss = 'script'</script> and {{ 7*7 }} and {% print('ssti') %}",
    "strengths_own": '"><img src=x onerror="window.__xss=\'img\'"> ${7*7} #{7*7}',
    "barriers_own": "<svg onload=window.__xss='svg'></svg><a href=\"javascript:window.__xss='href'\">click</a>",
    "goal_own": "</p><script src=/static/x.js></script>{{ config.SECRET_KEY }}",
}
ACTION = "<iframe srcdoc=\"<script>parent.__xss='iframe'</script>\"></iframe> Hello Work on Tuesday"


@pytest.fixture
def live(app):
    url, stop = serve_in_thread(app, free_port())
    yield url
    stop()


def test_hostile_free_text_is_shown_as_text_and_never_runs(app, live):
    make_office(app)
    staff = app.test_client()
    sign_in(staff, "cw")
    case_id, code = new_case(staff)
    answers = answers_for(office_today()) | PAYLOADS | {"goal_pick": "own"}
    answers["actions"] = [dict(answers["actions"][0], text=ACTION)]
    kiosk = app.test_client()
    assert kiosk.post("/kiosk/code", data={"code": code, "locale": "ja"}).status_code == 302
    walk_forms(kiosk, answers, started=True)
    with in_office(app):
        intake_id = db.session.scalar(db.select(Ticket.intake_id).filter_by(case_id=case_id))
    pages = [f"/caseworker/cases/{case_id}/drafts/{intake_id}", f"/caseworker/cases/{case_id}/plan"]

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            dialogs, requests = [], []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.on("request", lambda request: requests.append(request.url))
            page.goto(f"{live}/caseworker/login")
            page.fill("#username", "cw")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            second_step_in_browser(page, app, "cw")
            page.wait_for_load_state()
            for path in pages:
                page.goto(f"{live}{path}")
                page.wait_for_timeout(300)  # give any injected handler the chance to run
                check_inert(page, dialogs, requests, app)
                if "/drafts/" in path:
                    check_shown_as_typed(page)
        finally:
            browser.close()


def check_inert(page, dialogs, requests, app) -> None:
    """Nothing the recipient typed ran, loaded or became markup."""
    assert page.evaluate("window.__xss") is None
    assert (
        page.evaluate("document.querySelectorAll('script:not([src^=\"/static/\"]), iframe, img[onerror]').length") == 0
    )
    assert page.evaluate("document.querySelectorAll('[onload], [onerror], a[href^=javascript]').length") == 0
    assert not dialogs
    assert not [url for url in requests if "/static/x.js" in url or url.endswith("/x")]
    assert app.config["SECRET_KEY"] not in page.inner_text("body")


def check_shown_as_typed(page) -> None:
    """The draft shows every hostile answer literally, template syntax included."""
    text = page.inner_text("body")
    for payload in (*PAYLOADS.values(), ACTION):
        assert payload in text
    assert "{{ 7*7 }}" in text and "{% print('ssti') %}" in text
