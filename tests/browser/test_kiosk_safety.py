"""A shared kiosk in Chromium: the idle warning and reset, quick exit, resuming by receipt code, display
controls and read-aloud. Nothing of one person's answers may stay on the screen, in history or storage."""

from __future__ import annotations

import pytest
from browser.harness import screenshot
from browser.kiosk_driver import answer_current, current_step, start
from playwright.sync_api import expect
from walk import typical_answers

pytestmark = pytest.mark.browser

ANSWERS = dict(typical_answers(), language="en")
PRIVATE = ANSWERS["future_picture"]


def _answer_some(page, count: int = 4) -> str:
    """Answer the first few questions (up to and including the free-text one); returns the intake token."""
    for _ in range(count):
        answer_current(page, ANSWERS)
    return page.locator(".question").get_attribute("data-intake")


def _nothing_left(page) -> None:
    assert PRIVATE not in page.content()
    assert page.locator(".question").count() == 0
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0


def test_idle_warning_continue_then_reset(live_factory, page):
    live = live_factory(KIOSK_IDLE_SECONDS=2, KIOSK_IDLE_WARNING_SECONDS=3, KIOSK_READING_TIME_FACTOR=0)
    start(page, live.url)
    token = _answer_some(page)
    assert PRIVATE in page.content()  # the transcript shows the answer
    step_before = current_step(page)

    dialog = page.locator("#idle-dialog")
    dialog.wait_for(state="visible")
    assert page.evaluate("document.activeElement.closest('dialog') !== null"), "focus is not in the warning"
    screenshot(page, "idle-warning")
    page.locator(".idle-continue").click()
    dialog.wait_for(state="hidden")
    assert current_step(page) == step_before

    # Untouched again: the warning, then the reset.
    dialog.wait_for(state="visible")
    page.wait_for_url(f"{live.url}/kiosk/")
    page.locator(".landing").wait_for()
    _nothing_left(page)
    screenshot(page, "idle-after-reset")
    page.go_back()
    page.wait_for_load_state()
    _nothing_left(page)
    # The session ended on the server: the old token reads nothing.
    assert page.request.get(f"{live.url}/api/v1/intakes/{token}").status == 404


def test_the_warning_hides_the_answers_and_says_saved_only_to_someone_with_the_code(live_factory, page):
    # Half the reading time of the welcome screen: the warning comes after some seconds, time enough
    # (on a busy machine too) to open "Continue later" before it comes again.
    live = live_factory(KIOSK_IDLE_SECONDS=1, KIOSK_IDLE_WARNING_SECONDS=60, KIOSK_READING_TIME_FACTOR=0.5)
    start(page, live.url)
    dialog = page.locator("#idle-dialog")
    dialog.wait_for(state="visible", timeout=40_000)
    # Nothing of the page shows through the backdrop.
    backdrop = page.evaluate("getComputedStyle(document.getElementById('idle-dialog'), '::backdrop').backgroundColor")
    assert backdrop == "rgb(27, 27, 27)", backdrop
    # The code was never shown: the warning does not promise that the answers are kept.
    expect(page.locator("#idle-text-no-code")).to_be_visible()
    expect(page.locator("#idle-text")).to_be_hidden()
    assert dialog.get_attribute("aria-describedby") == "idle-text-no-code"
    page.locator(".idle-continue").click()
    page.locator(".continue-later summary").click()  # the receipt code is on screen now
    dialog.wait_for(state="visible", timeout=40_000)
    expect(page.locator("#idle-text")).to_be_visible()
    expect(page.locator("#idle-text-no-code")).to_be_hidden()
    assert dialog.get_attribute("aria-describedby") == "idle-text"


def test_a_long_text_gets_reading_time_before_the_warning(live_factory, page):
    """The same idle second, but the consent notice is long: its reader gets longer before the warning."""
    live = live_factory(KIOSK_IDLE_SECONDS=1, KIOSK_IDLE_WARNING_SECONDS=60, KIOSK_READING_TIME_FACTOR=0.1)
    start(page, live.url)
    dialog = page.locator("#idle-dialog")
    started = page.evaluate("Date.now()")
    dialog.wait_for(state="visible")  # the short welcome: soon
    short = page.evaluate("Date.now()") - started
    page.locator(".idle-continue").click()
    while current_step(page)[1] != "consent":
        answer_current(page, ANSWERS)
    started = page.evaluate("Date.now()")
    dialog.wait_for(state="visible", timeout=60000)
    long = page.evaluate("Date.now()") - started
    assert long > short + 4000, (short, long)


def test_quick_exit_blanks_at_once_and_ends_the_session(live, page):
    start(page, live.url)
    token = _answer_some(page)
    held = []
    page.route("**/kiosk/exit", lambda route: held.append(route))
    page.locator(".quick-exit button").click()
    # While the server has not even answered, the screen is already empty.
    page.wait_for_function("document.body.children.length === 0 && document.title === ''")
    held[0].continue_()
    page.wait_for_url(f"{live.url}/kiosk/")
    page.locator(".landing").wait_for()
    _nothing_left(page)
    page.go_back()
    page.wait_for_load_state()
    _nothing_left(page)
    assert page.request.get(f"{live.url}/api/v1/intakes/{token}").status == 404


