"""kiosk.js's replies in Chromium: only what changes in #main, and of the transcript only the bubbles the page
does not show yet. After answers, Back, Change, a page whose bubbles differ and a reply that does not line up,
the transcript on screen is the whole page's, and the bubbles kept are the same elements (not announced again)."""

from __future__ import annotations

import re

import pytest
from browser.kiosk_driver import CONTINUE, answer_current, current_step, start
from walk import typical_answers

pytestmark = pytest.mark.browser

ANSWERS = dict(typical_answers(), language="en")

ON_SCREEN = """() => Array.from(document.querySelectorAll('[role=log] li'))
    .map(li => [li.dataset.key, li.textContent.replace(/\\s+/g, ' ').trim()])"""
# The same conversation as a whole page (no X-Kiosk-Swap): what a reload or JavaScript off shows.
WHOLE_PAGE = """async () => {
  const response = await fetch('/kiosk/step', {credentials: 'same-origin', cache: 'no-store'});
  const page = new DOMParser().parseFromString(await response.text(), 'text/html');
  return Array.from(page.querySelectorAll('[role=log] li'))
    .map(li => [li.dataset.key, li.textContent.replace(/\\s+/g, ' ').trim()]);
}"""
MARK_ALL = "() => document.querySelectorAll('[role=log] li').forEach(li => li.dataset.kept = 'yes')"
KEPT = "() => document.querySelectorAll('[role=log] li[data-kept=yes]').length"


def _walk_to(page, step_id: str) -> None:
    while current_step(page)[0] != step_id:
        answer_current(page, ANSWERS)


def _same_as_whole_page(page) -> list:
    shown = page.evaluate(ON_SCREEN)
    assert shown == page.evaluate(WHOLE_PAGE)
    return shown


def _reply(page, action) -> tuple[str | None, int]:
    """What `action` brings from the server to kiosk.js: its X-Kiosk-Swap header and the bubbles in it."""
    with page.expect_response(
        lambda r: r.request.resource_type == "fetch" and r.url.endswith("/kiosk/step") and r.status == 200
    ) as reply:
        action()
    body = reply.value.text()
    return reply.value.headers.get("x-kiosk-swap"), len(re.findall(r'<li class="bubble', body))


def test_replies_hold_only_new_bubbles_after_answers_back_and_change(live, page):
    start(page, live.url)
    page.evaluate("window.notReloaded = true")
    _walk_to(page, "strengths_own")
    before = _same_as_whole_page(page)
    assert len(before) > 6

    # An answer: the reply holds the two new bubbles only; every earlier one stays the same element, and so
    # does what did not change around the question ("Continue later"), while the question is new.
    page.evaluate(MARK_ALL)
    page.evaluate("() => { window.shown = ['.continue-later', '.question'].map(s => document.querySelector(s)); }")
    assert _reply(page, lambda: answer_current(page, ANSWERS)) == ("fragment", 2)
    after = _same_as_whole_page(page)
    assert after[: len(before)] == before and len(after) == len(before) + 2
    assert page.evaluate(KEPT) == len(before)
    still = "() => ['.continue-later', '.question'].map((s, i) => document.querySelector(s) === window.shown[i])"
    assert page.evaluate(still) == [True, False]

    # Back: the last exchange leaves, nothing is sent again.
    page.evaluate(MARK_ALL)

    def back():
        page.locator(".back-form button").click()
        page.locator('.question[data-step="strengths_own"]').wait_for()

    assert _reply(page, back) == ("fragment", 0)
    assert _same_as_whole_page(page) == before
    assert page.evaluate(KEPT) == len(before)

    # Change from the check page (which has no transcript): the whole transcript comes back once.
    _walk_to(page, "check")

    def change():
        page.locator(".check-row", has_text="I raised my son on my own.").locator(".change button").click()
        page.locator('.question[data-step="strengths_own"]').wait_for()

    assert _reply(page, change) == ("fragment", len(before))
    assert _same_as_whole_page(page) == before
    page.locator("#answer-text").fill("I cook for my neighbour every week.")
    page.locator(f".question {CONTINUE}").click()
    page.locator('.question[data-step="check"]').wait_for()
    assert "I cook for my neighbour every week." in page.locator(".check-answers").inner_text()
    assert page.evaluate("window.notReloaded === true")


def test_bubbles_that_differ_from_the_server_are_replaced(live, page):
    """A bubble the page shows differently (here: its key altered) is replaced with everything after it."""
    start(page, live.url)
    _walk_to(page, "daily_rhythm_now")
    page.evaluate(MARK_ALL)
    held = len(page.evaluate(ON_SCREEN))
    page.evaluate("document.querySelectorAll('[role=log] li')[3].dataset.key = 'changed'")
    answer_current(page, ANSWERS)
    shown = _same_as_whole_page(page)
    assert len(shown) == held + 2
    assert page.evaluate(KEPT) == 3  # the three before it stayed; the rest came again


def test_a_reply_that_does_not_line_up_loads_the_whole_page(live, page):
    """If the reply would keep more bubbles than the page shows, the page is loaded whole instead."""
    start(page, live.url)
    _walk_to(page, "future_areas")
    page.evaluate("window.notReloaded = true")

    def too_many_kept(route):
        response = route.fetch()
        body = re.sub(r'data-keep="\d+"', 'data-keep="999"', response.text())
        route.fulfill(response=response, body=body)

    page.route(
        "**/kiosk/step", lambda route: too_many_kept(route) if route.request.method == "POST" else route.continue_()
    )
    answer_current(page, ANSWERS)
    page.wait_for_load_state("load")
    assert page.evaluate("window.notReloaded === undefined")
    _same_as_whole_page(page)
