"""Locale selection and the translated view of dialogue data (prompts, options, answers, dates).

The engine hands out English source text with a message context; this module turns it into the
viewer's language with gettext, so a missing translation falls back to English, never a blank.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from flask import Flask, current_app, g, request
from flask_babel import get_locale, gettext, pgettext

from ..domain.dialogue import Option, Step
from ..domain.engine import Engine
from ..extensions import babel

CASEWORKER_LOCALE = "ja"


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals.update(
        tr=translate,
        step_text=step_text,
        section_title=section_title,
        option_label=option_label,
        option_help=option_help,
        answer_text=answer_text,
        format_day=format_day,
        problem_text=problem_text,
        plan_goal=plan_goal,
        paragraphs=paragraphs,
        language_names=lambda: current_app.config["LANGUAGES"],
        current_locale=lambda: str(get_locale()),
    )


def select_locale() -> str:
    """The page's language: set by the view (an intake's locale, or Japanese for staff), else the kiosk default."""
    chosen = getattr(g, "locale", None)
    if chosen:
        return chosen
    offered = list(current_app.config["LANGUAGES"])
    return request.accept_languages.best_match(offered) or current_app.config["KIOSK_DEFAULT_LOCALE"]


def known_locale(locale: str | None) -> str:
    """An offered locale, or the kiosk default for anything unknown (never an error page)."""
    languages = current_app.config["LANGUAGES"]
    return locale if locale in languages else current_app.config["KIOSK_DEFAULT_LOCALE"]


def translate(context: str, text: str) -> str:
    return pgettext(context, text) if text else ""


def step_text(engine: Engine, step: Step, part: str = "prompt") -> str:
    """A step's prompt, help or scale label in the viewer's language."""
    source = getattr(step, part)
    context = engine.dialogue.context(step.id) if part == "prompt" else engine.dialogue.context(step.id, part)
    return translate(context, source)


def section_title(engine: Engine, section) -> str:
    return translate(engine.dialogue.context("section", section.id), section.title)


def option_label(option: Option) -> str:
    return translate(option.context, option.label) if option.context else option.label


def option_help(option: Option) -> str:
    return translate(option.help_context, option.help) if option.help_context else option.help


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def format_day(value: str | date | None, kind: str = "date") -> str:
    """A stored 'YYYY-MM-DD' or 'YYYY-MM' in the viewer's locale."""
    if not value:
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(value + "-01" if kind == "month" else value)
    locale = str(get_locale())
    if kind == "month":
        return format_skeleton("yMMMM", day, locale=locale)
    return format_date(day, format="long", locale=locale)


def problem_text(problem) -> str:
    """An answer problem's message in the viewer's language, dates formatted for the locale."""
    params = {k: format_day(v) if isinstance(v, date) else v for k, v in problem.params.items()}
    return gettext(problem.message, **params)


def joined(items: list[str]) -> str:
    return format_list(items, locale=str(get_locale())) if items else ""


def answer_text(engine: Engine, step: Step, answers: Mapping[str, object]) -> str | list:
    """One stored answer as the viewer reads it: labels from ids, free text verbatim."""
    if step.id not in answers:
        return ""
    value = answers[step.id]
    if value is None:
        return gettext("Skipped (prefer not to say)")
    if step.kind in {"single_choice", "multi_choice", "yes_no", "consent", "language"}:
        by_id = {o.id: o for o in engine.options(step, answers)}
        ids = value if isinstance(value, list) else [value]
        return joined([option_label(by_id[i]) if i in by_id else i for i in ids])
    if step.kind == "scale":
        return gettext("%(value)s out of 10", value=value)
    if step.kind in {"date", "month"}:
        return format_day(value, step.kind)
    if step.kind == "group":
        return [
            {"text": item["text"], "date": format_day(item["date"]), "confidence": item["confidence"]} for item in value
        ]
    return str(value)


def plan_goal(engine: Engine, plan: Mapping) -> str:
    """The plan's goal sentence: a chosen suggestion in the viewer's language, or the recipient's own words."""
    from ..domain.plan import goal_text

    chosen = goal_text(engine, plan)
    return translate(*chosen) if chosen else (plan["goal"].get("own") or "")


def reflected_prompt(engine: Engine, step: Step, answers: Mapping[str, object]) -> str:
    """A reflecting prompt with the recipient's earlier answers filled in, in the viewer's language."""
    text = step_text(engine, step)
    if not step.reflect:
        return text
    values = {}
    for name, items in engine.reflected(step, answers).items():
        values[name] = joined([option_label(i) if isinstance(i, Option) else i for i in items]) or "—"
    try:
        return text % values
    except (KeyError, ValueError, TypeError):  # a broken translation must not break the page
        return step.prompt % values
