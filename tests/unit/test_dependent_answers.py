"""Answers computed from other answers follow them: a change never leaves a choice that contradicts it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from intake.domain.engine import Conversation, Engine
from intake.domain.office import load_engines
from intake.domain.plan import build_draft

DIALOGUES = Path(__file__).resolve().parents[2] / "dialogues"
TODAY = date(2026, 11, 26)
SOCIAL = {
    "language": "vi",
    "notice": "yes",
    "future_picture": "Tôi muốn có bạn để nói chuyện.",
    "future_areas": ["people"],
    "strengths": ["caring"],
    "daily_rhythm_now": "mostly_regular",
    "work_now": "looking",
    "people_now": "weekly",
    "children_now": "school_age",
    "feelings_now": 5,
    "services_now": ["doctor"],
    "barriers": ["isolation"],
    "goal_kind": "social_life",
    "goal_pick": "someone_to_talk",
    "goal_date": "2027-11",
    "actions": [{"text": "Go to the community café on Friday", "date": "2027-01-15", "confidence": 6}],
}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return load_engines(DIALOGUES, {"ja": "日本語", "en": "English", "vi": "Tiếng Việt"})["self_reliance"]


def answer(engine: Engine, conversation: Conversation, value: object, language: str = "vi") -> Conversation:
    step = engine.current(conversation)
    return engine.answer(conversation, step.id, value, today=TODAY, keep_as_is=True, language=language).conversation


def walk_to_check(engine: Engine, answers: dict, language: str = "vi") -> Conversation:
    conversation = engine.start()
    for _ in range(40):
        step = engine.current(conversation)
        if step.kind == "check":
            return conversation
        if step.kind in {"multi_choice"} and step.id not in answers and step.optional:
            value = []
        else:
            value = answers.get(step.id)
        skip = value is None and step.skippable
        conversation = engine.answer(
            conversation, step.id, value, today=TODAY, skip=skip, keep_as_is=True, language=language
        ).conversation
    raise AssertionError(engine.current(conversation).id)


def change(engine: Engine, conversation: Conversation, step_id: str, value: object) -> Conversation:
    return answer(engine, engine.change(conversation, step_id), value)


def test_changing_the_goal_kind_asks_for_the_goal_again(engine):
    at_check = walk_to_check(engine, SOCIAL)
    changed = change(engine, at_check, "goal_kind", "daily_life")
    # The social goal no longer fits a daily-life goal: the goal is asked again, not the check page.
    assert engine.current(changed).id == "goal_pick"
    offered = [o.id for o in engine.options(engine.current(changed), changed.answers)]
    assert "someone_to_talk" not in offered and "goal_pick" not in changed.answers
    after = answer(engine, changed, offered[0])
    assert engine.current(after).kind == "check"
    draft = build_draft(engine, after)
    chosen = next(s for s in engine.dialogue.goal_suggestions if s.id == draft.goal.suggestion)
    assert draft.goal.kind == "daily_life" == chosen.kind


def test_the_same_goal_kind_again_keeps_the_goal(engine):
    at_check = walk_to_check(engine, SOCIAL)
    again = change(engine, at_check, "goal_kind", "social_life")
    assert engine.current(again).kind == "check" and again.answers["goal_pick"] == "someone_to_talk"


def test_changing_the_areas_recomputes_the_goal_suggestions(engine):
    at_check = walk_to_check(engine, SOCIAL)
    changed = change(engine, at_check, "future_areas", ["japanese"])
    assert engine.current(changed).id == "goal_pick"
    offered = {o.id for o in engine.options(engine.current(changed), changed.answers)}
    japanese_social = {s.id for s in engine.dialogue.goal_suggestions if s.area == "japanese" and s.kind == "social_life"}
    assert offered == japanese_social | {"own"} and "someone_to_talk" not in offered


def test_changing_the_barriers_recomputes_action_ideas_and_the_reflection(engine):
    ideas_step = engine.step("action_ideas")
    for_isolation = [o.id for o in engine.options(ideas_step, SOCIAL)]
    for_debt = {o.id for o in engine.options(ideas_step, SOCIAL | {"barriers": ["debt"]})}
    idea = next(i for i in for_isolation if i not in for_debt)  # a first step only isolation brings
    with_idea = walk_to_check(engine, SOCIAL | {"action_ideas": [idea]})
    assert with_idea.answers["action_ideas"] == [idea]
    changed = change(engine, with_idea, "barriers", ["debt"])
    # The idea no longer fits the barriers: asked again before the check page.
    assert engine.current(changed).id == "action_ideas" and "action_ideas" not in changed.answers
    reflection = engine.reflected(engine.step("reflect_barriers"), changed.answers)["barriers"]
    assert [o.id for o in reflection] == ["debt"]


def test_the_check_page_never_lists_an_answer_the_lists_no_longer_offer(engine):
    at_check = walk_to_check(engine, SOCIAL)
    changed = change(engine, at_check, "goal_kind", "economic")
    for step in engine.checkable(changed):
        if step.options_from and step.id in changed.answers:
            ids = changed.answers[step.id]
            offered = {o.id for o in engine.options(step, changed.answers)}
            assert set(ids if isinstance(ids, list) else [ids]) <= offered


def test_words_keep_the_language_they_were_written_in(engine):
    conversation = engine.start()
    while engine.current(conversation).id != "future_picture":
        step = engine.current(conversation)
        conversation = answer(engine, conversation, SOCIAL.get(step.id), language="vi")
    conversation = answer(engine, conversation, SOCIAL["future_picture"], language="vi")
    # The recipient switches to English; the display changes, the earlier words stay Vietnamese.
    engine.check_language("en")
    rest = walk_to_check(engine, SOCIAL | {"barriers_own": "No one to talk to."}, language="en")
    merged = Conversation(
        rest.state, rest.answers, rest.path, rest.changing, dict(rest.written_in) | {"future_picture": "vi"}
    )
    draft = build_draft(engine, merged, locale="en")
    assert draft.future_picture.language == "vi"
    assert draft.preferred_language == "vi"  # the language step's answer, not the display language
    assert {a.language for a in draft.actions} == {"en"}


def test_rewriting_words_in_another_language_relabels_them(engine):
    at_check = walk_to_check(engine, SOCIAL, language="vi")
    assert at_check.written_in["future_picture"] == "vi"
    same = change(engine, at_check, "future_picture", SOCIAL["future_picture"])
    assert same.written_in["future_picture"] == "vi"  # kept as it was: still Vietnamese
    step_open = engine.change(at_check, "future_picture")
    rewritten = engine.answer(
        step_open, "future_picture", "I want a friend to talk to.", today=TODAY, keep_as_is=True, language="en"
    ).conversation
    assert rewritten.written_in["future_picture"] == "en"
