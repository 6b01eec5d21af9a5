"""Engine micro-benchmark (not a test): our step against a plain dict state machine doing the same moves.

    .venv/bin/python bench/engine.py

It records the moves of a typical walk, then times per step: the routing alone through the shared
transitions Machine (`Engine._next`), a dict FSM evaluating the same compiled rules, and the whole
`Engine.answer` (parsing and checking the answer, nudges, routing, a new Conversation).
"""

from __future__ import annotations

import sys
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import office_today  # noqa: E402
from walk import typical_answers  # noqa: E402

from intake.config import Defaults  # noqa: E402
from intake.domain.office import load_engines  # noqa: E402


def typical_walk(engine):
    """(conversation before, step id, raw answer) for every step of a typical walk."""
    conversation, answers, today = engine.start(), typical_answers(), office_today()
    moves = []
    while engine.current(conversation).kind != "done":
        step = engine.current(conversation)
        raw = answers.get(step.id, "confirm" if step.kind == "handover" else None)
        moves.append((conversation, step.id, raw))
        conversation = engine.answer(conversation, step.id, raw, today=today, keep_as_is=True).conversation
    return moves, conversation


def dict_fsm(engine) -> dict[str, list]:
    """The same dialogue as {state: [(rule or None, destination)]}, with the dialogue's compiled rules."""
    return {step.id: [(branch.rule, branch.goto) for branch in step.next] for step in engine.dialogue.steps.values()}


def dict_next(fsm, state: str, answers) -> str:
    for rule, destination in fsm[state]:
        if rule is None or rule(answers):
            return destination
    return state


def per_step_us(function, moves, repeat: int = 5, number: int = 200) -> float:
    best = min(timeit.repeat(lambda: [function(*m) for m in moves], repeat=repeat, number=number))
    return best / (number * len(moves)) * 1e6


def main() -> None:
    engine = load_engines(Path(Defaults.DIALOGUES_DIR), Defaults.LANGUAGES)[Defaults.INTAKE_DIALOGUE]
    moves, final = typical_walk(engine)
    fsm = dict_fsm(engine)
    answers = final.answers
    routes = [(c.state, answers) for c, _, _ in moves]
    # Both must make exactly the same moves, or the comparison means nothing.
    assert [engine._next(s, a) for s, a in routes] == [dict_next(fsm, s, a) for s, a in routes]
    today = office_today()

    transitions_us = per_step_us(engine._next, routes)
    dict_us = per_step_us(lambda s, a: dict_next(fsm, s, a), routes)
    answer_us = per_step_us(
        lambda c, step_id, raw: engine.answer(c, step_id, raw, today=today, keep_as_is=True), moves, number=50
    )
    steps = len(engine.dialogue.steps)
    transitions = sum(len(s.next) for s in engine.dialogue.steps.values())
    print(f"engine: {steps} steps, {transitions} transitions, a typical walk of {len(moves)} moves")
    print(f"  routing, shared transitions Machine  {transitions_us:7.2f} µs/step")
    print(f"  routing, dict FSM (same rules)       {dict_us:7.2f} µs/step   ({transitions_us / dict_us:.1f}x faster)")
    print(f"  whole Engine.answer (parse + route)  {answer_us:7.2f} µs/step")


if __name__ == "__main__":
    main()
