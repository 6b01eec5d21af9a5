"""The workspace in Chromium with CSRF on: a plan made through the real forms, and printed to one A4 page."""

from __future__ import annotations

import io
import os
import re
from datetime import date

import pypdf
import pytest
from axe_playwright_python import sync_playwright as axe_module
from browser.harness import CHROMIUM, CHROMIUM_ARGS, serve
from playwright import sync_api
from staff import PASSWORD, answers_for, approve_typical_plan, make_office, new_case, sign_in, walk_with_code
from walk import walk_forms

from intake.extensions import db
from intake.records import User

pytestmark = pytest.mark.browser


@pytest.fixture
def live_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    base, stop = serve(app)  # a free port: suites may run side by side
    yield app, base
    stop()


def test_plan_prints_on_one_a4_page(live_app):
    app, base = live_app
    make_office(app)
    app.config["OFFICE_TODAY"] = date(2019, 5, 1)
    app.config["WTF_CSRF_ENABLED"] = False  # the test client seeds the case; the browser then uses real forms
    client = app.test_client()
    sign_in(client, "cw")
    case_id, code = new_case(client, language="en")
    walk_with_code(app.test_client(), code, date(2019, 5, 1), locale="en")
    approve_typical_plan(client, case_id, date(2019, 5, 1), date(2019, 8, 1))
    app.config["WTF_CSRF_ENABLED"] = True

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{base}/caseworker/login")
        page.fill("#username", "cw")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{base}/caseworker/cases/{case_id}/versions/1/print")
        assert "令和元年5月1日" in page.inner_text("[data-testid=plan-date]")
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        bilingual = page.goto(f"{base}/caseworker/cases/{case_id}/versions/1/print?copy=recipient")
        assert bilingual.ok
        pdf_bilingual = page.pdf(format="A4", prefer_css_page_size=True)
        browser.close()

    for document in (pdf, pdf_bilingual):
        reader = pypdf.PdfReader(io.BytesIO(document))
        assert len(reader.pages) == 1
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = re.sub(r"\s+", "", pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert "Workpart-timeinajobwhereIcansit" in text
    os.makedirs("test-artifacts", exist_ok=True)
    with open("test-artifacts/plan.pdf", "wb") as out:
        out.write(pdf)
    with open("test-artifacts/plan-bilingual.pdf", "wb") as out:
        out.write(pdf_bilingual)


def sign_in_browser(page, base: str, username: str) -> None:
    page.goto(f"{base}/caseworker/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")


def test_a_plan_through_the_real_forms(live_app):
    app, base = live_app
    make_office(app)
    app.config["OFFICE_TODAY"] = date(2019, 5, 1)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        staff = browser.new_page()
        sign_in_browser(staff, base, "cw")
        staff.goto(f"{base}/caseworker/cases/new")
        staff.fill("#case_number", "W-0001")
        staff.fill("#name", "山田 花子")
        staff.fill("#name_reading", "やまだ はなこ")
        staff.select_option("#language", "en")
        staff.click("form.staff-form button[type=submit]")
        code = staff.inner_text("[data-testid=ticket-code]")

        kiosk = browser.new_page()
        kiosk.goto(f"{base}/kiosk/?lang=en")
        kiosk.fill("#ticket-code", code)
        kiosk.click("form.code-form button[type=submit]")
        assert "/kiosk/step" in kiosk.url

        # The recipient's walk is the kiosk's business (tested there); here the test client finishes it.
        app.config["WTF_CSRF_ENABLED"] = False
        client = app.test_client()
        cookie = next(c for c in kiosk.context.cookies() if c["name"] == "session")
        client.set_cookie("session", cookie["value"], domain="localhost")
        walk_forms(client, answers_for(date(2019, 5, 1), "en"), locale="en", started=True)
        app.config["WTF_CSRF_ENABLED"] = True

        staff.goto(f"{base}/caseworker/cases")
        staff.click("text=W-0001")
        staff.click("a[href$='/plan']")
        staff.fill("#goal_text", "座ってできる仕事でパートタイムで働く")
        staff.click("#goal button[type=submit]")
        staff.wait_for_load_state("load")  # the stylesheet hides the support field: wait until it applies
        assert "座ってできる仕事でパートタイムで働く" in staff.input_value("#goal_text")
        support = staff.locator("#support-employment_support")
        assert not support.is_visible()  # opens with its program
        staff.check("#program-employment_support")
        support.fill("ハローワークへ同行する")
        staff.click("#programs button[type=submit]")
        staff.check("#consent-yes")
        staff.fill("#consent_date", "2019-05-01")
        staff.click("#consent button[type=submit]")
        staff.fill("#plan_date", "2019-05-01")
        staff.fill("#review_date", "2019-08-01")
        staff.click("#approve button[type=submit]")
        assert staff.url.endswith("/versions/1")
        assert "座ってできる仕事でパートタイムで働く" in staff.inner_text("[data-testid=goal]")
        staff.click("a[href$='/versions/1/print']")
        assert staff.inner_text("[data-testid=plan-date]").startswith("令和元年5月1日")
        browser.close()


def test_staff_pages_have_no_axe_violations(live_app):
    app, base = live_app
    make_office(app)
    app.config["OFFICE_TODAY"] = date(2019, 5, 1)
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    sign_in(client, "cw")
    case_id, code = new_case(client, language="en")
    walk_with_code(app.test_client(), code, date(2019, 5, 1), locale="en")
    other_id, other_code = new_case(client, number="A-0002", name="佐藤 一郎")
    walk_with_code(app.test_client(), other_code, date(2019, 5, 1))
    approve_typical_plan(client, case_id, date(2019, 5, 1), date(2019, 8, 1))
    with app.app_context():
        cw2_id = db.session.scalar(db.select(User.id).filter_by(username="cw2"))
    pages = [
        "/caseworker/cases",
        "/caseworker/cases/new",
        f"/caseworker/cases/{case_id}",
        f"/caseworker/cases/{other_id}/plan",
        f"/caseworker/cases/{case_id}/versions/1",
        f"/caseworker/cases/{case_id}/versions/1/print",
        f"/caseworker/cases/{case_id}/versions/1/print?copy=recipient",
        f"/caseworker/cases/{case_id}/review",
        f"/caseworker/cases/{case_id}/audit",
        "/caseworker/office/report",
    ]
    axe = axe_module.Axe()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        sign_in_browser(page, base, "sv")
        found = {}
        for path in pages:
            page.goto(base + path)
            violations = axe.run(page).response["violations"]
            if violations:
                found[path] = [(v["id"], v["impact"]) for v in violations]
        admin = browser.new_page()  # the staff accounts are the admin's pages
        sign_in_browser(admin, base, "admin")
        for path in ("/caseworker/office/users", f"/caseworker/office/users/{cw2_id}"):
            admin.goto(base + path)
            assert admin.url == base + path  # signed in, not sent to the login page
            violations = axe.run(admin).response["violations"]
            if violations:
                found[path] = [(v["id"], v["impact"]) for v in violations]
        browser.close()
    assert found == {}
