"""The check page lists a multi-choice answer one choice a line (issue 22): labels are often sentences,
and joined into one run they read as one long sentence to a slow reader."""

from __future__ import annotations

import re

import pytest
from babel.lists import format_list
from walk import start_and_reach, typical_answers


def row_of(html: str, step_id: str) -> str:
    return re.search(rf'<dt id="prompt-{step_id}">.*?</dd>', html, re.S)[0]


def plain(fragment: str) -> str:
    return re.sub(r"<rt>.*?</rt>|<[^>]+>", "", fragment).strip()


@pytest.mark.parametrize("locale", ["ja@easy", "ne", "en"])
def test_each_choice_of_a_multi_choice_answer_is_a_line_of_its_own(client, locale):
    answers = typical_answers() | {"barriers": ["low_pension", "isolation", "illness"]}
    html = start_and_reach(client, "check", answers=answers, locale=locale)
    row = row_of(html, "barriers")
    items = re.findall(r"<li>(.*?)</li>", re.search(r'<ul class="answer-lines">(.*?)</ul>', row, re.S)[1], re.S)
    assert len(items) == 3
    lines = [plain(item) for item in items]
    assert all(lines) and len(set(lines)) == 3
    # Each <li> is one label as the question showed it; nothing on the page joins them into one run.
    babel_locale = "ja" if locale == "ja@easy" else locale
    assert format_list(lines, locale=babel_locale) not in plain(html)
    single = row_of(html, "work_now")  # a single answer stays a plain line
    assert "answer-lines" not in single
