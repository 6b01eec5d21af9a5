"""Routing rules: a closed vocabulary compiled into Python callables.

A dialogue file can only name these operators; nothing in it is ever evaluated or imported, so a
data file cannot run code. Each compiled rule takes the answers (step id -> raw value, None for a
skipped step) and returns a bool.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

Answers = Mapping[str, object]
Rule = Callable[[Answers], bool]


class RuleError(ValueError):
    """A rule in a dialogue file that does not follow the vocabulary."""


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready to call, with the steps it reads (for validation)."""

    test: Rule
    steps: frozenset[str]

    def __call__(self, answers: Answers) -> bool:
        return self.test(answers)


def _as_list(value: object) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _args(spec: object, op: str, keys: set[str]) -> Mapping:
    if not isinstance(spec, Mapping):
        raise RuleError(f"'{op}' needs a mapping with {sorted(keys)}")
    missing = keys - set(spec)
    extra = set(spec) - keys
    if missing or extra:
        raise RuleError(f"'{op}' needs exactly the keys {sorted(keys)}")
    if not isinstance(spec["step"], str):
        raise RuleError(f"'{op}': step must be a step id")
    return spec


def _value_rule(op: str, spec: object) -> CompiledRule:
    args = _args(spec, op, {"step", "value"})
    step, value = args["step"], args["value"]
    if op == "equals":
        test = lambda a: a.get(step) == value  # noqa: E731
    elif op == "not_equals":
        test = lambda a: a.get(step) != value  # noqa: E731
    else:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise RuleError(f"'{op}': value must be a number")
        if op == "less_than":
            test = lambda a: _is_number(a.get(step)) and a.get(step) < value  # noqa: E731
        else:
            test = lambda a: _is_number(a.get(step)) and a.get(step) >= value  # noqa: E731
    return CompiledRule(test, frozenset({step}))


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _values_rule(op: str, spec: object) -> CompiledRule:
    args = _args(spec, op, {"step", "values"})
    step, values = args["step"], args["values"]
    if not isinstance(values, list) or not values:
        raise RuleError(f"'{op}': values must be a non-empty list")
    wanted = frozenset(values)
    if op == "in":
        test = lambda a: a.get(step) in wanted  # noqa: E731
    elif op == "any_of":
        test = lambda a: bool(wanted & set(_as_list(a.get(step))))  # noqa: E731
    else:
        test = lambda a: wanted <= set(_as_list(a.get(step)))  # noqa: E731
    return CompiledRule(test, frozenset({step}))


def _count_rule(spec: object) -> CompiledRule:
    if not isinstance(spec, Mapping) or "step" not in spec:
        raise RuleError("'count' needs a step and at_least and/or at_most")
    bounds = set(spec) - {"step"}
    if not bounds or bounds - {"at_least", "at_most"}:
        raise RuleError("'count' needs a step and at_least and/or at_most")
    if not all(_is_number(spec[b]) for b in bounds):
        raise RuleError("'count': bounds must be numbers")
    step = spec["step"]
    low, high = spec.get("at_least", 0), spec.get("at_most", float("inf"))
    test = lambda a: low <= len(_as_list(a.get(step))) <= high  # noqa: E731
    return CompiledRule(test, frozenset({step}))


def _presence_rule(op: str, spec: object) -> CompiledRule:
    if not isinstance(spec, str):
        raise RuleError(f"'{op}' takes a step id")
    step = spec
    if op == "answered":
        test = lambda a: a.get(step) is not None  # noqa: E731
    else:
        test = lambda a: step in a and a[step] is None  # noqa: E731
    return CompiledRule(test, frozenset({step}))


def _combined_rule(op: str, spec: object) -> CompiledRule:
    if op == "not":
        inner = compile_rule(spec)
        return CompiledRule(lambda a: not inner(a), inner.steps)
    if not isinstance(spec, list) or not spec:
        raise RuleError(f"'{op}' takes a non-empty list of rules")
    parts = [compile_rule(part) for part in spec]
    steps = frozenset().union(*(p.steps for p in parts))
    if op == "all":
        return CompiledRule(lambda a: all(p(a) for p in parts), steps)
    return CompiledRule(lambda a: any(p(a) for p in parts), steps)


