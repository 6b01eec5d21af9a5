"""Plausible answers that bring a conversation to any step: for the translator's preview of one screen.

A step that repeats earlier answers (a reflection, a list computed from them, the check page) needs
answers before it. `conversation_at` answers each step on the way with a sample (the first choices,
a middle date, a sample text) and, where a branch leads elsewhere, tries the other choices, so the
target is reached the way a recipient would reach it. Nothing here is stored: the result is a
`Conversation` value the preview renders and forgets. Pure Python, like the engine.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date

from .answers import AnswerInvalid
from .dialogue import TERMINAL_KINDS, Step
from .engine import Conversation, Engine, NotAllowed
from .step_kinds import max_items

SAMPLE_SCALE = 7
SAMPLE_CHOICES = 2  # how many options a sample multiple-choice answer picks


def conversation_at(engine: Engine, target: str, *, today: date, language: str, texts: Sequence[str]) -> Conversation:
    """A conversation standing at step `target`, with sample answers to the steps a recipient passes first.

    `texts` are sample words (already in the preview's language) for text answers and for the
    values an office supplies (`given` steps). Raises KeyError for an unknown step.
    """
    engine.step(target)
    samples = _Samples(engine, today=today, language=language, texts=texts)
    given = {s.id: samples.text(s) for s in engine.dialogue.steps.values() if s.kind == "given"}
    start = engine.start(given)
    stack, seen, last = [start], set(), start
    while stack:  # depth first, the preferred sample first: most steps are reached by the first path tried
        conversation = stack.pop()
        if conversation.state == target:
            return conversation
        if conversation.state in seen:
            continue
        seen.add(conversation.state)
        last = conversation if len(conversation.path) > len(last.path) else last
        step = engine.current(conversation)
        if step.kind in TERMINAL_KINDS:
            continue
        following = []
        for raw, skip in samples.candidates(step, conversation.answers):
            try:
                outcome = engine.answer(
                    conversation, step.id, raw, today=today, skip=skip, keep_as_is=True, language=language
                )
            except (AnswerInvalid, NotAllowed):
                continue
            following.append(outcome.conversation)
        stack.extend(reversed(following))
    # No sample answers lead there (a step no branch reaches): show it after the longest path found.
    return replace(last, state=target, path=last.path + (target,))


class _Samples:
    def __init__(self, engine: Engine, *, today: date, language: str, texts: Sequence[str]):
        self.engine = engine
        self.today = today
        self.language = language if language in engine.languages else next(iter(engine.languages), language)
        self.texts = list(texts) or ["…"]
        self.order = {step_id: index for index, step_id in enumerate(engine.dialogue.steps)}

    def text(self, step: Step, offset: int = 0) -> str:
        """A sample text, the same for a step each time (so a reflection repeats what the check page lists)."""
        return self.texts[(self.order[step.id] + offset) % len(self.texts)]

    def candidates(self, step: Step, answers: Mapping[str, object]) -> Iterator[tuple[object, bool]]:
        """The raw answers to try at a step, the most typical first; skipping last where allowed."""
        kind = step.kind
        if not step.takes_answer:
            yield None, False
            return
        if kind == "language":
            yield self.language, False
        elif kind == "handover":
            yield "confirm", False
        elif kind in {"consent", "yes_no", "single_choice"}:
            for option in self.engine.options(step, answers):
                yield option.id, False
        elif kind == "multi_choice":
            options = self.engine.options(step, answers)
            plain = [o.id for o in options if not o.exclusive]
            yield plain[:SAMPLE_CHOICES], False
            for option in options:
                yield [option.id], False
        elif kind == "text":
            yield self.text(step), False
        elif kind == "scale":
            yield SAMPLE_SCALE, False
        elif kind in {"date", "month"}:
            yield self.day(step, kind), False
        elif kind == "actions":
            yield self.actions(step), False
        if step.skippable:
            yield None, True

    def day(self, step: Step, kind: str = "date") -> str:
        earliest, latest = step.range.bounds(self.today)
        middle = earliest + (latest - earliest) / 2
        return f"{middle:%Y-%m}" if kind == "month" else middle.isoformat()

    def actions(self, step: Step) -> list[dict]:
        """Two actions (or as many as the step needs) with sample texts, dates mid-range."""
        count = max(step.min or 1, min(2, max_items(step)))
        return [{"text": self.text(step, n), "date": self.day(step), "confidence": SAMPLE_SCALE} for n in range(count)]
