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


def programs_page(live, browser):
    """The office admin, signed in, on the list of support programs (in Japanese)."""
    admin = browser.new_page(locale="ja-JP")
    admin.goto(f"{live.url}/caseworker/login")
    admin.fill("#username", "admin")
    admin.fill("#password", PASSWORD)
    admin.click("button[type=submit]")
    second_step_in_browser(admin, live.app, "admin")
    admin.click("text=支援プログラム一覧")
    return admin


def test_an_edited_program_shows_on_the_kiosks_programs_step(live, browser, page):
    make_office(live.app)
    admin = programs_page(live, browser)
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


def test_the_admin_chooses_a_condition_from_lists_and_the_kiosk_says_why(live, browser, page):
    """No ids to type: the admin opens "suggested only for", ticks two age bands under the age question and
    saves; a recipient in their forties who names few people to talk to is no longer offered volunteering, and
    under each first step the kiosk offers reads why it is suggested."""
    make_office(live.app)
    admin = programs_page(live, browser)
    admin.click('[data-program="social_participation"] a')
    assert admin.locator("textarea#answers").count() == 0
    admin.click('[data-testid="require-lists"] summary')
    for band in ("65_to_74", "75_plus"):
        admin.check(f'input[name="require:age_band"][value="{band}"]')
    screenshot(admin, "program-condition")
    admin.click("text=変更を保存")
    assert "プログラムの変更を保存しました。" in admin.content()
    assert admin.is_checked('input[name="require:age_band"][value="75_plus"]')
    assert admin.locator('[data-testid="require-lists"]').get_attribute("open") is not None
    admin.close()

    answers = typical_answers() | {"language": "en", "barriers": ["isolation", "job_search"]}
    start(page, live.url)
    walk_to(page, answers, "action_ideas")
    question = page.locator(".question")
    assert "Try one volunteer activity" not in question.inner_text()
    why = page.locator("#option-employment_support-why")
    assert why.inner_text() == "Suggested because of what you said is hard: finding a job."
    screenshot(page, "kiosk-why-suggested")
