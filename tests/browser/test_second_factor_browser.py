"""Enrolling one-time codes in Chromium as a caseworker does: the QR code read as a phone reads it, a code, sign-out.

The QR code is read from a screenshot of the page by ZXing (zxing-cpp), so the test sees what a phone's
camera would: if the code drawn on the page did not hold the right secret, no authenticator would work.
"""

from __future__ import annotations

import io

import pyotp
import pytest
import zxingcpp
from browser.harness import CHROMIUM, CHROMIUM_ARGS, screenshot
from liveserver import serve_in_thread
from PIL import Image
from playwright import sync_api
from staff import PASSWORD

pytestmark = pytest.mark.browser

SESSION_ENDED = "このセッションは終了しています。もう一度ログインしてください。"


@pytest.fixture
def live_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    base, stop = serve_in_thread(app)
    yield app, base
    stop()


def _password(page, base: str) -> None:
    page.goto(f"{base}/caseworker/login")
    page.fill("#username", "kate")
    page.fill("#password", PASSWORD)
    page.click("form.login-form button[type=submit]")


def _sign_out(page) -> None:
    page.click("form[action$='/caseworker/logout'] button")
    page.wait_for_url("**/caseworker/login")


def test_enrol_by_scanning_sign_in_sign_out_and_a_recovery_code_once(live_app):
    app, base = live_app
    created = app.test_cli_runner().invoke(
        args=["intake", "users", "create", "kate", "--role", "caseworker", "--password", PASSWORD]
    )
    assert created.exit_code == 0, created.output

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            desk = browser.new_context(locale="ja-JP")
            page = desk.new_page()
            _password(page, base)
            page.wait_for_url("**/caseworker/login/enrol")
            screenshot(page, "second-factor-enrol")

            # The phone: scan the QR code, and check it holds the key shown for typing by hand.
            png = page.locator("[data-testid=enrol-qr] svg").screenshot()
            found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
            assert len(found) == 1, "the QR code on the page could not be read"
            totp = pyotp.parse_uri(found[0].text)
            assert found[0].text.startswith("otpauth://totp/") and "kate" in found[0].text
            typed_key = "".join(page.inner_text("[data-testid=totp-secret]").split())
            assert totp.secret == typed_key

            page.fill("#code", totp.now())
            page.click("form.login-form button[type=submit]")
            codes = page.locator("[data-testid=recovery-codes] code").all_inner_texts()
            assert len(codes) == 10
            page.click("text=保管しました。続ける")
            page.wait_for_url("**/caseworker/cases")

            # Signed in; a copy of the cookie is taken (as by someone at the desk), then she signs out.
            copied = [cookie for cookie in desk.cookies() if cookie["name"] == "session"]
            _sign_out(page)
            thief = browser.new_context(locale="ja-JP")
            thief.add_cookies(copied)
            stolen = thief.new_page()
            stolen.goto(f"{base}/caseworker/cases")
            assert "/caseworker/login" in stolen.url
            assert SESSION_ENDED in stolen.inner_text("main")

            # Without her phone: a recovery code signs her in once…
            _password(page, base)
            page.wait_for_url("**/caseworker/login/code")
            page.fill("#code", codes[0])
            page.click("form.login-form button[type=submit]")
            page.wait_for_url("**/caseworker/cases")
            _sign_out(page)
            # … and never again.
            _password(page, base)
            page.wait_for_url("**/caseworker/login/code")
            page.fill("#code", codes[0])
            page.click("form.login-form button[type=submit]")
            assert page.url.endswith("/caseworker/login/code")
            assert "まだ使っていないリカバリーコード" in page.inner_text("[data-testid=sign-in-problem]")
            screenshot(page, "second-factor-recovery-code-refused")
        finally:
            browser.close()
