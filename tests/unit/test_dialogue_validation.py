"""Broken dialogue files are refused with the file, the line and the reason."""

import textwrap
from pathlib import Path

import pytest

from intake.domain.dialogue import load_dialogue
from intake.domain.yamlfile import DataFileError

VALID = """\
id: broken
version: 1
title: Broken
start: a
sections:
  - {id: s, title: S}
steps:
  - id: a
    section: s
    kind: yes_no
    prompt: Question A
    next:
      - {if: {equals: {step: a, value: "yes"}}, goto: b}
      - goto: c
  - {id: b, section: s, kind: info, prompt: B, next: c}
  - {id: c, section: s, kind: done, prompt: C}
"""


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "broken.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_dialogue(path)
    return [str(p) for p in err.value.problems]


def test_the_valid_base_loads(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(VALID, encoding="utf-8")
    assert list(load_dialogue(path).steps) == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("change", "line", "reason"),
    [
        (
            ("    prompt: Question A\n", "    prompt: Question A\n    colour: red\n"),
            12,
            "unknown key 'colour' in step 'a'",
        ),
        (("goto: b}", "goto: nowhere}"), 13, "'next' goes to missing step 'nowhere'"),
        (
            (
                "{id: b, section: s, kind: info, prompt: B, next: c}",
                "{id: b, section: s, kind: info, prompt: B, next: c}\n  - {id: lost, section: s, kind: info, prompt: L, next: c}",
            ),
            16,
            "step 'lost' can never be reached",
        ),
        (
            ("{id: b, section: s, kind: info, prompt: B, next: c}", "{id: b, section: s, kind: info, prompt: B}"),
            15,
            "no way forward",
        ),
        (
            ('{if: {equals: {step: a, value: "yes"}}', '{if: {resembles: {step: a, value: "yes"}}'),
            13,
            "unknown rule operator 'resembles'",
        ),
        (
            ("      - goto: c\n", "      - {if: {answered: a}, goto: c}\n"),
            14,
            "the last branch of 'next' must have no 'if'",
        ),
        (("kind: info, prompt: B, next: c}", "kind: info, prompt: B, next: a}"), 15, "a loop back to an earlier step"),
        (("    kind: yes_no\n", "    kind: riddle\n"), 10, "unknown kind 'riddle'"),
        (
            ('{if: {equals: {step: a, value: "yes"}}', '{if: {equals: {step: ghost, value: "yes"}}'),
            13,
            "a rule reads missing step 'ghost'",
        ),
        (("  - {id: s, title: S}\n", "  - {id: s, title: S\n"), 7, "YAML syntax"),
    ],
    ids=[
        "unknown-key",
        "missing-target",
        "unreachable",
        "no-way-forward",
        "unknown-operator",
        "conditional-last-branch",
        "loop",
        "unknown-kind",
        "rule-reads-missing-step",
        "yaml-syntax",
    ],
)
def test_a_broken_file_names_file_line_and_reason(tmp_path, change, line, reason):
    old, new = change
    assert old in VALID
    found = problems_of(tmp_path, VALID.replace(old, new))
    assert any(f"broken.yaml:{line}: " in p and reason in p for p in found), found


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    text = VALID.replace("goto: b}", "goto: nowhere}").replace(
        "    kind: yes_no\n", "    kind: yes_no\n    colour: red\n"
    )
    found = problems_of(tmp_path, text)
    assert len(found) >= 2


def test_the_app_refuses_to_start_with_a_broken_dialogue(tmp_path):
    from intake import create_app

    (tmp_path / "broken.yaml").write_text(VALID.replace("goto: b}", "goto: nowhere}"), encoding="utf-8")
    with pytest.raises(DataFileError, match="broken.yaml:13: .*missing step 'nowhere'"):
        create_app({"DIALOGUES_DIR": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})


SHIPPED = Path(__file__).resolve().parents[2] / "dialogues" / "self_reliance.yaml"


def shipped_with(tmp_path: Path, *replacements: tuple[str, str]) -> list[str]:
    text = SHIPPED.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "self_reliance.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_dialogue(path)
    return [str(p) for p in err.value.problems]


def line_of(path_text: str, needle: str) -> int:
    return next(n for n, line in enumerate(path_text.splitlines(), 1) if needle in line)


def test_renaming_a_step_that_feeds_the_plan_is_a_located_problem(tmp_path):
    # The office renames the barriers step everywhere but in `produces:`: the plan would lose its barriers.
    problems = shipped_with(
        tmp_path,
        ("  - id: barriers\n", "  - id: obstacles\n"),
        ("    next: barriers\n", "    next: obstacles\n"),
        ("{skipped: barriers}", "{skipped: obstacles}"),
        ("reflect: {areas: future_areas, barriers: barriers}", "reflect: {areas: future_areas, barriers: obstacles}"),
    )
    text = (tmp_path / "self_reliance.yaml").read_text(encoding="utf-8")
    expected = f"{tmp_path / 'self_reliance.yaml'}:{line_of(text, 'barriers.chosen: barriers')}:"
    assert any(p.startswith(expected) and "missing step 'barriers'" in p for p in problems), problems


def test_a_plan_without_a_goal_date_or_with_an_unknown_field_is_refused(tmp_path):
    problems = shipped_with(tmp_path, ("    goal.date: goal_date\n", "    goal.when: goal_date\n"))
    assert any("has no field 'goal.when'" in p for p in problems)
    assert any("needs the field 'goal.date'" in p for p in problems)


def test_a_field_fed_by_the_wrong_kind_of_step_is_refused(tmp_path):
    problems = shipped_with(tmp_path, ("    goal.date: goal_date\n", "    goal.date: goal_own\n"))
    assert any("field 'goal.date' needs a step of kind month, not 'text'" in p for p in problems)


def test_an_option_repeated_in_a_reflection_without_a_short_phrase_is_refused(tmp_path):
    problems = shipped_with(tmp_path, ("{id: debt, label: I have debts that worry me, short: debts,", "{id: debt, label: I have debts that worry me,"))
    assert any("option 'debt' needs a 'short' phrase" in p and "reflected by 'reflect_barriers'" in p for p in problems), problems


def test_a_short_phrase_must_be_text(tmp_path):
    problems = shipped_with(tmp_path, ("short: debts,", "short: [debts],"))
    assert any("option 'debt'" in p and "short" in p for p in problems), problems
