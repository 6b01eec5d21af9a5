"""In Chromium with CSRF on: a caseworker finds a case however they type it, and closes it only after choosing a reason."""

from __future__ import annotations

import pytest
from browser.harness import CHROMIUM, CHROMIUM_ARGS
from liveserver import serve_in_thread
from playwright import sync_api
from staff import PASSWORD, make_office, second_step_in_browser, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def live_app(app):
    base, stop = serve_in_thread(app)  # a free port: suites may run side by side
    yield app, base
    stop()


def test_search_as_typed_then_close_with_a_reason(live_app):
    app, base = live_app
    make_office(app)
    client = app.test_client()
    sign_in(client, "cw")
    for number, name, reading in (("R8-1201", "高橋 健太", "たかはし けんた"), ("R8-1202", "高畑 由美", "たかはた ゆみ")):
        client.post(
            "/caseworker/cases/new",
            data={"case_number": number, "name": name, "name_reading": reading, "language": "ja", "ticket": "no"},
        )
    app.config["WTF_CSRF_ENABLED"] = True

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{base}/caseworker/login")
        page.fill("#username", "cw")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        second_step_in_browser(page, app, "cw")
        for typed in ("ﾀｶﾊｼ", "Ｒ８－１２０１", "高橋健太"):
            page.goto(f"{base}/caseworker/cases")
            page.fill("#q", typed)
            page.press("#q", "Enter")
            # Enter starts loading the results; count() does not wait for them (CI once counted the page
            # being replaced: 0 rows), so wait for the results page before counting its rows.
            page.wait_for_url(lambda url: "q=" in url)  # and its load event
            rows = page.locator("[data-testid=queue] tbody tr")
            assert rows.count() == 1, typed
            assert "R8-1201" in rows.first.inner_text()

        page.click("[data-testid=queue] tbody tr a")
        page.click("[data-testid=close-case]")
        page.check("#reason-other")
        page.click("[data-testid=close-form] button[type=submit]")
        assert page.locator(".error-summary").is_visible()  # "other" without a note: refused, still open
        page.fill("#note", "施設に入所")
        page.click("[data-testid=close-form] button[type=submit]")
        closed = page.locator("[data-testid=closed]")
        assert "施設に入所" in closed.inner_text() and "その他" in closed.inner_text()
        assert page.get_by_role("button", name="新しいコードを発行").count() == 0
        browser.close()
