"""Dates entered in the recipient's language (issue 22), in Nepali and Easy Japanese, with JavaScript on and off,
on a portrait kiosk at the largest text: the lists are labelled and written in the language, a date without
its day is refused naming the allowed window in the language, a list answers the keyboard, the first action
can be today, and the check page writes both dates in the language."""

from __future__ import annotations

import re
from datetime import date

import pytest
from babel.dates import format_date, format_skeleton
from browser.harness import screenshot
from browser.kiosk_driver import CONTINUE, answer_current, choose_date, current_step
from conftest import office_today
from playwright.sync_api import expect
from walk import typical_answers

from intake.domain.dates import add_months

pytestmark = pytest.mark.browser

# An element's text without its furigana (the <rt> readings).
PLAIN = "(element) => { const copy = element.cloneNode(true); copy.querySelectorAll('rt').forEach((rt) => rt.remove()); return copy.textContent.replace(/\\s+/g, ' ').trim(); }"
WORDS = {
    "ne": {"year": "वर्ष", "month": "महिना", "day": "गते", "january": "जनवरी", "babel": "ne"},
    "ja@easy": {"year": "年", "month": "月", "day": "日", "january": "1月", "babel": "ja"},
}


def plain(locator) -> str:
    return locator.evaluate(PLAIN)


def walk_to(page, step_id: str, answers: dict) -> None:
    for _ in range(40):
        if current_step(page)[0] == step_id:
            return
        answer_current(page, answers)
    raise AssertionError(step_id)


def send(page, script: bool) -> None:
    page.locator(f".question {CONTINUE}").click()
    if not script:
        page.wait_for_load_state("load")


@pytest.mark.parametrize("script", [True, False], ids=["javascript", "no-javascript"])
@pytest.mark.parametrize("locale", ["ne", "ja@easy"])
def test_a_recipient_enters_dates_in_their_own_language(browser, live, locale, script):
    words = WORDS[locale]
    name = f"dates-{locale.replace('@', '-')}-{'js' if script else 'nojs'}"
    context = browser.new_context(viewport={"width": 1080, "height": 1920}, locale="en-GB", java_script_enabled=script)
    context.set_default_timeout(10_000)
    page = context.new_page()
    today = office_today()
    answers = dict(typical_answers(), language=locale)
    answers["actions"] = [dict(answers["actions"][0], date=today.isoformat())]  # the first action starts today
    try:
        page.goto(f"{live.url}/kiosk/?lang={locale}")
        page.locator('form[action$="/kiosk/start"] button').click()
        page.locator(".question").wait_for()
        page.wait_for_load_state("load")
        page.locator("button[name=text_size][value=larger]").click()
        expect(page.locator("body")).to_have_class(re.compile(r"\btext-larger\b"))
        walk_to(page, "goal_date", answers)

        question = page.locator(".question")
        labels = [plain(label) for label in question.locator(".date-lists label").all()]
        assert labels == [words["year"], words["month"]]  # both languages write the year first
        assert plain(question.locator('#answer-month-month option[value="1"]')) == words["january"]
        assert question.locator('input[type="month"], input[type="date"]').count() == 0
        screenshot(page, f"{name}-goal_date")

        # A year without its month: refused, the message names the window in the recipient's language.
        target = date.fromisoformat(answers["goal_date"] + "-01")
        question.locator("#answer-month-year").select_option(str(target.year))
        send(page, script)
        message = page.locator(".question .error-message")
        expect(message).to_be_visible()
        earliest = add_months(today, 6).replace(day=1)
        latest = add_months(today, 36).replace(day=1)
        shown = plain(message)
        for bound in (earliest, latest):
            assert format_skeleton("yMMMM", bound, locale=words["babel"]) in shown, shown
        assert "Please" not in shown
        assert page.locator("#answer-month-year").input_value() == str(target.year)  # what was chosen stays
        screenshot(page, f"{name}-goal_date-refused")

        # The month by keyboard alone: focus the list, then arrow keys, as a keyboard user would.
        months = page.locator("#answer-month-month")
        months.focus()
        for _ in range(target.month):
            page.keyboard.press("ArrowDown")
        assert months.input_value() == str(target.month)
        send(page, script)
        page.locator('.question:not([data-step="goal_date"])').wait_for()

        walk_to(page, "actions", answers)
        labels = [plain(label) for label in page.locator("#item-0-text ~ .date-group .date-lists label").all()]
        assert labels == [words["year"], words["month"], words["day"]]
        choose_date(page.locator(".question"), "item-0-date", today.isoformat())
        page.locator("#item-0-text").fill(answers["actions"][0]["text"])
        page.locator("#item-0-confidence").select_option("7")
        screenshot(page, f"{name}-actions")
        send(page, script)
        page.locator('.question[data-step="check"], .question .nudge, .question .error-message').first.wait_for()
        assert page.locator(".question .error-message").count() == 0, plain(page.locator(".question .error-message"))
        if current_step(page)[0] == "actions":  # a suggestion to make the step more concrete: keep it
            page.locator('.question button[value="keep"]').click()
        page.locator('.question[data-step="check"]').wait_for()

        goal_row = plain(page.locator("dt#prompt-goal_date + dd"))
        assert goal_row == format_skeleton("yMMMM", target, locale=words["babel"]), goal_row
        actions_row = plain(page.locator("dt#prompt-actions + dd"))
        assert format_date(today, "long", locale=words["babel"]) in actions_row, actions_row
        screenshot(page, f"{name}-check")
    finally:
        context.close()
