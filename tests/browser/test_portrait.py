"""A portrait kiosk (1080×1920) and a small landscape one (1280×800), JavaScript on: after every answer
the new question and its primary button are on screen, not covered, without scrolling."""

from __future__ import annotations

import re

import pytest
from browser.harness import screenshot
from browser.kiosk_driver import start, walk_to_done
from playwright.sync_api import expect
from walk import typical_answers

ANSWERS = dict(typical_answers(), language="en")
# The button that answers: Continue, or for the kinds answered by their own buttons, the first of those.
PRIMARY = ".question .buttons button.primary, .question button[name='value']"

IN_VIEW = """([selector, viewportHeight]) => {
  const element = document.querySelector(selector);
  if (!element) return "missing";
  const box = element.getBoundingClientRect();
  if (box.top < 0 || box.bottom > viewportHeight) return `at ${Math.round(box.top)}–${Math.round(box.bottom)}`;
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return hit && (element === hit || element.contains(hit)) ? "" : `covered by ${hit && hit.outerHTML.slice(0, 80)}`;
}"""


@pytest.mark.parametrize("size", [(1080, 1920), (1280, 800)], ids=["portrait-1080x1920", "landscape-1280x800"])
def test_every_new_question_and_its_button_are_in_view(browser, live, size):
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems = []

    def measure(page, step_id, kind):
        page.wait_for_function("document.activeElement && document.activeElement.id === 'question-title'")
        for name, selector in (("question", "#question-title"), ("button", PRIMARY)):
            found = page.evaluate(IN_VIEW, [selector, height])
            if found:
                problems.append(f"{step_id}: the {name} is {found}")
                screenshot(page, f"portrait-{width}x{height}-{step_id}")

    try:
        start(page, live.url)
        # The welcome screen is a page load, not an answer; the done screen has no question to answer.
        shown = walk_to_done(page, ANSWERS, on_step=lambda p, s, k: s != "welcome" and k != "done" and measure(p, s, k))
        assert shown[-1] == "done"
    finally:
        context.close()
    assert not problems, "\n".join(problems)


# The top of the title (its furigana included) against the bottom of the sticky header, which grows with the
# text size and the furigana: with the stylesheet's fixed scroll padding the check page's title began under it.
TITLE_BELOW_HEADER = """() => {
  const header = document.querySelector(".kiosk-header").getBoundingClientRect();
  const title = document.getElementById("question-title");
  const tops = [title, ...title.querySelectorAll("rt")].map((element) => element.getBoundingClientRect().top);
  return Math.round(header.bottom - Math.min(...tops));
}"""


@pytest.mark.parametrize("script", [True, False], ids=["javascript", "no-javascript"])
def test_the_whole_title_is_below_the_header_with_larger_text_and_furigana(browser, live, script):
    """Without JavaScript the page loads at #question-title and only the stylesheet keeps it clear (issue 22)."""
    context = browser.new_context(viewport={"width": 1080, "height": 1920}, locale="ja-JP", java_script_enabled=script)
    context.set_default_timeout(10_000)
    page = context.new_page()
    hidden = []

    def measure(page, step_id, kind):
        if step_id == "notice":  # the first screen with the display settings and a question to answer
            page.locator("button[name=furigana]").click()
            page.locator("button[name=text_size][value=larger]").click()
            expect(page.locator("body")).to_have_class(re.compile(r"\btext-larger\b"))
        elif kind != "done" and step_id not in {"welcome", "language"}:
            if script:
                page.wait_for_function("document.activeElement && document.activeElement.id === 'question-title'")
            covered = page.evaluate(TITLE_BELOW_HEADER)
            if covered > 0:
                hidden.append(f"{step_id}: {covered} px of the title under the header")
                screenshot(page, f"title-under-header-{'js' if script else 'nojs'}-{step_id}")

    try:
        start(page, live.url)
        walk_to_done(page, dict(typical_answers(), language="ja"), on_step=measure)
        assert page.locator("body.kiosk:not(.no-furigana) rt").count() > 0  # the readings were on
    finally:
        context.close()
    assert not hidden, "\n".join(hidden)
