"""Parsing and checking one raw answer for each step kind.

A raw answer is what a form or the JSON API sent (text, a list of ids, a number, a date string).
`parse_answer` returns the value to store or raises AnswerInvalid with every problem found; it
never changes anything itself. Messages are English msgids (marked with N_) that the web layer
translates and fills with `params`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from .dialogue import Option, Step


def N_(message: str) -> str:
    """Mark a message for extraction; the web layer translates it."""
    return message


# Bidirectional overrides and isolates can make text display differently from what is stored.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
SCALE_MIN, SCALE_MAX = 0, 10
LOW_CONFIDENCE = 5
GROUP_FIELDS = ("text", "date", "confidence")
MIN_CONCRETE_LENGTH = 6


@dataclass(frozen=True)
class AnswerProblem:
    """One thing wrong with an answer; `where` names a part of a group ("1.date")."""

    code: str
    message: str
    params: Mapping[str, object] = field(default_factory=dict)
    where: str = ""


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


def _problem(code: str, message: str, where: str = "", **params) -> AnswerProblem:
    return AnswerProblem(code, message, params, where)


def clean_text(raw: object, max_length: int | None, where: str = "") -> tuple[str, list[AnswerProblem]]:
    """Normalise free text (NFC, trimmed, Unix newlines) and report what cannot be stored."""
    if not isinstance(raw, str):
        return "", [_problem("not_text", N_("Please write your answer as text."), where)]
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n")).strip()
    for char in text:
        category = unicodedata.category(char)
        if (category == "Cc" and char not in "\n\t") or category == "Cs" or char in _BIDI_CONTROLS:
            return text, [
                _problem(
                    "invalid_characters",
                    N_("Your answer contains characters that cannot be stored. Please type it again."),
                    where,
                )
            ]
    if max_length is not None and len(text) > max_length:
        return text, [
            _problem(
                "too_long",
                N_("Please keep this to %(max)s characters or fewer (now %(count)s)."),
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


def parse_date(raw: object, kind: str, bounds: tuple[date, date], where: str = "") -> tuple[str, list[AnswerProblem]]:
    """Check a 'YYYY-MM-DD' (date) or 'YYYY-MM' (month) string against the allowed window."""
    earliest, latest = bounds
    text = raw.strip() if isinstance(raw, str) else ""
    try:
        if kind == "month":
            match = _MONTH.match(text)
            if not match:
                raise ValueError
            year, month = int(match[1]), int(match[2])
            first = date(year, month, 1)
            inside = (year, month) >= (earliest.year, earliest.month) and (year, month) <= (latest.year, latest.month)
            value = f"{first:%Y-%m}"
        else:
            match = _DAY.match(text)
            if not match:
                raise ValueError
            day = date(int(match[1]), int(match[2]), int(match[3]))
            inside = earliest <= day <= latest
            value = day.isoformat()
    except ValueError:
        if kind == "month":
            return "", [_problem("invalid_date", N_("Please choose a month."), where)]
        return "", [_problem("invalid_date", N_("Please choose a date."), where)]
    if not inside and kind == "month":
        return value, [
            _problem(
                "out_of_range",
                N_("Please choose a month between %(earliest)s and %(latest)s."),
                where,
                earliest=Month(earliest.replace(day=1)),
                latest=Month(latest.replace(day=1)),
            )
        ]
    if not inside:
        return value, [
            _problem(
                "out_of_range",
                N_("Please choose a date between %(earliest)s and %(latest)s."),
                where,
                earliest=earliest,
                latest=latest,
            )
        ]
    return value, []


def _scale(raw: object, where: str = "") -> tuple[int | None, list[AnswerProblem]]:
    try:
        if isinstance(raw, bool):
            raise ValueError
        value = int(raw) if not isinstance(raw, float) or raw.is_integer() else None
        if value is None:
            raise ValueError
    except (TypeError, ValueError):
        return None, [_problem("invalid_number", N_("Please choose a number from 0 to 10."), where)]
    if not SCALE_MIN <= value <= SCALE_MAX:
        return None, [_problem("out_of_range_number", N_("Please choose a number from 0 to 10."), where)]
    return value, []


def _choice(raw: object, options: Sequence[Option]) -> tuple[str, list[AnswerProblem]]:
    ids = {o.id for o in options}
    if not isinstance(raw, str) or not raw:
        return "", [_problem("required", N_("Please choose one answer."))]
    if raw not in ids:
        return "", [_problem("unknown_option", N_("Please choose one of the answers shown."))]
    return raw, []


def _choices(step: Step, raw: object, options: Sequence[Option]) -> tuple[list[str], list[AnswerProblem]]:
    if isinstance(raw, str):
        raw = [raw] if raw else []
    if not isinstance(raw, list) or not all(isinstance(r, str) for r in raw):
        return [], [_problem("unknown_option", N_("Please choose from the answers shown."))]
    by_id = {o.id: o for o in options}
    if len(raw) > len(options) or len(set(raw)) != len(raw):
        return [], [_problem("repeated_options", N_("Please choose each answer only once."))]
    if any(r not in by_id for r in raw):
        return [], [_problem("unknown_option", N_("Please choose from the answers shown."))]
    chosen = [o.id for o in options if o.id in raw]  # keep the dialogue's order, drop repeats
    low = step.min if step.min is not None else 1
    high = step.max if step.max is not None else len(options)
    if len(chosen) < low:
        return chosen, [_problem("too_few", N_("Please choose at least %(min)s."), min=low)]
    if len(chosen) > high:
        return chosen, [_problem("too_many", N_("Please choose no more than %(max)s."), max=high)]
    if len(chosen) > 1 and any(by_id[c].exclusive for c in chosen):
        return chosen, [
            _problem(
                "exclusive",
                N_("“%(label)s” cannot be combined with other answers."),
                label=next(by_id[c] for c in chosen if by_id[c].exclusive).label,
            )
        ]
    return chosen, []


def _group(step: Step, raw: object, today: date) -> tuple[list[dict], list[AnswerProblem]]:
    if not isinstance(raw, list) or not all(isinstance(item, Mapping) for item in raw):
        return [], [_problem("invalid_group", N_("Please fill in your steps."))]
    items, problems = [], []
    for index, item in enumerate(raw):
        unknown = set(item) - set(GROUP_FIELDS)
        if unknown:
            problems.append(_problem("unknown_field", N_("Please fill in your steps."), f"{index}"))
            continue
        if not any(str(item.get(f) or "").strip() for f in GROUP_FIELDS):
            continue  # an empty row in the form is not an item
        text, text_problems = clean_text(item.get("text", ""), step.max_length, f"{index}.text")
        if not text and not text_problems:
            text_problems = [_problem("required", N_("Please write what you will do."), f"{index}.text")]
        when, date_problems = parse_date(item.get("date"), "date", step.range.bounds(today), f"{index}.date")
        confidence, scale_problems = _scale(item.get("confidence"), f"{index}.confidence")
        problems += text_problems + date_problems + scale_problems
        items.append({"text": text, "date": when, "confidence": confidence})
    low = step.min if step.min is not None else 1
    high = step.max if step.max is not None else 3
    if len(items) < low:
        problems.append(_problem("too_few_items", N_("Please write at least %(min)s step."), min=low))
    if len(items) > high:
        problems.append(_problem("too_many_items", N_("Please write no more than %(max)s steps."), max=high))
    return items, problems


def parse_answer(
    step: Step, raw: object, *, options: Sequence[Option], languages: Sequence[str], today: date
) -> object:
    """The value to store for this step, or AnswerInvalid listing what to correct."""
    kind = step.kind
    if kind in {"consent", "yes_no"}:
        value, problems = (
            (raw, []) if raw in ("yes", "no") else (None, [_problem("required", N_("Please choose one answer."))])
        )
    elif kind == "language":
        value, problems = (
            (raw, [])
            if raw in languages
            else (None, [_problem("unknown_language", N_("Please choose a language from the list."))])
        )
    elif kind == "single_choice":
        value, problems = _choice(raw, options)
    elif kind == "multi_choice":
        value, problems = _choices(step, raw, options)
    elif kind == "text":
        value, problems = clean_text(raw, step.max_length)
        if not value and not problems:
            problems = [_problem("required", N_("Please write your answer, or go back."))]
    elif kind == "scale":
        value, problems = _scale(raw)
    elif kind in {"date", "month"}:
        value, problems = parse_date(raw, kind, step.range.bounds(today))
    elif kind == "group":
        value, problems = _group(step, raw, today)
    elif kind == "handover":
        value, problems = (
            (raw, [])
            if raw == "confirm"
            else (None, [_problem("required", N_("Please press the button to send your answers."))])
        )
    else:
        value, problems = None, [_problem("no_answer", N_("This step takes no answer."))]
    if problems:
        raise AnswerInvalid(problems)
    return value


def is_empty(raw: object) -> bool:
    """An optional step left blank counts as skipped."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list):
        return len(raw) == 0
    return False


def nudges(step: Step, value: object, vague_phrases: Sequence[str]) -> list[Nudge]:
    """Gentle prompts about actions: make a vague one concrete, make a low-confidence one smaller."""
    if step.kind != "group" or not isinstance(value, list):
        return []
    found = []
    for index, item in enumerate(value):
        text = str(item.get("text", "")).casefold()
        if len(text) < MIN_CONCRETE_LENGTH or any(p in text for p in vague_phrases):
            found.append(
                Nudge(
                    "vague",
                    N_("Could you make this more concrete? Say what you will do, when, where and with whom."),
                    index,
                )
            )
        confidence = item.get("confidence")
        if isinstance(confidence, int) and confidence < LOW_CONFIDENCE:
            found.append(
                Nudge(
                    "low_confidence",
                    N_(
                        "You rated this %(confidence)s out of 10. A smaller first step may be easier. Would you like to change it?"
                    ),
                    index,
                    {"confidence": confidence},
                )
            )
    return found
