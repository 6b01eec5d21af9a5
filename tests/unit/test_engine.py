"""The engine on a tiny fixture dialogue, with no app: moves, branches, back, change, skip, errors."""

import threading
from datetime import date
from pathlib import Path

import pytest

from intake.domain.answers import AnswerInvalid
from intake.domain.dialogue import load_dialogue
from intake.domain.engine import Engine, NotAllowed, StaleStep

TODAY = date(2026, 11, 26)
TINY = Path(__file__).resolve().parents[1] / "dialogues" / "tiny.yaml"


@pytest.fixture(scope="module")
def engine():
    return Engine(load_dialogue(TINY), languages={"en": "English"})


def walk(engine, *moves):
    conversation = engine.start()
    for step_id, value in moves:
        conversation = engine.answer(conversation, step_id, value, today=TODAY).conversation
    return conversation


def test_start_is_the_first_step_with_its_section(engine):
    conversation = engine.start()
    assert conversation.state == "hello"
    progress = engine.progress(conversation)
    assert (progress.number, progress.total, progress.title) == (1, 3, "One")


def test_a_choice_branches_by_rule(engine):
    assert walk(engine, ("hello", None), ("pet", "cat")).state == "cat_name"
    assert walk(engine, ("hello", None), ("pet", "none")).state == "mood"


def test_an_invalid_answer_changes_nothing(engine):
    before = walk(engine, ("hello", None))
    with pytest.raises(AnswerInvalid) as err:
        engine.answer(before, "pet", "dog", today=TODAY)
    assert err.value.problems[0].code == "unknown_option"
    assert before.state == "pet" and "pet" not in before.answers


def test_text_over_the_limit_is_rejected(engine):
    at_name = walk(engine, ("hello", None), ("pet", "cat"))
    with pytest.raises(AnswerInvalid) as err:
        engine.answer(at_name, "cat_name", "x" * 11, today=TODAY)
    assert err.value.problems[0].code == "too_long"
    assert err.value.problems[0].params == {"max": 10, "count": 11}


def test_control_and_bidi_characters_are_rejected(engine):
    at_name = walk(engine, ("hello", None), ("pet", "cat"))
    for text in ("Tama\x00", "Ta\u202ema"):
        with pytest.raises(AnswerInvalid) as err:
            engine.answer(at_name, "cat_name", text, today=TODAY)
        assert err.value.problems[0].code == "invalid_characters"


def test_an_answer_for_another_step_is_stale(engine):
    conversation = walk(engine, ("hello", None))
    with pytest.raises(StaleStep) as err:
        engine.answer(conversation, "mood", 5, today=TODAY)
    assert err.value.current == "pet"


def test_only_sensitive_or_optional_questions_can_be_skipped(engine):
    at_pet = walk(engine, ("hello", None))
    with pytest.raises(AnswerInvalid):
        engine.answer(at_pet, "pet", None, today=TODAY, skip=True)
    at_mood = walk(engine, ("hello", None), ("pet", "none"))
    skipped = engine.answer(at_mood, "mood", None, today=TODAY, skip=True).conversation
    assert skipped.answers["mood"] is None and skipped.state == "note"
    blank = engine.answer(skipped, "note", "   ", today=TODAY).conversation
    assert blank.answers["note"] is None and blank.state == "check"


def test_back_goes_one_step_and_keeps_answers(engine):
    conversation = walk(engine, ("hello", None), ("pet", "cat"), ("cat_name", "Tama"))
    back = engine.back(conversation)
    assert back.state == "cat_name" and back.answers["cat_name"] == "Tama"
    assert engine.back(back).state == "pet"
    with pytest.raises(NotAllowed):
        engine.back(engine.start())


def test_change_from_check_returns_to_check(engine):
    at_check = walk(engine, ("hello", None), ("pet", "none"), ("mood", 6), ("note", "hi"))
    assert at_check.state == "check"
    changing = engine.change(at_check, "mood")
    assert changing.state == "mood" and changing.changing
    again = engine.answer(changing, "mood", 8, today=TODAY).conversation
    assert again.state == "check" and not again.changing and again.answers["mood"] == 8


def test_a_change_that_opens_a_branch_asks_the_new_question_first(engine):
    at_check = walk(engine, ("hello", None), ("pet", "none"), ("mood", 6), ("note", "hi"))
    opened = engine.answer(engine.change(at_check, "pet"), "pet", "cat", today=TODAY).conversation
    assert opened.state == "cat_name" and opened.changing
    done = engine.answer(opened, "cat_name", "Tama", today=TODAY).conversation
    assert done.state == "check"


def test_abandoned_branch_answers_stay_stored_but_leave_the_plan(engine):
    at_mood = walk(engine, ("hello", None), ("pet", "cat"), ("cat_name", "Tama"))
    back_at_pet = engine.back(engine.back(at_mood))
    other_way = engine.answer(back_at_pet, "pet", "none", today=TODAY).conversation
    assert other_way.answers["cat_name"] == "Tama"
    assert "cat_name" not in engine.live_answers(other_way.answers)
    restored = engine.back(other_way)
    assert restored.answers["cat_name"] == "Tama"


def test_change_is_only_allowed_from_the_check_page(engine):
    with pytest.raises(NotAllowed):
        engine.change(walk(engine, ("hello", None)), "pet")


def test_one_shared_machine_serves_many_threads(engine):
    results, errors = [], []

    def run(choice):
        try:
            for _ in range(200):
                conversation = walk(engine, ("hello", None), ("pet", choice))
                results.append((choice, conversation.state))
        except Exception as err:  # noqa: BLE001 - collected for the assertion
            errors.append(err)

    threads = [threading.Thread(target=run, args=("cat" if i % 2 else "none",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert {state for choice, state in results if choice == "cat"} == {"cat_name"}
    assert {state for choice, state in results if choice == "none"} == {"mood"}
    assert engine._machine.models == []  # no conversation was left attached to the shared machine


def test_vague_or_low_confidence_actions_get_a_gentle_prompt_once(tmp_path):
    from intake.domain.office import load_engines

    engine = load_engines(Path(__file__).resolve().parents[2] / "dialogues", {"en": "English"})["self_reliance"]
    actions = engine.step("actions")
    vague = [{"text": "Do my best", "date": "2027-01-10", "confidence": 3}]
    nudges = engine.nudges_for(actions, {"actions": engine._value(actions, vague, {}, TODAY, False)})
    assert {n.code for n in nudges} == {"vague", "low_confidence"}
    concrete = [{"text": "Call the Hello Work desk on Monday morning", "date": "2027-01-10", "confidence": 8}]
    assert engine.nudges_for(actions, {"actions": engine._value(actions, concrete, {}, TODAY, False)}) == []
