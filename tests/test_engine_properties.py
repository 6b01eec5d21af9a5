"""Property tests of the engine (hypothesis, no app): any input, any sequence of moves, a consistent conversation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import office_today
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from walk import typical_answers

from intake.config import Defaults
from intake.domain.answers import AnswerInvalid
from intake.domain.engine import Conversation, NotAllowed, StaleStep
from intake.domain.office import load_engines
from intake.domain.plan import build_draft
from intake.domain.step_kinds import parse_answer

ENGINE = load_engines(Path(Defaults.DIALOGUES_DIR), Defaults.LANGUAGES)[Defaults.INTAKE_DIALOGUE]
STEPS = list(ENGINE.dialogue.steps.values())
TODAY = office_today()  # the typical answers' dates count from today

# What JSON can carry: the raw answers a client may send.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
# Values that look almost right: option ids, dates, numbers, action items.
option_ids = st.sampled_from(sorted({o.id for s in STEPS for o in s.options} | {"yes", "no", "ja", "en", "confirm"}))
near_values = (
    option_ids
    | st.lists(option_ids, max_size=6)
    | st.integers(-3, 14)
    | st.dates(date(2020, 1, 1), date(2032, 12, 31)).map(date.isoformat)
    | st.dates(date(2020, 1, 1), date(2032, 12, 31)).map(lambda d: d.strftime("%Y-%m"))
    | st.lists(
        st.fixed_dictionaries(
            {"text": st.text(max_size=60), "date": st.dates().map(date.isoformat), "confidence": st.integers(-1, 11)}
        ),
        max_size=4,
    )
)
raw_answers = json_values | near_values


@settings(max_examples=300, deadline=None)
@given(step=st.sampled_from(STEPS), raw=raw_answers)
def test_parse_answer_accepts_or_explains_any_input(step, raw):
    try:
        value = parse_answer(step, raw, options=ENGINE.options(step, {}), languages=list(ENGINE.languages), today=TODAY)
    except AnswerInvalid as err:
        assert err.problems and all(p.code and p.message for p in err.problems)
        return
    assert value is None or isinstance(value, (str, int, list))


moves = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), raw_answers, st.booleans(), st.booleans()),
        st.tuples(st.just("typical")),
        st.tuples(st.just("back")),
        st.tuples(st.just("change"), st.sampled_from([s.id for s in STEPS])),
        st.tuples(st.just("language"), st.sampled_from(["ja", "en", "xx"])),
        st.tuples(st.just("stale"), st.sampled_from([s.id for s in STEPS])),
    ),
    max_size=80,
)


def check(conversation: Conversation) -> None:
    assert conversation.state in ENGINE.dialogue.steps
    assert conversation.path and conversation.path[-1] == conversation.state
    assert set(conversation.answers) <= set(ENGINE.dialogue.steps)
    ENGINE.live_path(conversation.answers)  # never fails, whatever was answered on abandoned branches


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(moves=moves)
def test_any_sequence_of_moves_keeps_the_conversation_consistent(moves):
    conversation = ENGINE.start()
    typical = typical_answers()
    for move in moves:
        snapshot = (conversation.state, dict(conversation.answers), conversation.path, conversation.changing)
        step = ENGINE.current(conversation)
        try:
            if move[0] == "answer":
                _, raw, skip, keep = move
                conversation = ENGINE.answer(
                    conversation, step.id, raw, today=TODAY, skip=skip, keep_as_is=keep
                ).conversation
            elif move[0] == "typical":
                raw = typical.get(step.id, "confirm" if step.kind == "handover" else None)
                conversation = ENGINE.answer(conversation, step.id, raw, today=TODAY, keep_as_is=True).conversation
            elif move[0] == "back":
                conversation = ENGINE.back(conversation)
            elif move[0] == "change":
                conversation = ENGINE.change(conversation, move[1])
            elif move[0] == "language":
                ENGINE.check_language(move[1])  # the display language: never an answer
            elif move[0] == "stale" and move[1] != step.id:
                with pytest.raises(StaleStep):
                    ENGINE.answer(conversation, move[1], None, today=TODAY)
        except (AnswerInvalid, NotAllowed):
            # A refused move leaves the conversation as it was (the engine returns new objects only).
            assert (
                conversation.state,
                dict(conversation.answers),
                conversation.path,
                conversation.changing,
            ) == snapshot
        check(conversation)
        if ENGINE.current(conversation).kind == "done":
            plan = build_draft(ENGINE, conversation)
            assert plan.goal.date is None or isinstance(plan.goal.date, str)
            break


def test_a_typical_walk_reaches_done_and_builds_a_plan():
    conversation, typical = ENGINE.start(), typical_answers()
    for _ in range(60):
        step = ENGINE.current(conversation)
        if step.kind == "done":
            break
        raw = typical.get(step.id, "confirm" if step.kind == "handover" else None)
        conversation = ENGINE.answer(conversation, step.id, raw, today=TODAY, keep_as_is=True).conversation
    assert ENGINE.current(conversation).kind == "done"
    assert build_draft(ENGINE, conversation).actions