OPERATORS: dict[str, Callable[[object], CompiledRule]] = {
    "equals": lambda s: _value_rule("equals", s),
    "not_equals": lambda s: _value_rule("not_equals", s),
    "less_than": lambda s: _value_rule("less_than", s),
    "at_least": lambda s: _value_rule("at_least", s),
    "in": lambda s: _values_rule("in", s),
    "any_of": lambda s: _values_rule("any_of", s),
    "all_of": lambda s: _values_rule("all_of", s),
    "count": _count_rule,
    "answered": lambda s: _presence_rule("answered", s),
    "skipped": lambda s: _presence_rule("skipped", s),
    "all": lambda s: _combined_rule("all", s),
    "any": lambda s: _combined_rule("any", s),
    "not": lambda s: _combined_rule("not", s),
}


def compile_rule(spec: object) -> CompiledRule:
    """Turn one rule from a dialogue file into a callable; RuleError says what is wrong."""
    if not isinstance(spec, Mapping) or len(spec) != 1:
        raise RuleError("a rule is a mapping with exactly one operator")
    ((op, args),) = spec.items()
    if op not in OPERATORS:
        raise RuleError(f"unknown rule operator '{op}' (known: {', '.join(sorted(OPERATORS))})")
    return OPERATORS[op](args)


# --- conditions on facts (the program catalogue) -----------------------------------------------

# A condition reads what the person told us, and a question they skipped or declined tells nothing:
# a part of a condition that reads an unanswered step is unknown (None), neither true nor false.
Condition = Callable[[Answers], "bool | None"]
_PRESENCE = {"answered", "skipped"}


@dataclass(frozen=True, eq=False)
class CompiledCondition:
    """A rule of the vocabulary read in three values: True, False, or None when it reads a step not answered."""

    test: Condition
    steps: frozenset[str]
    spec: object  # the rule as written, kept to store and show it again; two conditions are equal when it is

    def __call__(self, answers: Answers) -> bool | None:
        return self.test(answers)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CompiledCondition) and other.spec == self.spec

    def __hash__(self) -> int:
        return hash(repr(self.spec))


def _known(steps: frozenset[str], answers: Answers) -> bool:
    return all(answers.get(step) is not None for step in steps)


def compile_condition(spec: object) -> CompiledCondition:
    """A rule as a condition on facts (Kleene's three values for all, any and not); RuleError says what is wrong.

    `answered` and `skipped` are refused: whether a question was skipped must never count for or against anything.
    """
    if not isinstance(spec, Mapping) or len(spec) != 1:
        raise RuleError("a rule is a mapping with exactly one operator")
    ((op, args),) = spec.items()
    if op in _PRESENCE:
        raise RuleError(f"'{op}' cannot be a condition: a skipped question counts neither for nor against")
    if op == "not":
        inner = compile_condition(args)
        return CompiledCondition(lambda a: None if (v := inner(a)) is None else not v, inner.steps, spec)
    if op in ("all", "any"):
        if not isinstance(args, list) or not args:
            raise RuleError(f"'{op}' takes a non-empty list of rules")
        parts = [compile_condition(part) for part in args]
        steps = frozenset().union(*(p.steps for p in parts))
        decisive = op == "any"  # any: one True decides; all: one False decides

        def test(a: Answers) -> bool | None:
            values = [p(a) for p in parts]
            if decisive in values:
                return decisive
            return None if None in values else not decisive

        return CompiledCondition(test, steps, spec)
    leaf = compile_rule(spec)
    return CompiledCondition(lambda a: leaf(a) if _known(leaf.steps, a) else None, leaf.steps, spec)


def condition_values(spec: object) -> list[tuple[str, object]]:
    """The (step, value) pairs a condition names, to check them against the dialogue's options."""
    if not isinstance(spec, Mapping) or len(spec) != 1:
        return []
    ((op, args),) = spec.items()
    if op == "not":
        return condition_values(args)
    if op in ("all", "any"):
        return [pair for part in args for pair in condition_values(part)] if isinstance(args, list) else []
    if op in ("equals", "not_equals", "in", "any_of", "all_of") and isinstance(args, Mapping) and "step" in args:
        values = args.get("values", [args["value"]] if "value" in args else [])
        return [(args["step"], value) for value in (values if isinstance(values, list) else [])]
    return [(args["step"], None)] if isinstance(args, Mapping) and "step" in args else []
