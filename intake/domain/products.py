"""What a dialogue hands to the caseworker, and which of its steps feeds each part.

A dialogue file names its product and maps each field to a step id under `produces:`:

    produces:
      kind: draft_plan
      fields:
        goal.kind: goal_kind
        barriers.chosen: barriers

The step ids live only in the dialogue files; Python asks for a *field* ("goal.kind") and the
dialogue says which step answers it. The fields each product knows, the step kinds that can feed
them and the ones it cannot do without are declared here, and checked when the file is read, so a
renamed step is a `file:line` problem at load, never an empty plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# Goal kinds of the plan sheet (自立の種類): the options of the step that feeds goal.kind.
GOAL_KINDS = ("economic", "daily_life", "social_life")
# The goal-suggestion option that means "I will write my own goal" (the engine adds it to the list).
OWN_GOAL = "own"

DRAFT_PLAN = "draft_plan"
REVIEW = "review"
CHECK_IN = "check_in"


@dataclass(frozen=True)
class FieldSpec:
    """One part of a product: which step kinds may feed it, and whether the product needs it."""

    kinds: frozenset[str]
    required: bool = False
    many: bool = False  # fed by a list of steps (e.g. the situation questions)
    options_from: str | None = None  # the step must draw its options from this source


def _spec(*kinds: str, required: bool = False, many: bool = False, options_from: str | None = None) -> FieldSpec:
    return FieldSpec(frozenset(kinds), required, many, options_from)


ANSWER_KINDS = ("single_choice", "multi_choice", "text", "yes_no", "scale", "date", "month")

PRODUCTS: Mapping[str, Mapping[str, FieldSpec]] = {
    DRAFT_PLAN: {
        "language": _spec("language"),
        "future.picture": _spec("text"),
        "future.areas": _spec("multi_choice"),
        "strengths.chosen": _spec("multi_choice"),
        "strengths.own": _spec("text"),
        "situation": _spec(*ANSWER_KINDS, many=True),
        "work": _spec("single_choice"),  # the work situation: the ranking leaves employment out for some
        "age": _spec("single_choice"),  # an age band: youth and older people's programs keep to their ages
        "barriers.chosen": _spec("multi_choice", required=True),
        "barriers.own": _spec("text"),
        "goal.kind": _spec("single_choice", required=True),
        "goal.pick": _spec("single_choice", required=True, options_from="goal_suggestions"),
        "goal.own": _spec("text"),
        "goal.date": _spec("month", required=True),
        "action_ideas": _spec("multi_choice", options_from="program_actions"),
        "actions": _spec("actions", required=True),
    },
    REVIEW: {
        "language": _spec("language"),
        "goal.closeness": _spec("scale"),
        "wish": _spec("text"),
    },
    # The two-minute check-in with a pocket card (domain/pocket_card.py): each action's status is read by its id.
    CHECK_IN: {
        "note": _spec("text", required=True),
        "talk": _spec("single_choice", required=True),
    },
}

# What each computed option list reads: a dialogue that uses the source must produce these fields.
SOURCE_NEEDS: Mapping[str, tuple[str, ...]] = {
    "goal_suggestions": ("goal.kind",),
    "program_actions": ("barriers.chosen", "goal.kind"),
}


@dataclass(frozen=True)
class Product:
    """A dialogue's declaration of what it produces; `fields` maps a field to its step id(s)."""

    kind: str
    fields: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)

    def step(self, name: str) -> str | None:
        """The step id that feeds one field, or None when this dialogue does not ask it."""
        value = self.fields.get(name)
        return value if isinstance(value, str) else None

    def steps(self, name: str) -> tuple[str, ...]:
        """The step ids that feed a field of several steps (or the one step of a single field)."""
        value = self.fields.get(name)
        if value is None:
            return ()
        return value if isinstance(value, tuple) else (value,)


NO_PRODUCT = Product("answers")
