"""Parsing and checking raw answers: text, dates, the 0–10 scale, choices and actions.

A raw answer is what a form or the JSON API sent (text, a list of ids, a number, a date string).
Each parser returns the value to store and every problem found; it never changes anything itself.
Which kind uses which parser is in step_kinds.py (`parse_answer`). Messages are English msgids
(marked with N_) that the web layer translates and fills with `params`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from .dates import parse_day, parse_month

if TYPE_CHECKING:
    from .dialogue import Option, Step


def N_(message: str) -> str:
    """Mark a message for extraction; the web layer translates it."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with a count for extraction (ngettext); the web layer picks the form for the count."""
    return singular, plural


# Bidirectional overrides and isolates can make text display differently from what is stored.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
SCALE_MIN, SCALE_MAX = 0, 10
LOW_CONFIDENCE = 5
ACTION_FIELDS = ("text", "date", "confidence")
MIN_CONCRETE_LENGTH = 6


@dataclass(frozen=True)
class AnswerProblem:
    """One thing wrong with an answer; `where` names a part of an actions answer ("1.date")."""

    code: str
    message: str
    params: Mapping[str, object] = field(default_factory=dict)
    where: str = ""
    plural: str = ""  # the message's plural form; `count` names the param that picks the form
    count: str = ""


class AnswerInvalid(ValueError):
    def __init__(self, problems: Sequence[AnswerProblem]):
        self.problems = list(problems)
        super().__init__("; ".join(p.code for p in self.problems))


@dataclass(frozen=True)
class Nudge:
    """A gentle suggestion about an accepted answer (not an error): e.g. make an action concrete."""

    code: str
    message: str
    item: int
    params: Mapping[str, object] = field(default_factory=dict)


def problem(code: str, message: str, where: str = "", **params) -> AnswerProblem:
    return AnswerProblem(code, message, params, where)


def _counted(code: str, forms: tuple[str, str], by: str, where: str = "", **params) -> AnswerProblem:
    """A problem whose message shows a number: the reader's language picks the plural form by params[by]."""
    return AnswerProblem(code, forms[0], params, where, plural=forms[1], count=by)


def clean_text(raw: object, max_length: int | None, where: str = "") -> tuple[str, list[AnswerProblem]]:
    """Normalise free text (NFC, trimmed, Unix newlines) and report what cannot be stored."""
    if not isinstance(raw, str):
        # i18n: An error under a text answer: what was sent is not text.
        return "", [problem("not_text", N_("Please write your answer as text."), where)]
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n")).strip()
    for char in text:
        category = unicodedata.category(char)
        if (category == "Cc" and char not in "\n\t") or category == "Cs" or char in _BIDI_CONTROLS:
            return text, [
                problem(
                    "invalid_characters",
                    # i18n: An error under a text answer with invisible control characters.
                    N_("Your answer contains characters that cannot be stored. Please type it again."),
                    where,
                )
            ]
    if max_length is not None and len(text) > max_length:
        return text, [
            _counted(
                "too_long",
                # i18n: An error under a text answer that is too long; %(max)s is the limit, %(count)s what was typed.
                Nn_(
                    "Please keep this to %(max)s character or fewer (now %(count)s).",
                    "Please keep this to %(max)s characters or fewer (now %(count)s).",
                ),
                "max",
                where,
                max=max_length,
                count=len(text),
            )
        ]
    return text, []


@dataclass(frozen=True)
class Month:
    """A month as a problem's parameter, so that the page writes it as a month, never as a day."""

    first: date


def _outside(kind: str, bounds: tuple[date, date], code: str, where: str) -> AnswerProblem:
    """No date, or one outside the window: the message names the window, in the reader's language."""
    earliest, latest = bounds
    if kind == "month":
        return problem(
            code,
            # i18n: An error under a month question; both months are formatted for your language.
            N_("Please choose a month between %(earliest)s and %(latest)s."),
            where,
            earliest=Month(earliest.replace(day=1)),
            latest=Month(latest.replace(day=1)),
        )
    return problem(
        code,
        # i18n: An error under a date question; both dates are formatted for your language.
        N_("Please choose a date between %(earliest)s and %(latest)s."),
        where,
        earliest=earliest,
        latest=latest,
    )


def parse_date(raw: object, kind: str, bounds: tuple[date, date], where: str = "") -> tuple[str, list[AnswerProblem]]:
    """Check a 'YYYY-MM-DD' (date) or 'YYYY-MM' (month) string against the allowed window."""
    earliest, latest = bounds
    try:
        if kind == "month":
            first = parse_month(raw)
            if first is None:
                raise ValueError
            year, month = first.year, first.month
            inside = (year, month) >= (earliest.year, earliest.month) and (year, month) <= (latest.year, latest.month)
            value = f"{first:%Y-%m}"
        else:
            day = parse_day(raw)
            if day is None:
                raise ValueError
            inside = earliest <= day <= latest
            value = day.isoformat()
    except ValueError:
        return "", [_outside(kind, bounds, "invalid_date", where)]
    if not inside:
        return value, [_outside(kind, bounds, "out_of_range", where)]
    return value, []


def parse_scale(raw: object, where: str = "") -> tuple[int | None, list[AnswerProblem]]:
    try:
        if isinstance(raw, bool):
            raise ValueError
        value = int(raw) if not isinstance(raw, float) or raw.is_integer() else None
        if value is None:
            raise ValueError
    except (TypeError, ValueError):
        # i18n: An error under a 0-10 scale question.
        return None, [problem("invalid_number", N_("Please choose a number from 0 to 10."), where)]
    if not SCALE_MIN <= value <= SCALE_MAX:
        return None, [problem("out_of_range_number", N_("Please choose a number from 0 to 10."), where)]
    return value, []


