"""axe-core on every kind of kiosk screen (each step kind, the check page, the done page, the polite end,
an answer with errors, the resume page, the idle warning and the embedding demo): no violations."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser.harness import ARTIFACTS, screenshot
from browser.kiosk_driver import CONTINUE, answer_current, current_step, start, walk_to_done
from conftest import day_ahead
from walk import typical_answers

pytestmark = pytest.mark.browser

_axe = Axe()
FIXTURE_DIALOGUES = Path(__file__).parent / "dialogues"


class Findings:
    """Violations by screen; every screen is checked before the test fails, so one run shows them all."""

    def __init__(self):
        self.by_screen: dict[str, list[str]] = {}

    def check(self, page, screen: str) -> None:
        results = _axe.run(page)
        screenshot(page, f"axe-{screen}")
        report = ARTIFACTS / f"axe-{screen}.txt"
        report.unlink(missing_ok=True)
        if results.violations_count:
            report.write_text(results.generate_report())
            self.by_screen[screen] = [
                f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]
            ]

    def assert_none(self) -> None:
        assert not self.by_screen, "\n".join(f"{screen}: {found}" for screen, found in self.by_screen.items())


def test_every_kiosk_screen_has_no_axe_violations(live, page):
    findings = Findings()
    page.goto(f"{live.url}/kiosk/")
    findings.check(page, "landing")
    page.goto(f"{live.url}/kiosk/resume")
    findings.check(page, "resume")
    page.locator("#receipt-code").fill("WRONG123")
    page.locator('.resume button[type="submit"]').click()
    page.locator(".error-summary").wait_for()
    findings.check(page, "resume-error")

    start(page, live.url)
    seen: set[str] = set()
    answers = dict(typical_answers(), language="en")

    def look(p, step_id, kind):
        if step_id in {"goal_own", "goal_date", "actions"}:  # required: an empty answer shows the errors
            p.locator(f".question {CONTINUE}").click()
            p.locator(".error-summary").wait_for()
            findings.check(p, f"error-{kind}")
        if kind not in seen:
            seen.add(kind)
            findings.check(p, f"step-{kind}")

    walk_to_done(page, answers, on_step=look)
    assert {"info", "language", "consent", "text", "multi_choice", "single_choice", "scale", "month", "actions"} <= seen
    assert {"check", "handover", "done"} <= seen

    # The polite end: someone who does not agree.
    page.locator(".question .end-form button").click()
    page.locator(".landing").wait_for()
    start(page, live.url)
    while current_step(page)[1] != "consent":
        answer_current(page, answers)
    page.locator('.question button[name="value"][value="no"]').click()
    page.locator('.question[data-kind="end"]').wait_for()
    findings.check(page, "step-end")
    findings.assert_none()


def test_idle_warning_and_demo_page_have_no_axe_violations(live_factory, page):
    # Half the reading time: the warning comes within seconds, and after "I am still here" the pages
    # that follow are checked before it comes again.
    live = live_factory(KIOSK_IDLE_SECONDS=1, KIOSK_IDLE_WARNING_SECONDS=60, KIOSK_READING_TIME_FACTOR=0.5)
    findings = Findings()
    start(page, live.url)
    page.locator("#idle-dialog[open]").wait_for(timeout=40_000)
    findings.check(page, "idle-warning")
    page.locator(".idle-continue").click()
    page.locator("#idle-dialog[open]").wait_for(state="hidden")
    # The other pages on a kiosk with the usual idle time: with 1 s the warning opens again during an axe check
    # (a busy machine, or CSS and JavaScript from the cache, make that likely) and covers what comes next.
    calm = live_factory()
    start(page, calm.url)
    # Japanese, with the largest text
    page.locator("#language-select").select_option("ja")
    page.locator(".language-switch button").click()
    page.locator("html[lang=ja]").wait_for()
    page.locator(".size-larger").click()
    page.locator(".size-larger[aria-pressed=true]").wait_for()
    findings.check(page, "ja-larger")
    page.locator("#language-select").select_option("ja@easy")  # Easy Japanese: furigana shown
    page.locator(".language-switch button").click()
    page.locator(".furigana-toggle[aria-pressed=true]").wait_for()
    findings.check(page, "easy-japanese")
    page.goto(f"{calm.url}/embed/demo")
    page.locator(".yorisoi-launcher").click()
    page.frame_locator(".yorisoi-frame").locator("h1").wait_for()
    findings.check(page, "embed-demo-open")
    findings.assert_none()


def test_yes_no_and_date_steps_have_no_axe_violations(live_factory, page):
    """The kinds the self-reliance dialogue does not use, from a small fixture dialogue."""
    live = live_factory(DIALOGUES_DIR=str(FIXTURE_DIALOGUES), INTAKE_DIALOGUE="kinds")
    findings = Findings()
    start(page, live.url)

    def look(p, step_id, kind):
        if kind == "date":
            p.locator(f".question {CONTINUE}").click()
            p.locator(".error-summary").wait_for()
            findings.check(p, "error-date")
        if kind in {"yes_no", "date"}:
            findings.check(p, f"step-{kind}")

    shown = walk_to_done(page, {"has_doctor": "yes", "next_visit": day_ahead(1)}, on_step=look)
    assert shown == ["welcome", "notice", "has_doctor", "next_visit", "check", "handover", "done"]
    findings.assert_none()