def test_quick_exit_without_javascript(live, plain_page):
    start(plain_page, live.url)
    _answer_some(plain_page)
    assert PRIVATE in plain_page.content()
    plain_page.locator(".quick-exit button").click()
    plain_page.locator(".landing").wait_for()
    assert PRIVATE not in plain_page.content()
    plain_page.go_back()  # a form page: no-store, so the browser asks again and the session is gone
    plain_page.locator(".landing").wait_for()
    assert PRIVATE not in plain_page.content()


def test_idle_reset_without_javascript(live_factory, plain_page):
    live = live_factory(KIOSK_IDLE_NO_SCRIPT_SECONDS=2)
    start(plain_page, live.url)
    token = _answer_some(plain_page)
    assert PRIVATE in plain_page.content()
    plain_page.wait_for_url(f"{live.url}/kiosk/")  # nobody touched it: the page reloaded into the reset
    plain_page.locator(".landing").wait_for()
    assert PRIVATE not in plain_page.content()
    plain_page.go_back()
    plain_page.locator(".landing").wait_for()
    assert PRIVATE not in plain_page.content()
    assert plain_page.request.get(f"{live.url}/api/v1/intakes/{token}").status == 404


def test_the_no_script_reset_stays_inert_with_javascript_on(live_factory, page):
    live = live_factory(KIOSK_IDLE_NO_SCRIPT_SECONDS=1, KIOSK_IDLE_SECONDS=60)
    start(page, live.url)
    _answer_some(page)
    step = current_step(page)
    page.wait_for_timeout(3000)
    assert current_step(page) == step and PRIVATE in page.content()


def test_resume_with_the_receipt_code(live, page):
    start(page, live.url)
    old_token = _answer_some(page)
    step_before = current_step(page)
    code = page.locator(".continue-later .receipt-code").text_content()
    page.locator(".quick-exit button").click()
    page.locator(".landing").wait_for()

    page.locator(".resume-link").click()
    page.locator("#receipt-code").fill("ZZZZ-ZZZZ")
    page.locator('.resume button[type="submit"]').click()
    page.locator(".error-summary").wait_for()
    screenshot(page, "resume-wrong-code")
    page.locator("#receipt-code").fill(code.lower())  # typed in lower case, with the hyphen
    page.locator('.resume button[type="submit"]').click()
    page.locator(".question").wait_for()
    assert current_step(page) == step_before
    assert PRIVATE in page.locator("[role=log]").inner_text()
    new_token = page.locator(".question").get_attribute("data-intake")
    assert new_token != old_token
    assert page.request.get(f"{live.url}/api/v1/intakes/{old_token}").status == 404
    # And the dialogue goes on from there, through the API.
    answer_current(page, ANSWERS)


def test_text_size_and_furigana(live, page):
    start(page, live.url)
    # Japanese is where furigana matter; the readings come from translations/ja/readings.po.
    page.locator("#language-select").select_option("ja")
    page.locator(".language-switch button").click()
    page.locator("html[lang=ja]").wait_for()
    rt = page.locator("#question-title rt").first
    expect(rt).to_be_hidden()  # off by default in Japanese, on in Easy Japanese
    toggle = page.locator(".furigana-toggle")
    with page.expect_response(lambda r: r.url.endswith("/kiosk/display")):
        toggle.click()
    expect(rt).to_be_visible()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    with page.expect_response(lambda r: r.url.endswith("/kiosk/display")):
        toggle.click()
    expect(rt).to_be_hidden()
    expect(toggle).to_have_attribute("aria-pressed", "false")

    with page.expect_response(lambda r: r.url.endswith("/kiosk/display")):  # saved for this kiosk session
        page.locator(".size-larger").click()
    page.locator(".size-larger[aria-pressed=true]").wait_for()
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "36px"
    screenshot(page, "text-larger-ja")
    page.reload()
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "36px"
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0


FAKE_VOICES = """
window.__spoken = [];
const voices = [{lang: 'ja-JP', name: 'Test ja', voiceURI: 'ja', localService: true, default: true}];
Object.defineProperty(window, 'speechSynthesis', {value: {
  getVoices: () => voices, speak: (u) => window.__spoken.push(u.text), cancel: () => {}, speaking: false,
  addEventListener: () => {},
}});
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
"""


def test_read_aloud_only_with_a_voice_and_reads_kana(live, browser):
    plain = browser.new_context()
    try:
        p = plain.new_page()
        start(p, live.url)
        assert p.locator(".read-aloud").is_hidden()  # headless Chromium has no voices
    finally:
        plain.close()

    context = browser.new_context(locale="ja-JP")
    context.add_init_script(FAKE_VOICES)
    try:
        p = context.new_page()
        p.goto(f"{live.url}/kiosk/?lang=ja")
        p.locator('form[action$="/kiosk/start"] button').click()
        p.locator(".question").wait_for()
        button = p.locator(".read-aloud")
        button.wait_for()
        p.evaluate(
            "document.getElementById('question-title').insertAdjacentHTML('afterbegin', '<ruby>漢字<rt>かんじ</rt></ruby>')"
        )
        button.click()
        spoken = p.evaluate("window.__spoken")
        assert len(spoken) == 1
        assert spoken[0].startswith("かんじ")
        assert "漢字" not in spoken[0]
        assert len(spoken[0]) > 20  # the prompt itself follows the reading
    finally:
        context.close()
