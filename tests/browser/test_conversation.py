"""The conversation in Chromium: the same validation messages with and without JavaScript, keyboard only,
focus on the new question, touch targets of at least 44 px and 24 px text at the kiosk."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser.harness import screenshot
from browser.kiosk_driver import CONTINUE, answer_current, choose_date, current_step, start, walk_to_done
from conftest import day_ahead
from playwright.sync_api import expect
from walk import typical_answers

pytestmark = pytest.mark.browser

FIXTURE_DIALOGUES = Path(__file__).parent / "dialogues"
ANSWERS = dict(typical_answers(), language="en")


def _errors(page) -> dict:
    page.locator(".error-summary").wait_for()
    return {
        "title": page.title(),
        "summary": page.locator(".error-summary").inner_text(),
        "messages": [
            (m.get_attribute("id"), m.inner_text(), m.evaluate("m => m.nextElementSibling && m.nextElementSibling.id"))
            for m in page.locator(".question .error-message").all()
        ],
    }


def _walk_to(page, step_id: str) -> None:
    while current_step(page)[0] != step_id:
        answer_current(page, ANSWERS)


def test_same_messages_with_and_without_javascript(live_factory, page, plain_page):
    live = live_factory(DIALOGUES_DIR=str(FIXTURE_DIALOGUES), INTAKE_DIALOGUE="kinds")
    seen = []
    for p in (page, plain_page):
        start(p, live.url)
        _walk_to(p, "next_visit")
        choose_date(p, "answer-date", day_ahead(1)[:7])  # a year and a month, but no day
        p.locator(f".question {CONTINUE}").click()
        seen.append(_errors(p))
    assert seen[0] == seen[1]
    assert seen[0]["messages"] and seen[0]["title"].startswith(seen[0]["title"].split(":")[0] + ":")


def test_same_messages_for_the_actions_with_and_without_javascript(live, page, plain_page):
    seen = []
    for p in (page, plain_page):
        start(p, live.url)
        _walk_to(p, "actions")
        p.locator("#item-0-text").fill("Go to Hello Work with my caseworker on a Tuesday")
        choose_date(p, "item-1-date", day_ahead(2))
        p.locator(f".question {CONTINUE}").click()
        seen.append(_errors(p))
    assert seen[0] == seen[1]
    assert len(seen[0]["messages"]) >= 2  # each message sits right above its own field


def _tab_to(page, selector: str, limit: int = 40) -> None:
    for _ in range(limit):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} cannot be reached with Tab")


def test_keyboard_alone_and_focus_on_the_new_question(live, page):
    page.goto(f"{live.url}/kiosk/")
    _tab_to(page, 'form[action$="/kiosk/start"] button')
    page.keyboard.press("Enter")
    page.locator('.question[data-step="welcome"]').wait_for()

    _tab_to(page, f".question {CONTINUE}")
    page.keyboard.press("Enter")
    page.locator('.question[data-step="language"]').wait_for()
    assert page.evaluate("document.activeElement.id") == "question-title"

    _tab_to(page, ".question input[type=radio]")
    page.keyboard.press("Space")
    _tab_to(page, f".question {CONTINUE}")
    page.keyboard.press("Enter")
    page.locator('.question[data-step="notice"]').wait_for()

    _tab_to(page, '.question button[value="yes"]')
    page.keyboard.press("Enter")
    page.locator('.question[data-step="future_picture"]').wait_for()
    assert page.evaluate("document.activeElement.id") == "question-title"
    assert page.locator("[role=log] li").count() >= 4

    _tab_to(page, "#answer-text")
    page.keyboard.type("I work a few hours a day.")
    _tab_to(page, f".question {CONTINUE}")
    page.keyboard.press("Enter")
    page.locator('.question[data-step="future_areas"]').wait_for()
    assert "I work a few hours a day." in page.locator("[role=log]").inner_text()

    # Back, by keyboard: the last exchange leaves the transcript; the rest stays as it was (not re-announced).
    page.evaluate("document.querySelector('[role=log] li').dataset.kept = 'yes'")
    _tab_to(page, ".back-form button")
    page.keyboard.press("Enter")
    page.locator('.question[data-step="future_picture"]').wait_for()
    assert "I work a few hours a day." not in page.locator("[role=log]").inner_text()
    assert page.locator('[role=log] li[data-kept="yes"]').count() == 1


TARGETS = """() => Array.from(document.querySelectorAll(
    'button, select, textarea, summary, a, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), .choice, .scale-point label'
  )).filter(e => e.offsetParent !== null && !e.closest('.visually-hidden, .skip-link'))
    .map(e => { const r = e.getBoundingClientRect();
      return {what: e.outerHTML.slice(0, 80), width: r.width, height: r.height}; })
    .filter(t => t.width < 44 || t.height < 44)"""


def test_touch_targets_and_text_size(live, page):
    page.goto(f"{live.url}/kiosk/")
    assert page.evaluate(TARGETS) == []
    start(page, live.url)
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "24px"
    for step_id in ("language", "future_areas", "daily_rhythm_now", "feelings_now", "goal_date", "actions"):
        _walk_to(page, step_id)
        assert page.evaluate(TARGETS) == [], step_id


def test_reflow_at_320_pixels(live, browser):
    """WCAG 1.4.10: at 320 CSS pixels wide nothing needs scrolling sideways, at any step."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        start(page, live.url)
        wide = []

        def look(p, step_id, kind):
            if p.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth"):
                wide.append(step_id)
            if kind in {"info", "scale", "actions", "check"}:
                screenshot(p, f"narrow-{kind}")

        walk_to_done(page, ANSWERS, on_step=look)
        assert wide == []
    finally:
        context.close()


def test_gentle_prompt_on_actions_then_keep_them(live, page, plain_page):
    """A vague, unsure action gets the same gentle prompts either way; "keep" moves on as it is."""
    seen = []
    for p in (page, plain_page):
        start(p, live.url)
        _walk_to(p, "actions")
        p.locator("#item-0-text").fill("Try my best")
        choose_date(p, "item-0-date", day_ahead(2))
        p.locator("#item-0-confidence").select_option("3")
        p.locator(f".question {CONTINUE}").click()
        p.locator(".question .nudge").first.wait_for()
        seen.append([n.inner_text() for n in p.locator(".question .nudge").all()])
        assert p.locator("#item-0-text").input_value() == "Try my best"
        p.locator('.question button[value="keep"]').click()
        p.locator('.question[data-step="check"]').wait_for()
    assert seen[0] == seen[1] and len(seen[0]) == 2


def test_change_an_answer_from_the_check_page(live, page):
    start(page, live.url)
    page.evaluate("window.notReloaded = true")
    _walk_to(page, "check")
    row = page.locator(".check-row", has_text="I raised my son on my own.")
    button = row.get_by_role("button")
    # A screen reader hears which answer the button changes: its name is "Change" and the row's question.
    expect(button).to_have_accessible_name(f"Change {row.locator('dt').inner_text()}")
    button.click()
    page.locator('.question[data-step="strengths_own"]').wait_for()
    page.locator("#answer-text").fill("I cook for my neighbour every week.")
    page.locator(f".question {CONTINUE}").click()
    page.locator('.question[data-step="check"]').wait_for()
    assert "I cook for my neighbour every week." in page.locator(".check-answers").inner_text()
    assert "I raised my son on my own." not in page.locator(".check-answers").inner_text()
    assert page.evaluate("window.notReloaded === true")
