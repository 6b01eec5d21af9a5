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
