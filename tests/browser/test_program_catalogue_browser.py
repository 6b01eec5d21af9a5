"""The office admin edits a program on the web; the next recipient at that office's kiosk reads the new text."""

from __future__ import annotations

import pytest
from browser.harness import screenshot
from browser.kiosk_driver import answer_current, current_step, start
from staff import PASSWORD, make_office, second_step_in_browser
from walk import typical_answers

pytestmark = pytest.mark.browser

NEW_NAME, NEW_ACTION = "しごと相談（新）", "月曜日にハローワークの窓口で相談する"


def walk_to(page, answers: dict, step: str) -> None:
    for _ in range(40):
        if current_step(page)[0] == step:
            return
        answer_current(page, answers)
    raise AssertionError(f"never reached {step}")


def test_an_edited_program_shows_on_the_kiosks_programs_step(live, browser, page):
    make_office(live.app)
    admin = browser.new_page(locale="ja-JP")
    admin.goto(f"{live.url}/caseworker/login")
    admin.fill("#username", "admin")
    admin.fill("#password", PASSWORD)
    admin.click("button[type=submit]")
    second_step_in_browser(admin, live.app, "admin")
    admin.click("text=支援プログラム一覧")
    admin.click('[data-program="employment_support"] a')
    admin.fill("#name", NEW_NAME)
    admin.fill("#action", NEW_ACTION)
    admin.click("text=変更を保存")
    assert admin.input_value("#action") == NEW_ACTION
    assert "プログラムの変更を保存しました。" in admin.content()
    screenshot(admin, "program-edited")
    admin.close()

    answers = typical_answers() | {"language": "ja"}
    start(page, live.url)
    walk_to(page, answers, "action_ideas")
    question = page.locator(".question")
    assert NEW_ACTION in question.inner_text() and NEW_NAME in question.inner_text()
    screenshot(page, "kiosk-program-edited")

    answers["language"] = "en"  # a language the new text is not yet translated into: the Japanese, marked
    english = page.context.browser.new_page()
    start(english, live.url)
    walk_to(english, answers, "action_ideas")
    marked = english.locator('.question [lang="ja"].untranslated', has_text=NEW_ACTION)
    assert marked.count() == 1
    assert "Go to Hello Work with my caseworker" not in english.locator(".question").inner_text()
    english.close()
