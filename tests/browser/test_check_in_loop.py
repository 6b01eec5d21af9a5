"""The plan between reviews, in Chromium (issue 24): the caseworker prints the pocket card of an approved plan; the
recipient checks in at the kiosk in Vietnamese with the QR code (read from a screenshot by ZXing, as a scanner
would); the queue flags "needs help" and the next review's form starts from the check-in. A revised plan's card
is refused, in Vietnamese. The same check-in with JavaScript off, with the short code typed."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import zxingcpp
from browser.harness import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, screenshot
from browser.kiosk_driver import walk_to_done
from liveserver import serve_in_thread
from PIL import Image
from playwright import sync_api
from pypdf import PdfReader
from staff import approve_typical_plan, make_office, new_case, sign_in, signed_in_page, walk_with_code

pytestmark = pytest.mark.browser

TODAY = date(2019, 5, 1)
CHECK_IN = {"action_1_status": "partly", "action_2_status": "help", "note": "Phòng khám đã kín lịch", "talk": "yes"}


@pytest.fixture
def live_app(app):
    base, stop = serve_in_thread(app)  # a free port: suites may run side by side
    yield app, base
    stop()


def _approved_case(app, number: str) -> int:
    """A Vietnamese recipient's case whose plan the caseworker approved with them (review in three months)."""
    client = app.test_client()
    sign_in(client, "cw")
    case_id, code = new_case(client, number=number, language="vi")
    walk_with_code(app.test_client(), code, TODAY, locale="vi")
    approve_typical_plan(client, case_id, TODAY, date(2019, 8, 1))
    return case_id


def _open_card(page, base, case_id: int, number: int):
    """From the version's page, its pocket card, with every stylesheet and script of the page loaded."""
    page.goto(f"{base}/caseworker/cases/{case_id}/versions/{number}")
    page.click("[data-testid=card-link]")
    page.wait_for_url(re.compile(r"/card$"))  # waits for the load event: the card's layout is final
    card = page.locator("[data-testid=pocket-card]")
    card.wait_for()
    return card


def _short_code(card) -> str:
    return card.locator("[data-testid=card-code]").inner_text().strip()


def _read_qr(card) -> str:
    """The card's QR code as ZXing reads it from a screenshot (a scanner reading the printed card)."""
    png = card.locator("[data-testid=card-qr] svg").screenshot()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    if len(found) != 1:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "check-in-card-qr-unread.png").write_bytes(png)  # for whoever reads the failure
    assert len(found) == 1, "the card's QR code could not be read"
    return found[0].text


def _kiosk_check_in(context, base, code: str):
    kiosk = context.new_page()
    kiosk.goto(f"{base}/kiosk/?lang=vi")
    kiosk.fill("#card-code", code)
    kiosk.click("[data-testid=card-form] button[type=submit]")
    return kiosk


