"""The real self-reliance dialogue: every path reaches the hand-off, and random walks give a consistent plan."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.domain.dialogue import TERMINAL_KINDS
from intake.domain.engine import Engine, NotAllowed
from intake.domain.office import load_engines
from intake.domain.plan import build_draft

DIALOGUES = Path(__file__).resolve().parents[2] / "dialogues"
TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return load_engines(DIALOGUES, {"ja": "日本語", "en": "English"})["self_reliance"]


def all_paths(engine: Engine) -> list[list[str]]:
    """Every path through the graph, whatever the answers (the dialogue is acyclic)."""
    paths, stack = [], [[engine.dialogue.start]]
    while stack:
        path = stack.pop()
        step = engine.step(path[-1])
        if step.kind in TERMINAL_KINDS:
            paths.append(path)
            continue
        for target in {b.goto for b in step.next}:
            stack.append(path + [target])
    return paths


def test_every_path_ends_at_the_hand_off_or_the_polite_ending(engine):
    paths = all_paths(engine)
    assert paths
    for path in paths:
        last = engine.step(path[-1])
        assert last.kind in {"done", "end"}
        if last.kind == "done":
            assert [engine.step(s).kind for s in path[-3:]] == ["check", "handover", "done"]
        else:
            assert "notice" in path  # only declining consent ends without a plan


def test_a_typical_path_is_at_most_about_25_screens(engine):
    longest = max(len(p) for p in all_paths(engine) if engine.step(p[-1]).kind == "done")
    shortest = min(len(p) for p in all_paths(engine) if engine.step(p[-1]).kind == "done")
    # One screen more (29) only for a parent of children below high school: who else helps look after them.
    assert shortest <= 26 and longest <= 29


def test_every_sensitive_question_can_be_skipped_and_says_why(engine):
    sensitive = [s for s in engine.dialogue.steps.values() if s.sensitive]
    assert {"health_now", "feelings_now", "barriers"} <= {s.id for s in sensitive}
    assert all(s.skippable and s.help for s in sensitive)


def random_answer(engine: Engine, step, answers, data):
    """A valid raw answer for any step kind, drawn by hypothesis."""
    kind = step.kind
    options = [o.id for o in engine.options(step, answers)]
    if kind in {"info", "check"}:
        return None
    if kind == "language":
        return data.draw(st.sampled_from(sorted(engine.languages)))
    if kind == "consent":
        return data.draw(st.sampled_from(["yes", "yes", "yes", "no"]))
    if kind == "yes_no":
        return data.draw(st.sampled_from(["yes", "no"]))
    if kind == "single_choice":
        return data.draw(st.sampled_from(options))
    if kind == "multi_choice":
        exclusive = {o.id for o in engine.options(step, answers) if o.exclusive}
        plain = [o for o in options if o not in exclusive]
        low = step.min if step.min is not None else 1
        high = min(step.max or len(plain), len(plain))
        if not plain or high < max(low, 1):
            return []
        return data.draw(st.lists(st.sampled_from(plain), min_size=max(low, 1), max_size=high, unique=True))
    if kind == "text":
        return data.draw(
            st.text(st.characters(categories=["L", "N", "Zs", "P"]), min_size=1, max_size=step.max_length or 50).filter(
                str.strip
            )
        )
    if kind == "scale":
        return data.draw(st.integers(0, 10))
    if kind in {"date", "month", "actions"}:
        earliest, latest = step.range.bounds(TODAY)
        day = earliest + timedelta(days=data.draw(st.integers(0, (latest - earliest).days)))
        if kind == "date":
            return day.isoformat()
        if kind == "month":
            return day.strftime("%Y-%m")
        count = data.draw(st.integers(step.min or 1, step.max or 3))
        return [
            {
                "text": f"Visit the ward office on a Monday, step {i}",
                "date": day.isoformat(),
                "confidence": data.draw(st.integers(0, 10)),
            }
            for i in range(count)
        ]
    if kind == "handover":
        return "confirm"
    raise AssertionError(kind)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_walks_with_backs_and_changes_finish_with_a_consistent_plan(engine, data):
    conversation = engine.start()
    for _ in range(300):
        step = engine.current(conversation)
        if step.kind == "done":
            break
        move = data.draw(st.sampled_from(["answer"] * 6 + ["back", "skip", "change"]))
        if move == "back" or step.kind == "end":
            try:
                conversation = engine.back(conversation)
            except NotAllowed:
                pass
            continue
        if move == "change" and step.kind == "check":
            target = data.draw(st.sampled_from([s.id for s in engine.checkable(conversation)]))
            conversation = engine.change(conversation, target)
            continue
        skip = move == "skip" and step.skippable
        raw = None if skip else random_answer(engine, step, conversation.answers, data)
        conversation = engine.answer(conversation, step.id, raw, today=TODAY, skip=skip, keep_as_is=True).conversation
    assert engine.current(conversation).kind == "done"
    plan = build_draft(engine, conversation)
    live = engine.live_path(conversation.answers)
    assert plan.goal.date and plan.goal.kind in {"economic", "daily_life", "social_life"}
    assert 1 <= len(plan.actions) <= 3
    assert (plan.goal.own is not None) == ("goal_own" in live)
    assert (plan.goal.suggestion is None) == ("goal_own" in live)
    assert set(plan.skipped) <= set(live)
    suggestion = next((s for s in engine.dialogue.goal_suggestions if s.id == plan.goal.suggestion), None)
    assert suggestion is None or suggestion.kind == plan.goal.kind  # never a goal of another kind
    assert all(engine.step(s).kind != "check" or s == live[-1] for s in live)
