"""The side-by-side (対訳) display at the counter: each question, option and answer with the Japanese beneath
(lang="ja"), a kiosk-session setting like text size and furigana (issue 22)."""

from __future__ import annotations

import re

from walk import start_and_reach, typical_answers


def beneath(html: str) -> list[str]:
    """The texts shown beneath, without their furigana."""
    found = re.findall(r'<(?:span|p) class="beneath" lang="ja">(.*?)</(?:span|p)>', html, re.S)
    return [re.sub(r"<rt>.*?</rt>|<[^>]+>", "", text).strip() for text in found]


def plain(html: str) -> str:
    return re.sub(r"<rt>.*?</rt>|<[^>]+>", "", html).strip()


def bubble(html: str, step_id: str) -> str:
    return re.search(rf'<li class="bubble recipient" data-from="{step_id}"[^>]*>(.*?)</li>', html, re.S)[1]


def toggle(html: str) -> str:
    found = re.search(r'<button type="submit" name="side_by_side" value="(on|off)"', html)
    return found[1] if found else ""


def test_a_nepali_page_shows_the_japanese_beneath_each_question_option_and_answer(client):
    japanese = start_and_reach(client, "work_now", locale="ja")
    ja_prompt = re.sub(
        r"<rt>.*?</rt>|<[^>]+>", "", re.search(r'<h1 id="question-title"[^>]*>(.*?)</h1>', japanese, re.S)[1]
    )
    ja_options = [
        re.sub(r"<rt>.*?</rt>|<[^>]+>", "", label).strip()
        for label in re.findall(r'<label for="option-[^"]+">(.*?)</label>', japanese, re.S)
    ]
    assert toggle(japanese) == ""  # Japanese beneath Japanese says nothing new
    client.post("/kiosk/finish")

    page = start_and_reach(client, "work_now", locale="ne")
    assert toggle(page) == "on" and beneath(page) == []
    response = client.post("/kiosk/display", data={"side_by_side": "on", "locale": "ne"})
    assert response.status_code == 303
    page = client.get("/kiosk/step").get_data(as_text=True)
    assert toggle(page) == "off" and 'aria-pressed="true"' in page.split('name="side_by_side"')[1][:200]
    shown = beneath(page)
    assert ja_prompt.strip() in shown  # the question
    assert all(option in shown for option in ja_options) and ja_options  # every option, in the order shown
    # The answers so far: a chosen answer's bubble has the Japanese bubble's text beneath it.
    assert beneath(bubble(page, "age_band")) == [plain(bubble(japanese, "age_band"))]
    # The language chosen: its own name to the recipient, its Japanese name beneath for the person beside them.
    assert plain(bubble(page, "language")).startswith("नेपाली") and beneath(bubble(page, "language")) == ["ネパール語"]

    client.post("/kiosk/display", data={"side_by_side": "off", "locale": "ne"})
    assert beneath(client.get("/kiosk/step").get_data(as_text=True)) == []


def test_the_check_page_has_the_japanese_beneath_each_answer_and_keeps_the_text_size(client):
    client.post("/kiosk/display", data={"text_size": "larger", "locale": "vi"})
    client.post("/kiosk/display", data={"side_by_side": "on", "locale": "vi"})
    answers = typical_answers() | {"barriers": ["low_pension", "isolation"]}
    page = start_and_reach(client, "check", answers=answers, locale="vi")
    assert "text-larger" in page  # one setting does not undo the other
    rows = re.findall(r'<div class="check-row">(.*?)</div>', page, re.S)
    assert rows
    for row in rows:
        step_id = re.search(r'id="prompt-([a-z_]+)"', row)[1]
        assert '<span class="beneath" lang="ja">' in row.split("<dd>")[0], step_id  # the question
    barriers = next(row for row in rows if 'id="prompt-barriers"' in row)
    assert len(beneath(barriers.split("<dd>")[1])) == 2  # each choice on its line, Japanese beneath each
    own_words = next(row for row in rows if 'id="prompt-future_picture"' in row)
    assert beneath(own_words.split("<dd>")[1]) == []  # the recipient's own words are not translated
