"""A program's conditions (require, exclude) as the admin's editor shows them: ticked options per question.

The conversions are the domain's (domain/programs.py, domain/rules.py); the editor reaches them through here, so
its view parses the form and calls services only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..domain.programs import Program, choices_condition, condition_choices
from ..domain.rules import RuleError, compile_condition


def stored_lists(spec: object, key: str) -> dict[str, list[str]] | None:
    """A stored condition (an office row's rule) as the editor's lists: {} when there is none, None when it is
    written in a form the lists cannot show (or is not a rule at all)."""
    if not spec:
        return {}
    try:
        return condition_choices(compile_condition(spec), key)
    except RuleError:
        return None


def program_lists(program: Program, key: str) -> dict[str, list[str]] | None:
    """A programs.yaml program's condition `key` as the editor's lists (None: a form the lists cannot show)."""
    return condition_choices(getattr(program, key), key)


def condition_of(choices: Mapping[str, Sequence[str]], key: str) -> dict | None:
    """The editor's ticked options as the rule stored for condition `key`; None when nothing is ticked."""
    return choices_condition(choices, key)
