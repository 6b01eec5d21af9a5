"""The pocket card holds the longest plan the kiosk takes (issue 24): the goal and three actions of 200 characters
each in Chinese, the official Japanese beside them. The card's text gets smaller (domain/pocket_card.text_size);
the foot (the next review, the QR code, the contact) is printed whole, and the QR code still reads."""

from __future__ import annotations

import io
from datetime import date

import pytest
import staff
import zxingcpp
from browser.harness import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, screenshot
from liveserver import serve_in_thread
from PIL import Image
from playwright import sync_api
from staff import answers_for, make_office, new_case, sign_in, signed_in_page
from walk import walk_forms

pytestmark = pytest.mark.browser

TODAY = date(2019, 5, 1)
# 200 characters, the most an answer at the kiosk holds (dialogues/self_reliance.yaml).
LONGEST = ("星期二上午和社工一起去职业介绍所，带上新的简历，问问家附近的兼职工作。也要按时去医院看膝盖，每天散步三十分钟，早睡早起。" * 3)[:200]
JAPANESE = "火曜日の午前に担当者とハローワークへ行き、更新した履歴書を持参して、自宅近くのパートタイムの求人について相談する。あわせて通院を続け、毎日散歩をする"


@pytest.fixture
def live_app(app):
    base, stop = serve_in_thread(app)
    yield app, base
    stop()


def _longest_plan(app, monkeypatch) -> int:
    client = app.test_client()
    sign_in(client, "cw")
    case_id, code = new_case(client, number="R8-5001", language="zh_Hans")
    answers = answers_for(TODAY, "zh_Hans")
    answers["goal_own"] = LONGEST
    answers["actions"] = [{**answers["actions"][0], "text": LONGEST} for _ in range(3)]
    kiosk = app.test_client()
    assert kiosk.post("/kiosk/code", data={"code": code, "locale": "zh_Hans"}).status_code == 302
    assert walk_forms(kiosk, answers, locale="zh_Hans", started=True)[-1] == "done"
    # The caseworker writes the official Japanese of each, as long as a careful translation runs.
    japanese = {name: JAPANESE for name in ("goal_japanese", "action-0-japanese", "action-1-japanese", "action-2-japanese")}
    monkeypatch.setattr(staff, "TYPICAL_JAPANESE", {**staff.TYPICAL_JAPANESE, **japanese})
    staff.approve_typical_plan(client, case_id, TODAY, date(2019, 8, 1))
    return case_id


def test_the_longest_plan_fits_and_the_qr_code_and_the_contact_are_printed_whole(live_app, monkeypatch):
    app, base = live_app
    make_office(app)
    app.config["OFFICE_TODAY"] = TODAY
    case_id = _longest_plan(app, monkeypatch)
    app.config["WTF_CSRF_ENABLED"] = True

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = signed_in_page(browser, app, base)
        page.goto(f"{base}/caseworker/cases/{case_id}/versions/1/card", wait_until="load")
        card = page.locator("[data-testid=pocket-card]")
        screenshot(page, "pocket-card-longest-plan")
        assert card.get_attribute("data-text-size") == "smallest"
        outline = card.bounding_box()
        for part in ("card-qr", "card-code", "card-review"):
            box = page.locator(f"[data-testid={part}]").bounding_box()
            assert box["y"] + box["height"] <= outline["y"] + outline["height"], f"{part} is cut off the card"
        contact = card.locator(".card-contact").bounding_box()
        assert contact["y"] + contact["height"] <= outline["y"] + outline["height"], "the contact is cut off the card"
        # The goal and every action are there in full: the text fits above the foot.
        body = page.evaluate("() => { const b = document.querySelector('[data-testid=card-body]');"
                             " return [b.scrollHeight, b.clientHeight]; }")
        assert body[0] <= body[1], f"the card's text is cut: {body}"
        assert card.inner_text().count(LONGEST) == 4  # the goal and three actions, in Chinese, whole
        png = page.locator("[data-testid=card-qr] svg").screenshot()
        found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
        if len(found) != 1:
            ARTIFACTS.mkdir(exist_ok=True)
            (ARTIFACTS / "pocket-card-longest-plan-qr-unread.png").write_bytes(png)
        assert len(found) == 1 and found[0].text.startswith("YC1-")
        browser.close()
