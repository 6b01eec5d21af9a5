"""A plan's parts as text: the goal, its kind, programs and evaluations, in the page's language.

Plan content stores ids and the words people wrote; this module turns ids into translated labels
(gettext, so a missing translation falls back to English) and leaves written words verbatim. The
printed sheet's Japanese labels come from the office's data file (data/plan_sheet.yaml).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import gettext

from ..domain import yamlfile
from ..domain.answers import N_
from ..domain.engine import GOAL_KIND_STEP, Engine
from ..domain.eras import EraCalendar, load_eras
from ..i18n import option_label, translate
from .common import intake_engine

EVALUATION_LABELS = {
    # i18n: An evaluation of a goal or action at review time, on the recipient's copy of the plan.
    "achieved": N_("Achieved"),
    # i18n: An evaluation of a goal or action at review time, on the recipient's copy of the plan.
    "partly": N_("Partly achieved"),
    # i18n: An evaluation of a goal or action at review time: not achieved yet.
    "not_yet": N_("Not yet"),
}
GROUP_LABELS = {
    # i18n: A kind of goal: self-reliance through work (経済的自立).
    "economic": N_("Economic self-reliance"),
    # i18n: A kind of goal: managing one's own health and daily life (日常生活自立).
    "daily_life": N_("Daily-life self-reliance"),
    # i18n: A kind of goal: social ties and taking part in the community (社会生活自立).
    "social_life": N_("Social-life self-reliance"),
    # The report's sub-lines inside a group (domain.md §8).
    # i18n: A sub-line of a report table: the part of a group that is about finding work.
    "employment": N_("of which: employment"),
    # i18n: A sub-line of a report table: the part of a group that is about children.
    "children": N_("of which: children"),
}


def load_office_data(app) -> None:
    """Read the era table and the plan sheet once, when the blueprint is registered."""
    app.extensions["yorisoi.eras"] = load_eras(Path(app.config["ERAS_FILE"]))
    app.extensions["yorisoi.plan_sheet"] = dict(yamlfile.load(Path(app.config["PLAN_SHEET_FILE"])))


def eras() -> EraCalendar:
    return current_app.extensions["yorisoi.eras"]


def plan_sheet() -> Mapping:
    return current_app.extensions["yorisoi.plan_sheet"]


def era_date(day: date | str | None) -> str:
    """A date as official forms write it: 令和元年5月1日."""
    if not day:
        return ""
    day = day if isinstance(day, date) else date.fromisoformat(day)
    return eras().format_date(day, western=current_app.config["PLAN_WESTERN_YEAR"])


def era_month(month: str | None) -> str:
    """A target month as the sheet writes it: 令和9年11月."""
    if not month:
        return ""
    text = era_date(month + "-01")
    return text[: text.index("月") + 1] if "月" in text else text


def goal_sentence(content: Mapping, engine: Engine | None = None) -> str:
    """The goal: a chosen suggestion translated, or the words someone wrote, verbatim."""
    engine = engine or intake_engine()
    goal = content.get("goal") or {}
    suggestion = goal.get("suggestion")
    for s in engine.dialogue.goal_suggestions:
        if s.id == suggestion:
            return translate(engine.dialogue.context("goal", s.id), s.text)
    return goal.get("text") or ""


def goal_kind_label(kind: str | None, engine: Engine | None = None) -> str:
    engine = engine or intake_engine()
    step = engine.dialogue.steps.get(GOAL_KIND_STEP)
    option = step.option(kind) if step and kind else None
    return option_label(option) if option else (kind or "")


def program_name(program_id: str, engine: Engine | None = None) -> str:
    engine = engine or intake_engine()
    for program in engine.programs:
        if program.id == program_id:
            return translate(program.context("name"), program.name)
    return program_id


def evaluation_label(evaluation: str | None) -> str:
    return gettext(EVALUATION_LABELS[evaluation]) if evaluation in EVALUATION_LABELS else ""


def group_label(group: str) -> str:
    return gettext(GROUP_LABELS.get(group, group)) if group in GROUP_LABELS else group


def language_name(code: str | None) -> str:
    return current_app.config["LANGUAGES"].get(code, code or "")


def readable(value: object) -> str:
    """A stored value as staff read it in the edit history: text as is, structures as JSON in their own script."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def template_helpers() -> dict:
    return {
        "era_date": era_date,
        "era_month": era_month,
        "goal_sentence": goal_sentence,
        "goal_kind_label": goal_kind_label,
        "program_name": program_name,
        "evaluation_label": evaluation_label,
        "group_label": group_label,
        "language_name": language_name,
        "plan_sheet": plan_sheet,
        "readable": readable,
    }
