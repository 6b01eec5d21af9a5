"""In Chromium: a translator opens a deep kiosk screen in Vietnamese in one click from the preview page."""

from __future__ import annotations

import pytest
from browser.harness import screenshot
from conftest import in_office
from staff import PASSWORD, make_user, second_step_in_browser

from intake.records import Intake

pytestmark = pytest.mark.browser


def test_a_translator_opens_the_actions_screen_in_vietnamese_in_one_click(live, page):
    make_user(live.app, "tr", "translator")
    page.goto(f"{live.url}/caseworker/login?next=/translate/vi/")
    page.fill("#username", "tr")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    second_step_in_browser(page, live.app, "tr")
    assert page.url.endswith("/translate/vi/")

    page.get_by_role("link", name="self_reliance › actions").click()  # the one click

    assert page.url.endswith("/translate/vi/kiosk/self_reliance/actions")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "kiosk" in page.locator("body").get_attribute("class")
    question = page.locator("section.question[data-step=actions]")
    assert question.is_visible()
    with live.app.test_request_context():
        from flask import g
        from flask_babel import gettext, pgettext, refresh

        from intake.web.common import engines

        g.locale = "vi"
        refresh()
        dialogue = engines()["self_reliance"].dialogue
        prompt = pgettext(dialogue.context("actions"), dialogue.steps["actions"].prompt)
        continue_label = gettext("Continue")
    assert " ".join(page.locator("#question-title").inner_text().split()) == " ".join(prompt.split())
    assert page.get_by_role("button", name=continue_label).first.is_visible()
    # Earlier answers are samples: the conversation above is filled in, and the form starts with the chosen ideas.
    assert page.locator(".bubble.recipient").count() >= 10
    assert page.locator("#item-0-text").input_value() != ""
    # The preview's own toolbar stays usable; the kiosk's controls are inert (nothing to send from here).
    assert page.locator("section.question").evaluate("el => el.closest('[inert]') !== null")
    page.select_option("#preview-furigana", "off")
    page.select_option("#preview-locale", "ja@easy")
    page.get_by_role("button", name="Show").click()
    assert "/translate/ja@easy/kiosk/self_reliance/actions?furigana=off" in page.url
    assert "no-furigana" in page.locator("body").get_attribute("class")
    page.locator("a[rel=prev]").click()  # the screen before, with the same settings
    assert "/translate/ja@easy/kiosk/self_reliance/action_ideas?furigana=off" in page.url
    screenshot(page, "translator-kiosk-step")
    with in_office(live.app):
        assert Intake.query.count() == 0
