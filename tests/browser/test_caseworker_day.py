"""A caseworker's day in Chromium, as one person would click through it (issue 12, "done when"):
tickets → kiosk → review of the draft → approve → PDF → 見直し → version 2 → the office report."""

from __future__ import annotations

import re

import pytest
from browser.harness import CHROMIUM, CHROMIUM_ARGS, screenshot
from browser.kiosk_driver import walk_to_done
from conftest import office_today
from liveserver import serve_in_thread
from playwright import sync_api
from pypdf import PdfReader
from staff import PASSWORD, TYPICAL_JAPANESE, answers_for, make_office, second_step_in_browser

pytestmark = pytest.mark.browser


@pytest.fixture
def live_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    base, stop = serve_in_thread(app)
    yield app, base
    stop()


def sign_in(page, base: str, username: str, app) -> None:
    page.goto(f"{base}/caseworker/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    second_step_in_browser(page, app, username)


def test_a_caseworkers_day(live_app, tmp_path):
    app, base = live_app
    make_office(app)
    today = office_today()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        staff = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True).new_page()
        sign_in(staff, base, "cw", app)

        # Morning: two new cases, each with a code; the slips of both in one print, each in its language.
        codes = {}
        for number, name, language in (("D-0001", "Santos Maria", "en"), ("D-0002", "山田 花子", "ja")):
            staff.goto(f"{base}/caseworker/cases/new")
            staff.fill("#case_number", number)
            staff.fill("#name", name)
            staff.fill("#name_reading", "やまだ はなこ" if language == "ja" else "さんとす まりあ")
            staff.select_option("#language", language)
            staff.click("form.staff-form button[type=submit]")
            codes[number] = staff.inner_text("[data-testid=ticket-code]")
        staff.goto(f"{base}/caseworker/cases")
        staff.check("input[aria-label*='D-0001']")
        staff.check("input[aria-label*='D-0002']")
        staff.click("#bulk-print button:first-of-type")
        # A click waits for the navigation to start, not for the page to be read: count once it has loaded.
        sync_api.expect(staff.locator(".ticket-slip")).to_have_count(2)
        assert "Your code for the kiosk" in staff.inner_text(".ticket-slip[data-case='D-0001']")
        screenshot(staff, "day-slips")

        # The recipient at the kiosk, with the code from the slip, in English.
        kiosk = browser.new_context(viewport={"width": 1080, "height": 1400}).new_page()
        kiosk.goto(f"{base}/kiosk/?lang=en")
        kiosk.fill("#ticket-code", codes["D-0001"])
        kiosk.click("form.code-form button[type=submit]")
        kiosk.locator(".question").wait_for()
        kiosk.wait_for_load_state("load")
        answers = answers_for(today, "en")
        assert walk_to_done(kiosk, answers)[-1] == "done"

        # Review of the draft with the recipient and an interpreter; one form, saved, then approved.
        staff.goto(f"{base}/caseworker/cases?filter=draft_waiting")
        staff.click("text=D-0001")
        staff.click("a[href$='/plan']")
        staff.wait_for_load_state("load")
        assert "Work part-time in a job where I can sit" in staff.input_value("#goal_text")
        staff.check("#program-employment_support")
        staff.fill("#support-employment_support", "ハローワークへ同行する")
        for name, text in TYPICAL_JAPANESE.items():
            staff.fill(f"#{name}", text)
        staff.click("[data-testid=save]")
        assert "保存しました" in staff.inner_text("main .notice[role=status]")
        staff.check("#consent-yes")
        staff.fill("#consent_date", today.isoformat())
        staff.click("[data-testid=approve]")
        assert staff.url.endswith("/versions/1"), staff.url
        screenshot(staff, "day-version-1")

        # The PDF to file, from the case page.
        staff.locator("main > p > a", has_text="ケースに戻る").first.click()
        with staff.expect_download() as download:
            staff.click("a[href$='/versions/1.pdf']")
        path = tmp_path / "plan.pdf"
        download.value.save_as(path)
        text = "".join("".join(p.extract_text().split()) for p in PdfReader(path).pages)
        assert "自立計画書" in text and TYPICAL_JAPANESE["goal_japanese"] in text
        assert "Workpart-time" not in text  # the office's sheet is Japanese

        # 見直し: progress and evaluation for every line, then a revision becomes version 2.
        staff.goto(f"{base}/caseworker/cases")
        staff.click("text=D-0001")
        staff.click("a[href$='/versions/1']")
        staff.click("a[href$='/review']")
        for radio in staff.locator("input[type=radio][value=partly]").all():
            radio.check()
        staff.fill("#action-0-progress", "1回同行した")
        staff.click("form.staff-form button[type=submit]")
        staff.wait_for_url(re.compile(r"/versions/1([?#]|$)"))  # back from the review form to the version
        sync_api.expect(staff.locator("[data-testid=review]")).to_have_count(1)
        staff.locator("main > p > a", has_text="ケースに戻る").first.click()
        staff.goto(staff.url + "/plan")
        staff.click("form[action$='/plan/revise'] button")
        staff.fill("#action-0-date", answers["actions"][1]["date"])
        staff.fill("#action-0-support", "2回目も同行する")
        staff.check("#consent-yes")
        staff.fill("#consent_date", today.isoformat())
        staff.click("[data-testid=approve]")
        assert staff.url.endswith("/versions/2"), staff.url
        staff.goto(re.sub(r"/versions/2$", "/versions?from=1&to=2", staff.url))
        assert "2回目も同行する" in staff.inner_text("[data-testid=diff]")
        screenshot(staff, "day-diff")

        # Evening: the supervisor's report for the fiscal year counts the plan.
        staff.click("form[action$='/logout'] button")
        sign_in(staff, base, "sv", app)
        staff.goto(f"{base}/caseworker/office/report")
        row = staff.inner_text("tr[data-key=employment_support]")
        assert "1" in row
        screenshot(staff, "day-report")
        browser.close()
