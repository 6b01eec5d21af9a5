"""The whole dialogue in Chromium: through the widget (JavaScript on) and through plain forms (off)."""

from __future__ import annotations

import pytest
from browser.harness import screenshot
from browser.kiosk_driver import receipt_code, start, walk_to_done
from conftest import in_office
from walk import typical_answers

from intake.extensions import db
from intake.records import Intake

pytestmark = pytest.mark.browser


def _plan(live, code: str) -> dict:
    with in_office(live.app):
        intake = db.session.scalar(db.select(Intake).filter_by(receipt_code=code))
        return intake.plan.content


def test_same_plan_with_and_without_javascript(live, page, plain_page):
    answers = typical_answers()

    start(page, live.url)
    seen = {}

    def look(p, step_id, kind):
        if step_id == "notice":
            # Marks on the window and on the log: a reload would lose the first, a redrawn log the second.
            # (Choosing a language on the step before reloads the page on purpose: the header changes too.)
            p.evaluate("window.notReloaded = true; document.querySelector('[role=log]').dataset.kept = 'yes'")
        if kind == "actions":
            assert p.evaluate("window.notReloaded === true"), "an answer reloaded the page"
            assert p.locator('[role=log][data-kept="yes"] li').count() > 20, "the log was not kept and appended to"
        if kind not in seen:
            seen[kind] = step_id
            screenshot(p, f"js-{kind}-{step_id}")

    shown_js = walk_to_done(page, answers, on_step=look)
    code_js = receipt_code(page)
    screenshot(page, "js-done")

    start(plain_page, live.url)
    shown_forms = walk_to_done(plain_page, answers)
    code_forms = receipt_code(plain_page)

    assert shown_js == shown_forms
    assert _plan(live, code_js) == _plan(live, code_forms)
