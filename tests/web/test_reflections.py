"""Reflections repeat earlier answers as short phrases joined by the language's list rules, not stitched sentences."""

from __future__ import annotations

import re

import pytest
from babel.lists import format_list
from flask import g

from intake.i18n import option_label, option_short, plain, reflected_prompt
from intake.web.common import engines

ANSWERS = {
    "future_areas": ["work", "health"],
    "strengths": ["keep_going", "asking_help"],
    "barriers": ["illness", "low_pension", "isolation"],
}
RECIPIENT_LOCALES = ["ja", "ja@easy", "es", "fil", "id", "ko", "ne", "pt_BR", "vi", "zh_Hans"]
SENTENCE_END = re.compile(r"(です|ます|[。.!?！？])$")


def _reflection(app, locale: str, step_id: str):
    """On a kiosk page in `locale`: the rendered prompt, and per reflected step the chosen options' phrases and labels."""
    with app.test_request_context("/kiosk/step"):
        g.locale = locale
        engine = engines()["self_reliance"]
        step = engine.step(step_id)
        text = str(plain(reflected_prompt(engine, step, ANSWERS)))
        options = {source: [engine.step(source).option(i) for i in ANSWERS[source]] for _name, source in step.reflect}
        phrases = {source: [str(plain(option_short(o))) for o in chosen] for source, chosen in options.items()}
        labels = {source: [str(plain(option_label(o))) for o in chosen] for source, chosen in options.items()}
    return re.sub(r"<[^>]+>", "", text), phrases, labels


def test_english_reflection_is_short_phrases_in_an_english_list(app):
    text, phrases, _labels = _reflection(app, "en", "reflect_barriers")
    assert text == (
        "You would like things to get better in: work and health. You said these make it hard now: "
        "illness or mental health, a small or no pension, and few people to talk to."
    )
    assert format_list(phrases["barriers"], locale="en") in text


def test_easy_japanese_reflection_is_short_phrases_in_a_japanese_list_without_sentence_endings(app):
    text, phrases, labels = _reflection(app, "ja@easy", "reflect_barriers")
    barriers = format_list(phrases["barriers"], locale="ja")
    assert barriers == "病気や 心の けんこう、年金が 少ない（または ない）こと、話す 人が 少ない こと"
    assert text == "よく なって ほしい こと：仕事、けんこう。今 こまって いる こと：" + barriers + "。"
    listed = text.split("今 こまって いる こと：")[1].rstrip("。")
    assert "です" not in listed and "。" not in listed
    assert not any(label in text for label in labels["barriers"] if label.endswith("です"))  # the old stitching


@pytest.mark.parametrize("locale", RECIPIENT_LOCALES)
def test_every_language_reflects_with_its_own_short_phrases_joined_by_its_list_rules(app, locale):
    for step_id, source in (("reflect_strengths", "strengths"), ("reflect_barriers", "barriers")):
        text, phrases, _labels = _reflection(app, locale, step_id)
        _en_text, english, _ = _reflection(app, "en", step_id)
        assert format_list(phrases[source], locale=locale) in text, (locale, step_id, text)
        for phrase, source_phrase in zip(phrases[source], english[source], strict=True):
            assert phrase != source_phrase, (locale, phrase)  # translated, not the English fallback
            assert not SENTENCE_END.search(phrase), (locale, phrase)