def parse_choice(raw: object, options: Sequence[Option]) -> tuple[str, list[AnswerProblem]]:
    ids = {o.id for o in options}
    if not isinstance(raw, str) or not raw:
        # i18n: An error under a question with one choice, when none was chosen.
        return "", [problem("required", N_("Please choose one answer."))]
    if raw not in ids:
        # i18n: An error under a question with one choice, when the choice is not in the list.
        return "", [problem("unknown_option", N_("Please choose one of the answers shown."))]
    return raw, []


def parse_choices(step: Step, raw: object, options: Sequence[Option]) -> tuple[list[str], list[AnswerProblem]]:
    if isinstance(raw, str):
        raw = [raw] if raw else []
    if not isinstance(raw, list) or not all(isinstance(r, str) for r in raw):
        # i18n: An error under a question with several choices, when a choice is not in the list.
        return [], [problem("unknown_option", N_("Please choose from the answers shown."))]
    by_id = {o.id: o for o in options}
    if len(raw) > len(options) or len(set(raw)) != len(raw):
        # i18n: An error under a question with several choices, when one was sent twice.
        return [], [problem("repeated_options", N_("Please choose each answer only once."))]
    if any(r not in by_id for r in raw):
        return [], [problem("unknown_option", N_("Please choose from the answers shown."))]
    chosen = [o.id for o in options if o.id in raw]  # keep the dialogue's order, drop repeats
    low = step.min if step.min is not None else 1
    high = step.max if step.max is not None else len(options)
    if len(chosen) < low:
        return chosen, [
            _counted(
                # i18n: An error under a question with several choices; %(min)s is a number of answers.
                "too_few", Nn_("Please choose at least %(min)s.", "Please choose at least %(min)s."), "min", min=low
            )
        ]
    if len(chosen) > high:
        return chosen, [
            _counted(
                "too_many",
                # i18n: An error under a question with several choices; %(max)s is a number of answers.
                Nn_("Please choose no more than %(max)s.", "Please choose no more than %(max)s."),
                "max",
                max=high,
            )
        ]
    if len(chosen) > 1 and any(by_id[c].exclusive for c in chosen):
        return chosen, [
            problem(
                "exclusive",
                # i18n: An error when an answer like 'I am not sure yet' is chosen with others; %(label)s is that answer, already translated.
                N_("“%(label)s” cannot be combined with other answers."),
                label=next(by_id[c] for c in chosen if by_id[c].exclusive),  # shown in the reader's language
            )
        ]
    return chosen, []


def parse_actions(step: Step, raw: object, today: date) -> tuple[list[dict], list[AnswerProblem]]:
    if not isinstance(raw, list) or not all(isinstance(item, Mapping) for item in raw):
        # i18n: An error on the page where the recipient writes their actions (steps toward the goal).
        return [], [problem("invalid_group", N_("Please fill in your steps."))]
    items, problems = [], []
    for index, item in enumerate(raw):
        unknown = set(item) - set(ACTION_FIELDS)
        if unknown:
            problems.append(problem("unknown_field", N_("Please fill in your steps."), f"{index}"))
            continue
        if not any(str(item.get(f) or "").strip() for f in ACTION_FIELDS):
            continue  # an empty row in the form is not an item
        text, text_problems = clean_text(item.get("text", ""), step.max_length, f"{index}.text")
        if not text and not text_problems:
            # i18n: An error under one action (step toward the goal) that has a date but no text.
            text_problems = [problem("required", N_("Please write what you will do."), f"{index}.text")]
        when, date_problems = parse_date(item.get("date"), "date", step.range.bounds(today), f"{index}.date")
        confidence, scale_problems = parse_scale(item.get("confidence"), f"{index}.confidence")
        problems += text_problems + date_problems + scale_problems
        items.append({"text": text, "date": when, "confidence": confidence})
    low = step.min if step.min is not None else 1
    high = step.max if step.max is not None else 3
    if len(items) < low:
        problems.append(
            _counted(
                "too_few_items",
                # i18n: An error on the actions page; a 'step' is one action toward the goal, %(min)s a number.
                Nn_("Please write at least %(min)s step.", "Please write at least %(min)s steps."),
                "min",
                min=low,
            )
        )
    if len(items) > high:
        problems.append(
            _counted(
                "too_many_items",
                # i18n: An error on the actions page; a 'step' is one action toward the goal, %(max)s a number.
                Nn_("Please write no more than %(max)s step.", "Please write no more than %(max)s steps."),
                "max",
                max=high,
            )
        )
    return items, problems


def is_empty(raw: object) -> bool:
    """An optional step left blank counts as skipped."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list):
        return len(raw) == 0
    return False


def action_nudges(value: list, vague_phrases: Sequence[str]) -> list[Nudge]:
    """Gentle prompts about actions: make a vague one concrete, make a low-confidence one smaller."""
    found = []
    for index, item in enumerate(value):
        text = str(item.get("text", "")).casefold()
        if len(text) < MIN_CONCRETE_LENGTH or any(p in text for p in vague_phrases):
            found.append(
                Nudge(
                    "vague",
                    # i18n: A gentle suggestion under an action that is very short or vague; not an error.
                    N_("Could you make this more concrete? Say what you will do, when, where and with whom."),
                    index,
                )
            )
        confidence = item.get("confidence")
        if isinstance(confidence, int) and confidence < LOW_CONFIDENCE:
            found.append(
                Nudge(
                    "low_confidence",
                    # i18n: A gentle suggestion under an action the recipient is not confident about; %(confidence)s is 0-10.
                    N_(
                        "You rated this %(confidence)s out of 10. A smaller first step may be easier. Would you like to change it?"
                    ),
                    index,
                    {"confidence": confidence},
                )
            )
    return found
