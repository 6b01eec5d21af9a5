"""The plan's edit history as sentences staff read (目標の達成期限を「令和9年11月」から「令和9年12月」に変更しました。).

A PlanEdit row keeps one top-level part of the worksheet before and after. This walks the two values
side by side and says what changed, naming parts with the plan sheet's words and writing values as
the sheet does (era dates, program names, labels for ids); nothing is shown as raw JSON.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from flask_babel import gettext

from ..domain.answers import N_
from ..domain.plan import PlanGoal
from .plan_text import era_date, era_month, goal_kind_label, goal_sentence, language_name, program_name

PART_LABELS = {
    "goal": N_("Goal"),
    "actions": N_("Action"),
    "programs": N_("Program"),
    "consent": N_("Consent"),
    "barriers": N_("Barriers"),
    "text": N_("Wording"),
    "suggestion": N_("Suggested goal"),
    "kind": N_("Kind of self-reliance"),
    "date": N_("Target date"),
    "confidence": N_("Confidence (0–10)"),
    "language": N_("Language written in"),
    "support": N_("Support and plan"),
    "given": N_("Consent given"),
    "recipient_language": N_("Recipient's language"),
    "japanese": N_("In Japanese (interpreted)"),
    "interpreter": N_("Interpreter"),
}
# A key whose meaning depends on the part it is in: a consent's date is not the goal's target date.
LABELS_WITHIN = {
    # i18n: staff: in the edit history, the goal chosen from the dialogue's suggestions ("the goal's …").
    ("goal", "suggestion"): N_("choice among the suggestions"),
    # i18n: staff: in the edit history, within the consent ("the consent's …"): whether it was given.
    ("consent", "given"): N_("whether given"),
    # i18n: staff: in the edit history, within the consent ("the consent's …"): the day it was given.
    ("consent", "date"): N_("day given"),
    ("actions", "date"): N_("Planned date"),
}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")


def _label(key: str, within: str = "") -> str:
    label = LABELS_WITHIN.get((within, key)) or PART_LABELS.get(key)
    return gettext(label) if label else key


def _value(key: str, value: object) -> str:
    """A value as the sheet writes it."""
    if value is None or value == "" or value == []:
        return gettext("(none)")
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, str):
        if _DAY.match(value):
            return era_date(value)
        if _MONTH.match(value):
            return era_month(value)
        if key == "kind":
            return goal_kind_label(value)
        if key in ("language", "recipient_language"):
            return language_name(value)
        if key == "id":
            return program_name(value)
        if key == "suggestion":  # an id of the dialogue's goal suggestions: the sentence it stands for
            return goal_sentence(PlanGoal(suggestion=value)) or value
        return value
    if isinstance(value, Mapping):
        summary = value.get("text") or value.get("id")
        return _value("id" if "id" in value and not value.get("text") else "text", summary) if summary else "…"
    if isinstance(value, list):
        return "、".join(_value(key, item) for item in value)
    return str(value)


def _part(whole: str, part: str) -> str:
    return gettext("%(whole)s: %(part)s", whole=whole, part=part)


def _changed(part: str, key: str, before: object, after: object) -> str:
    if before in (None, "", []):
        return gettext("%(part)s set to “%(after)s”.", part=part, after=_value(key, after))
    if after in (None, "", []):
        return gettext("%(part)s cleared (was “%(before)s”).", part=part, before=_value(key, before))
    return gettext(
        "%(part)s changed from “%(before)s” to “%(after)s”.",
        part=part,
        before=_value(key, before),
        after=_value(key, after),
    )


def _walk(part: str, key: str, before: object, after: object) -> list[str]:
    if before == after:
        return []
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        sentences = []
        for sub in [*before, *(k for k in after if k not in before)]:
            sentences += _walk(_part(part, _label(sub, within=key)), sub, before.get(sub), after.get(sub))
        return sentences
    if isinstance(before, list) and isinstance(after, list) and any(isinstance(i, Mapping) for i in before + after):
        return _walk_items(part, key, before, after)
    return [_changed(part, key, before, after)]


def _walk_items(part: str, key: str, before: list, after: list) -> list[str]:
    """Actions by position (取組1, 取組2 …); programs by their id."""
    keyed = all(isinstance(i, Mapping) and "id" in i for i in before + after)
    if keyed:
        old = {item["id"]: item for item in before}
        new = {item["id"]: item for item in after}
        pairs = [(program_name(pid), old.get(pid), new.get(pid)) for pid in [*old, *(p for p in new if p not in old)]]
    else:
        length = max(len(before), len(after))
        pairs = [
            (
                f"{part}{index + 1}",
                before[index] if index < len(before) else None,
                after[index] if index < len(after) else None,
            )
            for index in range(length)
        ]
    sentences = []
    for name, old_item, new_item in pairs:
        if old_item is None:
            added = name if keyed else _value(key, new_item)
            sentences.append(gettext("%(part)s added: “%(after)s”.", part=part if keyed else name, after=added))
        elif new_item is None:
            removed = name if keyed else _value(key, old_item)
            sentences.append(gettext("%(part)s removed: “%(before)s”.", part=part if keyed else name, before=removed))
        else:
            sentences += _walk(_part(part, name) if keyed else name, key, old_item, new_item)
    return sentences


def edit_sentences(field: str, before: object, after: object) -> list[str]:
    """What one recorded edit changed, as sentences in the page's language."""
    return _walk(_label(field), field, before, after) or [gettext("No visible change.")]
