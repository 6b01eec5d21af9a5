"""Every step kind in one place: its keys, how its answer is parsed, shown and sent by a form, its template.

A dialogue file names a kind for each step; everything that differs between kinds is a field of
that kind's `StepKind` here, so the loader, the engine, the pages and the API look the kind up
instead of testing `step.kind` themselves. Pure Python: no Flask, no database. Display text is
made through a `Shown` the i18n layer passes in, so nothing here translates.

To add a kind: add a `StepKind` to KINDS (its keys, flags, parser, display and form conversion),
a template `templates/kiosk/steps/<name>.html`, and a row in dialogues/README.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

from .answers import (
    ACTION_FIELDS,
    N_,
    AnswerInvalid,
    AnswerProblem,
    Nudge,
    action_nudges,
    clean_text,
    parse_actions,
    parse_choice,
    parse_choices,
    parse_date,
    parse_scale,
    problem,
)

if TYPE_CHECKING:
    from .dialogue import Option, Step

# What a parser returns: the value to store and every problem found (empty when the value is good).
Parsed = tuple[object, list[AnswerProblem]]


@dataclass(frozen=True)
class Answering:
    """What parsing needs besides the step and the raw answer."""

    options: Sequence[Option]
    languages: Sequence[str]
    today: date


class Shown(Protocol):
    """The viewer's language, as the i18n layer gives it to display functions."""

    def choices(self, step: Step, ids: list[str]) -> str: ...

    def scale(self, value: int) -> str: ...

    def day(self, value: str, kind: str) -> str: ...


class Form(Protocol):
    """A submitted form (werkzeug's MultiDict has these two)."""

    def get(self, key: str, default: object = None) -> object: ...

    def getlist(self, key: str) -> list: ...


def _no_answer(step: Step, raw: object, answering: Answering) -> Parsed:
    # i18n: An error when an answer is sent for a page that only shows information.
    return None, [problem("no_answer", N_("This step takes no answer."))]


def _yes_no(step: Step, raw: object, answering: Answering) -> Parsed:
    return (raw, []) if raw in ("yes", "no") else (None, [problem("required", N_("Please choose one answer."))])


def _language(step: Step, raw: object, answering: Answering) -> Parsed:
    if raw in answering.languages:
        return raw, []
    # i18n: An error when a language the kiosk does not offer was chosen.
    return None, [problem("unknown_language", N_("Please choose a language from the list."))]


def _text(step: Step, raw: object, answering: Answering) -> Parsed:
    value, problems = clean_text(raw, step.max_length)
    if not value and not problems:
        # i18n: An error under a question that needs an answer and cannot be skipped.
        problems = [problem("required", N_("Please write your answer, or go back."))]
    return value, problems


def _handover(step: Step, raw: object, answering: Answering) -> Parsed:
    if raw == "confirm":
        return raw, []
    # i18n: An error on the last page when the send button was not used.
    return None, [problem("required", N_("Please press the button to send your answers."))]


def _show_choices(step: Step, value: object, shown: Shown) -> object:
    return shown.choices(step, value if isinstance(value, list) else [value])


def _show_actions(step: Step, value: object, shown: Shown) -> object:
    return [
        {"text": item["text"], "date": shown.day(item["date"], "date"), "confidence": item["confidence"]}
        for item in value
    ]


def _from_value(step: Step, form: Form) -> object:
    return form.get("value")


# The parts a form sends a date in, one list each (i18n/date_fields.py shows them in the reader's order).
DATE_PARTS = {"date": ("year", "month", "day"), "month": ("year", "month")}


def date_from_form(form: Form, name: str, kind: str) -> str:
    """A date sent as `<name>-year`, `<name>-month` (and `<name>-day`), as the API takes it: 'YYYY-MM-DD' or
    'YYYY-MM'. A missing part stays empty ('2027--09'), so parsing refuses it and the lists keep the rest.
    A page from before the parts (open on a kiosk during an update) sends the whole date as `<name>`."""
    parts = [str(form.get(f"{name}-{part}") or "").strip() for part in DATE_PARTS[kind]]
    if not any(parts):
        return str(form.get(name) or "")
    return "-".join(part.zfill(2) if index and part.isdigit() else part for index, part in enumerate(parts))


def _from_actions(step: Step, form: Form) -> object:
    return [
        {
            name: date_from_form(form, f"item-{index}-{name}", "date")
            if name == "date"
            else form.get(f"item-{index}-{name}", "")
            for name in ACTION_FIELDS
        }
        for index in range(max_items(step))
    ]


