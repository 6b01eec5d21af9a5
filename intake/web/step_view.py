"""The current step as the recipient sees it: one view, built once, for the kiosk page and the JSON API.

Everything here is already in the viewer's language (with furigana on the kiosk's pages): the
templates only lay it out, and the API sends `to_json()`. What a step kind adds to the view (the
scale's end labels, the check page's answers) is named by its `parts` in domain/step_kinds.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..domain.answers import AnswerProblem, Nudge
from ..domain.dialogue import Step
from ..domain.engine import Conversation, Engine
from ..domain.step_kinds import Form, StepKind
from ..i18n import (
    answer_lines,
    answer_text,
    message,
    option_help,
    option_label,
    problem_text,
    reflected_prompt,
    section_title,
    step_help,
    step_text,
    suggestion_reason,
)


@dataclass(frozen=True)
class OptionView:
    id: str
    label: str
    help: str
    exclusive: bool
    why: str = ""  # a suggested program's first step: why it is suggested, from the recipient's own answers


@dataclass(frozen=True)
class ProblemView:
    """One thing to correct; `where` names the field ("" for the whole answer, "1.date" in actions)."""

    code: str
    message: str
    where: str


@dataclass(frozen=True)
class NudgeView:
    code: str
    item: int
    message: str


@dataclass(frozen=True)
class CheckRow:
    """One answer on the check page."""

    step: Step
    prompt: str
    answer: object  # text, or a list of actions
    lines: tuple[str, ...] = ()  # a multi-choice answer's labels, shown one a line (the API keeps `answer`)


@dataclass(frozen=True)
class SectionView:
    number: int
    total: int
    title: str


@dataclass(frozen=True)
class StepView:
    step: Step
    kind: StepKind
    prompt: str
    help: str
    section: SectionView
    options: tuple[OptionView, ...]
    answer: object  # as stored
    value: object  # what the form shows: the answer just refused, else the stored one
    errors: tuple[ProblemView, ...]
    nudges: tuple[NudgeView, ...]
    can_go_back: bool
    range: tuple[date, date] | None = None
    scale: tuple[str, str] | None = None  # the labels of 0 and 10
    answers: tuple[CheckRow, ...] = ()  # the check page
    prefill: tuple[str, ...] = ()  # actions: the ideas picked earlier, to start the form with (with furigana)

    @property
    def rows(self) -> int:
        """How many items an actions form offers."""
        return self.step.max_items

    @property
    def error_at(self) -> dict[str, ProblemView]:
        return {problem.where: problem for problem in self.errors}

    def to_json(self) -> dict:
        """The step, section and way back as the API sends them."""
        step = self.step
        data = {
            "id": step.id,
            "kind": step.kind,
            "prompt": self.prompt,
            "help": self.help,
            "skippable": step.skippable,
            "sensitive": step.sensitive,
            "options": [
                {"id": o.id, "label": o.label, "help": o.help, "exclusive": o.exclusive, **({"why": o.why} if o.why else {})}
                for o in self.options
            ],
            "min": step.min,
            "max": step.max,
            "max_length": step.max_length,
            "answer": self.answer,
            "nudges": [{"code": n.code, "item": n.item, "message": n.message} for n in self.nudges],
        }
        if self.range is not None:
            data["range"] = {"min": self.range[0].isoformat(), "max": self.range[1].isoformat()}
        if self.scale is not None:
            data["scale"] = {"low": self.scale[0], "high": self.scale[1]}
        if "answers" in self.kind.parts:
            data["answers"] = [{"step": r.step.id, "prompt": r.prompt, "answer": r.answer} for r in self.answers]
        section = {"number": self.section.number, "total": self.section.total, "title": self.section.title}
        return {"step": data, "section": section, "can_go_back": self.can_go_back}


_NOT_GIVEN = object()


def step_view(
    engine: Engine,
    conversation: Conversation,
    *,
    today: date,
    problems: Sequence[AnswerProblem] = (),
    raw: object = _NOT_GIVEN,
    nudges: Sequence[Nudge] | None = None,
) -> StepView:
    """What the current step shows; `problems`, `raw` and `nudges` come from an answer just refused or held."""
    step = engine.current(conversation)
    kind = step.step_kind
    answers = conversation.answers
    progress = engine.progress(conversation)
    stored = answers.get(step.id)
    found = nudges if nudges is not None else engine.nudges_for(step, answers)
    return StepView(
        step=step,
        kind=kind,
        prompt=reflected_prompt(engine, step, answers),
        help=step_help(engine, step, answers),
        section=SectionView(
            progress.number, progress.total, section_title(engine, engine.dialogue.section_of(step.id))
        ),
        options=tuple(
            OptionView(o.id, option_label(o), option_help(o), o.exclusive, suggestion_reason(engine, o, answers))
            for o in engine.options(step, answers)
        ),
        answer=stored,
        value=stored if raw is _NOT_GIVEN or raw is None else raw,
        errors=tuple(ProblemView(p.code, problem_text(p), p.where) for p in problems),
        nudges=tuple(NudgeView(n.code, n.item, _message(n.message, n.params)) for n in found),
        can_go_back=len(conversation.path) > 1 and step.kind != "done",  # as engine.back allows
        range=step.range.bounds(today) if step.range is not None else None,
        scale=(step_text(engine, step, "low"), step_text(engine, step, "high")) if "scale" in kind.parts else None,
        answers=tuple(
            # The question as it was asked: a reflecting prompt ("Your action: “…”") with the answers it names.
            CheckRow(
                s,
                reflected_prompt(engine, s, answers),
                answer_text(engine, s, answers),
                tuple(answer_lines(engine, s, answers)),
            )
            for s in engine.checkable(conversation)
        )
        if "answers" in kind.parts
        else (),
        prefill=tuple(option_label(o) for o in engine.prefill(step, answers)),
    )


def _message(text: str, params) -> str:
    """A page message (a nudge) in the viewer's language, with furigana on the kiosk."""
    return message(text, **dict(params))


def answer_from_form(step: Step, form: Form) -> object:
    """The raw answer a no-JavaScript form sent, in the same shape the JSON API takes: the step kind's own
    conversion (StepKind.from_form); None when its form sends no answer."""
    convert = step.step_kind.from_form
    return None if convert is None else convert(step, form)