def test_card_check_in_flag_and_review_and_a_revised_plans_card_refused(live_app):
    app, base = live_app
    make_office(app)
    app.config["OFFICE_TODAY"] = TODAY
    case_id = _approved_case(app, "R8-2401")
    app.config["WTF_CSRF_ENABLED"] = True

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        staff = signed_in_page(browser, app, base)
        card = _open_card(staff, base, case_id, 1)
        token, short = _read_qr(card), _short_code(card)
        screenshot(staff, "check-in-card")
        printed = PdfReader(io.BytesIO(staff.pdf(prefer_css_page_size=True)))  # what the browser's Print makes
        assert len(printed.pages) == 1
        assert [round(float(side) * 25.4 / 72) for side in printed.pages[0].mediabox[2:]] == [105, 148]  # A6
        assert re.fullmatch(r"YC1-\d+-[A-Z0-9]{10}-[0-9A-F]{16}", token) and short.replace("-", "") in token
        card_text = staff.locator("[data-testid=pocket-card]").inner_text()
        assert "Thẻ kế hoạch của tôi" in card_text and "わたしの計画カード" in card_text
        assert "Go to Hello Work with my caseworker on a Tuesday in December" in card_text

        # At the kiosk, a month later: the scanner types the QR code's text into the card field.
        app.config["OFFICE_TODAY"] = date(2019, 6, 10)
        kiosk_context = browser.new_context(viewport={"width": 1080, "height": 1400}, locale="vi-VN")
        kiosk = _kiosk_check_in(kiosk_context, base, token)
        kiosk.locator(".question").wait_for()
        assert "Xin chào" in kiosk.locator(".question").inner_text()  # in Vietnamese
        shown = walk_to_done(kiosk, CHECK_IN)
        assert shown[1:3] == ["action_1_status", "action_2_status"] and "action_3_status" not in shown
        screenshot(kiosk, "check-in-done")
        kiosk.locator('form[action$="/kiosk/finish"] button').first.click()
        kiosk.wait_for_url(re.compile(r"/kiosk/$"))
        assert "Phòng khám" not in kiosk.content()  # nothing left on screen for the next person
        kiosk_context.close()

        # The queue flags the case first; the review form starts from the check-in.
        staff.goto(f"{base}/caseworker/cases")
        first_row = staff.locator("[data-testid=queue] tbody tr").first
        assert "R8-2401" in first_row.inner_text()
        assert "チェックイン：支援希望" in first_row.locator("[data-testid=check-in-flag]").inner_text()
        # The check-in wrote a draft case record entry, in Japanese, for the caseworker to confirm.
        staff.goto(f"{base}/caseworker/cases/{case_id}/record")
        record = " ".join(box.input_value() for box in staff.locator("textarea[name=content]").all())
        assert "本人が窓口の端末で取組の状況を報告（チェックイン）" in record
        assert "一部できた" in record and "支援を希望" in record
        screenshot(staff, "check-in-case-record")
        staff.goto(f"{base}/caseworker/cases/{case_id}/review")
        assert "Phòng khám đã kín lịch" in staff.locator("[data-testid=check-ins]").inner_text()
        assert staff.locator("#action-0-partly").is_checked()
        assert "一部できた" in staff.locator("#action-0-progress").input_value()
        assert "支援を希望" in staff.locator("#action-1-progress").input_value()
        screenshot(staff, "check-in-review-form")

        # A revision approved as version 2: the old card is refused at the kiosk, in Vietnamese.
        app.config["WTF_CSRF_ENABLED"] = False  # the revision itself is the workspace's own tests' business
        client = app.test_client()
        sign_in(client, "cw")
        worksheet = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
        version = re.search(r'name="version" value="(\d+)"', worksheet).group(1)
        assert client.post(f"/caseworker/cases/{case_id}/plan/revise", data={"version": version}).status_code == 303
        approve_typical_plan(client, case_id, date(2019, 6, 10), date(2019, 9, 1))
        app.config["WTF_CSRF_ENABLED"] = True
        refused_context = browser.new_context(locale="vi-VN")
        refused = _kiosk_check_in(refused_context, base, token)
        assert "Thẻ này không còn dùng được" in refused.locator("main").inner_text()
        assert refused.locator(".question").count() == 0
        screenshot(refused, "check-in-refused")
        refused_context.close()
        browser.close()


def test_the_check_in_with_javascript_off_and_the_short_code_typed(live_app):
    app, base = live_app
    make_office(app)
    app.config["OFFICE_TODAY"] = TODAY
    case_id = _approved_case(app, "R8-2402")
    app.config["WTF_CSRF_ENABLED"] = True

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        staff = signed_in_page(browser, app, base)
        short = _short_code(_open_card(staff, base, case_id, 1))  # typed from the card: no QR code to read
        plain = browser.new_context(viewport={"width": 1080, "height": 1400}, java_script_enabled=False)
        kiosk = _kiosk_check_in(plain, base, short.lower())
        kiosk.locator(".question").wait_for()
        shown = walk_to_done(kiosk, {"action_1_status": "done", "action_2_status": "not_yet"})
        assert shown[-1] == "done"
        plain.close()
        staff.goto(f"{base}/caseworker/cases")
        assert "新しいチェックイン" in staff.locator("[data-testid=check-in-flag]").inner_text()
        browser.close()