@dataclass(frozen=True)
class StepKind:
    """How one kind of step behaves, from the dialogue file to the page and the API."""

    name: str
    # Keys a step of this kind may have, besides id, section, kind, prompt, help, reflect and next.
    keys: frozenset[str] = frozenset()
    takes_answer: bool = True
    terminal: bool = False  # ends the dialogue: takes no `next`
    checked: bool = True  # its answer is listed on the check page
    asked: bool = True  # shown to the recipient (a `given` value is supplied by the office)
    needs_prompt: bool = True
    needs_range: bool = False
    choices: bool = False  # has `options` or `options_from`
    transcript: bool = True  # the page shows the conversation so far above it
    written: bool = False  # the answer holds the recipient's own words, labelled with the language they wrote in
    # Extra parts of the step's view (and so of the API's JSON): "scale" (low and high labels),
    # "answers" (the check page's list).
    parts: frozenset[str] = frozenset()
    parse: Callable[[Step, object, Answering], Parsed] = _no_answer
    show: Callable[[Step, object, Shown], object] = lambda step, value, shown: str(value)
    from_form: Callable[[Step, Form], object] | None = _from_value  # None: the form sends no answer
    nudges: Callable[[Step, object, Sequence[str]], list[Nudge]] | None = None

    @property
    def template(self) -> str:
        return f"kiosk/steps/{self.name}.html"


_SKIPPABLE = frozenset({"sensitive", "optional"})


def _dated(name: str) -> StepKind:
    """A date ("YYYY-MM-DD") or a month ("YYYY-MM") inside the step's window."""
    return StepKind(
        name,
        keys=_SKIPPABLE | {"range"},
        needs_range=True,
        parse=lambda step, raw, a: parse_date(raw, name, step.range.bounds(a.today)),
        show=lambda step, value, shown: shown.day(value, name),
        from_form=lambda step, form: date_from_form(form, "value", name),
    )


KINDS: Mapping[str, StepKind] = {
    kind.name: kind
    for kind in (
        StepKind("info", takes_answer=False, from_form=None),
        # Not on the check page: the language is switchable anywhere; consent is withdrawn by
        # talking to staff, not by editing a summary.
        StepKind("language", checked=False, needs_prompt=False, parse=_language, show=_show_choices),
        StepKind("consent", checked=False, parse=_yes_no, show=_show_choices),
        StepKind(
            "single_choice",
            keys=_SKIPPABLE | {"options", "options_from"},
            choices=True,
            parse=lambda step, raw, a: parse_choice(raw, a.options),
            show=_show_choices,
        ),
        StepKind(
            "multi_choice",
            keys=_SKIPPABLE | {"options", "options_from", "min", "max"},
            choices=True,
            parse=lambda step, raw, a: parse_choices(step, raw, a.options),
            show=_show_choices,
            from_form=lambda step, form: form.getlist("value"),
        ),
        StepKind("text", keys=_SKIPPABLE | {"max_length"}, parse=_text, written=True),
        StepKind("yes_no", keys=_SKIPPABLE, parse=_yes_no, show=_show_choices),
        StepKind(
            "scale",
            keys=_SKIPPABLE | {"low", "high"},
            parts=frozenset({"scale"}),
            parse=lambda step, raw, a: parse_scale(raw),
            show=lambda step, value, shown: shown.scale(value),
        ),
        _dated("date"),
        _dated("month"),
        # The plan's actions: 1–3 (min/max) items, each a text, a date and a 0–10 confidence.
        StepKind(
            "actions",
            keys=frozenset({"min", "max", "max_length", "range"}),
            needs_range=True,
            written=True,
            parts=frozenset({"scale"}),
            parse=lambda step, raw, a: parse_actions(step, raw, a.today),
            show=_show_actions,
            from_form=_from_actions,
            nudges=lambda step, value, phrases: action_nudges(value, phrases),
        ),
        StepKind("check", takes_answer=False, transcript=False, parts=frozenset({"answers"}), from_form=None),
        StepKind("handover", checked=False, transcript=False, parse=_handover),
        StepKind("done", takes_answer=False, terminal=True, transcript=False, from_form=None),
        StepKind("end", takes_answer=False, terminal=True, from_form=None),
        # A value the office supplies when the conversation starts (e.g. an action of the plan under
        # review): never shown, never on the check page; rules and `reflect` read it like an answer.
        StepKind("given", checked=False, asked=False, needs_prompt=False, from_form=None),
    )
}

TERMINAL_KINDS = frozenset(name for name, kind in KINDS.items() if kind.terminal)
DEFAULT_MAX_ITEMS = 3


def kind_of(step: Step) -> StepKind:
    return KINDS[step.kind]


def max_items(step: Step) -> int:
    """How many rows an actions form has."""
    return step.max or DEFAULT_MAX_ITEMS


def parse_answer(
    step: Step, raw: object, *, options: Sequence[Option], languages: Sequence[str], today: date
) -> object:
    """The value to store for this step, or AnswerInvalid listing what to correct."""
    value, problems = kind_of(step).parse(step, raw, Answering(options, languages, today))
    if problems:
        raise AnswerInvalid(problems)
    return value


def nudges(step: Step, value: object, vague_phrases: Sequence[str]) -> list[Nudge]:
    """Gentle prompts about an accepted answer (only actions have them)."""
    found = kind_of(step).nudges
    return found(step, value, vague_phrases) if found is not None and isinstance(value, list) else []
