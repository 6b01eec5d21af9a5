"""The workspace in Chromium with CSRF on: a plan made through the real forms, and printed to one A4 page."""

from __future__ import annotations

import io
import os
import re
from datetime import date

import pypdf
import pytest
from axe_playwright_python import sync_playwright as axe_module
from browser.harness import CHROMIUM, CHROMIUM_ARGS, screenshot
from conftest import in_office
from liveserver import serve_in_thread
from playwright import sync_api
from staff import (
    PASSWORD,
    TYPICAL_JAPANESE,
    answers_for,
    approve_typical_plan,
    make_office,
    new_case,
    second_step_in_browser,
    sign_in,
    walk_with_code,
    worksheet_form,
)
from walk import walk_forms

from intake.extensions import db
from intake.records import User

pytestmark = pytest.mark.browser


@pytest.fixture
def live_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    base, stop = serve_in_thread(app)  # a free port: suites may run side by side
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
        second_step_in_browser(page, app, "cw")
        page.goto(f"{base}/caseworker/cases/{case_id}/versions/1/print")
        assert "令和元年5月1日" in page.inner_text("[data-testid=plan-date]")
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        bilingual = page.goto(f"{base}/caseworker/cases/{case_id}/versions/1/print?copy=recipient")
        assert bilingual.ok
        pdf_bilingual = page.pdf(format="A4", prefer_css_page_size=True)
        browser.close()

    for document in (pdf, pdf_bilingual):
        for page in pypdf.PdfReader(io.BytesIO(document)).pages:
            box = page.mediabox
            assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1  # the office's sheet: one page
    copy_pages = pypdf.PdfReader(io.BytesIO(pdf_bilingual)).pages
    assert len(copy_pages) <= 2  # the recipient's copy, stacked in two languages
    for page in copy_pages[:-1]:  # a page before the last is filled, never left half empty
        assert lowest_text(page) < 842 / 2, lowest_text(page)
    text = re.sub(r"\s+", "", pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert TYPICAL_JAPANESE["goal_japanese"] in text and "Workpart-timeinajobwhereIcansit" not in text
    copy_text = re.sub(r"\s+", "", "".join(page.extract_text() for page in copy_pages))
    assert TYPICAL_JAPANESE["goal_japanese"] in copy_text and "Workpart-timeinajobwhereIcansit" in copy_text
    assert "Signature" in copy_text and "Caseworker" in copy_text  # every label in their language too
    os.makedirs("test-artifacts", exist_ok=True)
    with open("test-artifacts/plan.pdf", "wb") as out:
        out.write(pdf)
    with open("test-artifacts/plan-bilingual.pdf", "wb") as out:
        out.write(pdf_bilingual)


def lowest_text(page) -> float:
    """How far down a PDF page its text reaches (points from the bottom edge: smaller is lower)."""
    heights = []
    page.extract_text(
        visitor_text=lambda text, cm, tm, font, size: heights.append(tm[5] * cm[3] + cm[5]) if text.strip() else None
    )
    return min(heights)


def sign_in_browser(page, base: str, username: str, app) -> None:
    page.goto(f"{base}/caseworker/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    second_step_in_browser(page, app, username)


def test_a_plan_through_the_real_forms(live_app):
    app, base = live_app
    make_office(app)
    app.config["OFFICE_TODAY"] = date(2019, 5, 1)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        staff = browser.new_page()
        sign_in_browser(staff, base, "cw", app)
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
        staff.wait_for_load_state("load")  # the stylesheet hides the support field: wait until it applies
        # One form: change the target date, then tick a program and press Save: the date is kept.
        assert staff.locator("[data-unsaved-note]").is_hidden()
        staff.fill("#goal_date", "2020-06")
        assert staff.locator("[data-unsaved-note]").is_visible()  # said before anything is lost
        support = staff.locator("#support-employment_support")
        assert not support.is_visible()  # opens with its program
        staff.check("#program-employment_support")
        support.fill("ハローワークへ同行する")
        staff.click("[data-testid=save]")
        assert staff.input_value("#goal_date") == "2020-06"
        assert staff.is_checked("#program-employment_support")
        flash = staff.inner_text("main .notice[role=status]")
        assert "目標の達成期限" in flash and "保存しました" in flash, flash
        assert staff.locator("[data-unsaved-note]").is_hidden()

        # Leaving with an unsaved change asks first; staying keeps what was typed.
        staff.fill("#action-0-support", "同行する")
        asked = []

        def stay(dialog):
            asked.append(dialog.type)
            dialog.dismiss()

        staff.once("dialog", stay)
        staff.locator("main > p > a", has_text="ケースに戻る").first.click()
        assert asked == ["beforeunload"] and staff.url.endswith("/plan")
        assert staff.input_value("#action-0-support") == "同行する"

        # The recipient wrote in English: their words beside the Japanese for the official sheet.
        assert staff.locator("[data-testid=goal-japanese]").is_visible()
        staff.fill("#goal_japanese", "座ってできる仕事でパートタイムで働く")
        staff.fill("#action-0-japanese", "12月の火曜日に担当者とハローワークへ行く")
        staff.fill("#action-1-japanese", "来月、膝のことで整形外科を受診する")
        staff.fill("#interpreter", "英語通訳 佐藤")
        staff.check("#consent-yes")
        staff.fill("#consent_date", "2019-05-01")
        staff.fill("#plan_date", "2019-05-01")
        staff.fill("#review_date", "2019-08-01")
        screenshot(staff, "worksheet-before-approval")
        staff.click("[data-testid=approve]")  # saves the form, then approves
        assert staff.url.endswith("/versions/1"), staff.url
        assert "座ってできる仕事でパートタイムで働く" in staff.inner_text("[data-testid=goal]")
        staff.click("a[href$='/versions/1/print']")
        assert staff.inner_text("[data-testid=plan-date]").startswith("令和元年5月1日")
        assert "同行する" in staff.inner_text("[data-testid=sheet]")  # the support typed before leaving was saved
        browser.close()


def _english_draft_on_may_first(app) -> tuple:
    """On 1 May 2019 (令和元年), cw signed in with a case whose code was walked at the kiosk in English."""
    make_office(app)
    app.config["OFFICE_TODAY"] = date(2019, 5, 1)
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    sign_in(client, "cw")
    case_id, code = new_case(client, language="en")
    walk_with_code(app.test_client(), code, date(2019, 5, 1), locale="en")
    return client, case_id


def test_staff_pages_have_no_axe_violations(live_app):
    app, base = live_app
    client, case_id = _english_draft_on_may_first(app)
    other_id, other_code = new_case(client, number="A-0002", name="佐藤 一郎")
    walk_with_code(app.test_client(), other_code, date(2019, 5, 1))
    approve_typical_plan(client, case_id, date(2019, 5, 1), date(2019, 8, 1))
    with in_office(app):
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
        sign_in_browser(page, base, "sv", app)
        found = {}
        for path in pages:
            page.goto(base + path)
            violations = axe.run(page).response["violations"]
            if violations:
                found[path] = [(v["id"], v["impact"]) for v in violations]
        admin = browser.new_page()  # the staff accounts are the admin's pages
        sign_in_browser(admin, base, "admin", app)
        for path in ("/caseworker/office/users", f"/caseworker/office/users/{cw2_id}"):
            admin.goto(base + path)
            assert admin.url == base + path  # signed in, not sent to the login page
            violations = axe.run(admin).response["violations"]
            if violations:
                found[path] = [(v["id"], v["impact"]) for v in violations]
        browser.close()
    assert found == {}


def test_a_full_recipients_copy_fills_its_pages(live_app):
    """Five actions, three programs, every support written, in two languages: at most two A4 pages, the first full."""
    app, base = live_app
    client, case_id = _english_draft_on_may_first(app)
    form = worksheet_form(client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True))
    long_support = (
        "毎週火曜日に担当者が同行し、求人票を一緒に読み、応募書類の書き方を練習する。体調に合わせて回数を調整する。"
    )
    for index in range(2, 5):
        form[f"action-{index}-text"] = (
            f"取組{index + 1}：近所の公民館で開かれる日本語教室に、毎週水曜日の午前中に通い続ける"
        )
        form[f"action-{index}-date"] = f"2019-0{index + 5}-15"
        form[f"action-{index}-support"] = long_support
    programs = ["employment_support", "health_management", "japanese_support"]
    form.setlist("program", [p for p in programs if f"support-{p}" in form])
    for program in form.getlist("program"):
        form[f"support-{program}"] = long_support
    for name, text in TYPICAL_JAPANESE.items():
        form[name] = text
    form.update(
        {"consent": "yes", "consent_date": "2019-05-01", "plan_date": "2019-05-01", "review_date": "2019-08-01"}
    )
    response = client.post(f"/caseworker/cases/{case_id}/plan/approve", data=form)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    app.config["WTF_CSRF_ENABLED"] = True

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        sign_in_browser(page, base, "cw", app)
        page.goto(f"{base}/caseworker/cases/{case_id}/versions/1/print?copy=recipient")
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
        browser.close()
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    assert 1 <= len(pages) <= 2
    for page in pages[:-1]:
        assert lowest_text(page) < 842 / 4, lowest_text(page)  # filled to its last quarter, not half empty
    os.makedirs("test-artifacts", exist_ok=True)
    with open("test-artifacts/plan-bilingual-full.pdf", "wb") as out:
        out.write(pdf)
