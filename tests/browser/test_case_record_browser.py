"""In Chromium with CSRF on: approve a plan, find its draft case record entry, edit, confirm and copy it; then the
dates that come due, on the queue and on A4, and the reminder letter in Vietnamese beside Japanese."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pypdf
import pytest
from axe_playwright_python import sync_playwright as axe_module
from browser.harness import CHROMIUM, CHROMIUM_ARGS, screenshot
from liveserver import serve_in_thread
from playwright import sync_api
from staff import PASSWORD, make_office, new_case, second_step_in_browser, sign_in, walk_with_code

from intake.domain.dates import add_months

pytestmark = pytest.mark.browser
DAY = date(2026, 12, 1)


@pytest.fixture
def live_app(app):
    base, stop = serve_in_thread(app)
    yield app, base
    stop()


def reiwa(day: date) -> str:
    return f"令和{day.year - 2018}年{day.month}月{day.day}日"


def test_approve_then_edit_confirm_and_copy_the_record_entry_then_what_comes_due(live_app):
    app, base = live_app
    make_office(app)
    app.config["OFFICE_TODAY"] = DAY
    client = app.test_client()  # seeds the case and the recipient's walk; the browser does the rest with CSRF on
    sign_in(client, "cw")
    case_id, code = new_case(client, language="vi")
    walk_with_code(app.test_client(), code, DAY, locale="vi")
    app.config["WTF_CSRF_ENABLED"] = True

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1080, "height": 1400}, permissions=["clipboard-read", "clipboard-write"])
        context.set_default_timeout(10_000)
        staff = context.new_page()
        staff.goto(f"{base}/caseworker/login")
        staff.fill("#username", "cw")
        staff.fill("#password", PASSWORD)
        staff.click("button[type=submit]")
        second_step_in_browser(staff, app, "cw")

        # Approve, with the Japanese of the recipient's words written with an interpreter.
        staff.goto(f"{base}/caseworker/cases/{case_id}/plan")
        staff.wait_for_load_state("load")
        staff.check("#program-employment_support")
        staff.fill("#support-employment_support", "ハローワークへ同行し、求人を一緒に探す")
        staff.fill("#goal_japanese", "座ってできる仕事で、パートタイムで働く")
        staff.fill("#action-0-japanese", "12月の火曜日に、担当者とハローワークへ行く")
        staff.fill("#action-1-japanese", "来月、膝のことで整形外科を受診する")
        staff.fill("#interpreter", "ベトナム語通訳 グエン")
        staff.check("#consent-yes")
        staff.fill("#consent_date", DAY.isoformat())
        staff.fill("#plan_date", DAY.isoformat())
        staff.fill("#review_date", add_months(DAY, 3).isoformat())
        staff.click("[data-testid=approve]")
        assert staff.url.endswith("/versions/1"), staff.url

        # The case record: the approval's draft, in the office's style.
        staff.goto(f"{base}/caseworker/cases/{case_id}")
        staff.click("[data-testid=case-record-link]")
        entry = staff.locator("[data-testid=record-entry]")
        assert entry.count() == 1 and entry.get_attribute("data-confirmed") == "no"
        content = staff.locator("textarea[name=content]")
        draft = content.input_value()
        assert draft.startswith("自立支援プログラム：本人と面談し自立計画書（第1版）を作成。目標：座ってできる仕事で、パートタイムで働く")
        assert "支援方針：就労支援（ハローワークへ同行し、求人を一緒に探す）" in draft
        assert f"次回見直し：{reiwa(add_months(DAY, 3))}。" in draft
        screenshot(staff, "case-record-draft")
        axe = axe_module.Axe()
        violations = {"record": [(v["id"], v["impact"]) for v in axe.run(staff).response["violations"]]}

        content.fill(draft + "本人は就労に意欲的。")
        staff.click("button[name=action][value=save]")
        assert "下書きを保存しました。" in staff.inner_text("main")
        assert staff.locator("textarea[name=content]").input_value().endswith("本人は就労に意欲的。")
        staff.click("button[name=action][value=confirm]")
        assert "記録を確定しました。" in staff.inner_text("main")
        assert staff.locator("[data-testid=record-entry]").get_attribute("data-confirmed") == "yes"
        assert staff.locator("textarea[name=content]").count() == 0, "a confirmed entry has nothing to edit"
        copy_block = staff.locator("[data-testid=copy-text]")
        expected = f"{reiwa(DAY)}　計画策定\n{draft}本人は就労に意欲的。"
        assert copy_block.input_value() == expected
        staff.click("button[data-copy]")
        # The status is written once the clipboard's promise settles: wait for it, as a reader's eyes would.
        sync_api.expect(staff.locator(".copy-status")).to_have_text("コピーしました。")
        assert staff.evaluate("navigator.clipboard.readText()") == expected
        screenshot(staff, "case-record-confirmed")

        # Without JavaScript the block is there to select, and no button that would do nothing.
        plain = browser.new_context(java_script_enabled=False, storage_state=context.storage_state())
        plain_page = plain.new_page()
        plain_page.goto(f"{base}/caseworker/cases/{case_id}/record")
        assert plain_page.locator("[data-testid=copy-text]").input_value() == expected
        assert plain_page.locator("button[data-copy]").is_hidden()
        plain.close()

        # Ten days before the second action and the review: the first action is overdue.
        first, second = add_months(DAY, 2), add_months(DAY, 3)
        app.config["OFFICE_TODAY"] = second - timedelta(days=10)
        staff.goto(f"{base}/caseworker/cases")
        summary = staff.inner_text("[data-testid=due-summary]")
        assert "期限切れ：1件 · 2週間以内：2件" in summary, summary
        screenshot(staff, "queue-due-summary")
        staff.click("[data-testid=due-summary] >> text=印刷用の一覧")
        rows = staff.locator("[data-testid=due-list] tbody tr")
        assert rows.count() == 3
        assert reiwa(first) in rows.nth(0).inner_text() and "超過" in rows.nth(0).inner_text()
        assert "あと10日" in rows.nth(2).inner_text() and "見直し" in rows.nth(2).inner_text()
        screenshot(staff, "due-list")
        violations["due list"] = [(v["id"], v["impact"]) for v in axe.run(staff).response["violations"]]
        due_pdf = staff.pdf(format="A4", prefer_css_page_size=True)

        staff.click("[data-testid=due-list] >> text=お知らせを印刷")
        letter = staff.locator("[data-testid=reminder]")
        assert "次回の見直し面談のお知らせ" in letter.inner_text()
        assert "Thông báo buổi xem xét kế hoạch lần tới" in letter.inner_text()
        assert f"{reiwa(second)}に、あなたの自立計画を一緒に見直します。" in letter.inner_text()
        assert staff.locator("[data-testid=reminder] .other[lang=vi]").count() >= 8
        screenshot(staff, "reminder-letter-vi")
        violations["letter"] = [(v["id"], v["impact"]) for v in axe.run(staff).response["violations"]]
        letter_pdf = staff.pdf(format="A4", prefer_css_page_size=True)
        browser.close()

    assert violations == {"record": [], "due list": [], "letter": []}
    for document, pages in ((due_pdf, 1), (letter_pdf, 1)):
        reader = pypdf.PdfReader(io.BytesIO(document))
        assert len(reader.pages) == pages
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
