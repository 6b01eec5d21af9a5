"""Driving the kiosk in a real browser: answer whatever question is on screen, like a person would."""

from __future__ import annotations

import re

CONTINUE = '.step-form button[name="action"][value="continue"]'


def current_step(page) -> tuple[str, str]:
    question = page.locator(".question")
    return question.get_attribute("data-step"), question.get_attribute("data-kind")


def wait_for_step_after(page, step_id: str) -> None:
    """Until a different question is on screen (a reload with JavaScript off, a swap with it on)."""
    page.locator(f'.question:not([data-step="{step_id}"])').wait_for()


def answer_current(page, answers: dict) -> str:
    """Answer the question on screen from `answers` (raw values by step id); returns its step id."""
    step_id, button = prepare_answer(page, answers)
    button.click()
    wait_for_step_after(page, step_id)
    return step_id


def prepare_answer(page, answers: dict):
    """Fill in the question on screen from `answers`; returns its step id and the button that sends it."""
    step_id, kind = current_step(page)
    value = answers.get(step_id)
    question = page.locator(".question")
    if kind == "language":
        question.locator(f'[id="option-{answers.get("language", "en")}"]').check()  # option-ja@easy is no CSS id
        return step_id, question.locator(CONTINUE)
    if kind == "consent":
        return step_id, question.locator('button[name="value"][value="yes"]')
    if kind == "yes_no":
        return step_id, question.locator(f'button[name="value"][value="{value or "yes"}"]')
    if kind == "handover":
        return step_id, question.locator('button[name="value"][value="confirm"]')
    if kind in {"info", "check"}:
        return step_id, question.locator(CONTINUE)
    if step_id not in answers and kind in {"text", "multi_choice"}:
        return step_id, question.locator('button[name="action"][value="skip"]')
    if value is None and kind == "single_choice":  # an optional question left unanswered
        return step_id, question.locator(CONTINUE)
    fill(page, kind, value)
    return step_id, question.locator(CONTINUE)


def fill(page, kind: str, value) -> None:
    question = page.locator(".question")
    if kind == "text":
        question.locator("#answer-text").fill(value)
    elif kind == "single_choice":
        question.locator(f"#option-{value}").check()
    elif kind == "multi_choice":
        for option in value:
            question.locator(f"#option-{option}").check()
    elif kind == "scale":
        question.locator(f'label[for="scale-{value}"]').click()
    elif kind in ("month", "date"):
        choose_date(question, f"answer-{kind}", value)
    elif kind == "actions":
        for index, item in enumerate(value):
            question.locator(f"#item-{index}-text").fill(item["text"])
            choose_date(question, f"item-{index}-date", item["date"])
            question.locator(f"#item-{index}-confidence").select_option(str(item["confidence"]))


def choose_date(scope, field: str, value: str) -> None:
    """Pick a 'YYYY-MM-DD' or 'YYYY-MM' in the kiosk's date lists (`field`-year, -month, -day), as a person would.

    A checkout from before the lists (bench/kiosk_tap.py --compare) has the browser's own field: fill that."""
    native = scope.locator(f"input#{field}")
    if native.count():
        native.fill(value)
        return
    for part, number in zip(("year", "month", "day"), value.split("-"), strict=False):
        scope.locator(f"#{field}-{part}").select_option(str(int(number)))


def start(page, base_url: str) -> None:
    page.goto(f"{base_url}/kiosk/")
    page.locator('form[action$="/kiosk/start"] button').click()
    page.locator(".question").wait_for()
    # The question can be on screen before the stylesheet applies and before the deferred kiosk.js has
    # run; on a busy machine a test would then measure unstyled text or click an unenhanced form.
    page.wait_for_load_state("load")


def walk_to_done(page, answers: dict, on_step=None, max_screens: int = 60) -> list[str]:
    """Answer screen after screen until the done screen; `on_step(page, step_id, kind)` runs on each."""
    shown = []
    for _ in range(max_screens):
        step_id, kind = current_step(page)
        if on_step:
            on_step(page, step_id, kind)
        shown.append(step_id)
        if kind == "done":
            return shown
        answer_current(page, answers)
    raise AssertionError(f"did not reach the done screen: {shown}")


def receipt_code(page) -> str:
    return re.sub(r"[^A-Z0-9]", "", page.locator('[data-testid="receipt-code"]').inner_text())
