"""The office's data folder: every dialogue and the programs, loaded and checked together."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from .dialogue import Dialogue, load_dialogue
from .engine import Engine
from .programs import (
    AGE,
    BARRIERS,
    Program,
    ProgramProblem,
    answer_problems,
    barrier_problems,
    load_programs,
    problem_line,
)
from .yamlfile import DataFileError, Problem

PROGRAMS_FILE = "programs.yaml"


def load_engines(directory: Path, languages: Mapping[str, str]) -> dict[str, Engine]:
    """One engine per dialogue file, keyed by dialogue id; DataFileError lists every problem found."""
    problems: list[Problem] = []
    programs = ()
    programs_path = directory / PROGRAMS_FILE
    if programs_path.exists():
        try:
            programs = load_programs(programs_path)
        except DataFileError as err:
            problems += err.problems
    engines: dict[str, Engine] = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.name == PROGRAMS_FILE:
            continue
        try:
            dialogue = load_dialogue(path)
        except DataFileError as err:
            problems += err.problems
            continue
        if dialogue.id in engines:
            problems.append(
                Problem(
                    str(path),
                    1,
                    f"dialogue id '{dialogue.id}' is already used by {engines[dialogue.id].dialogue.source}",
                )
            )
        problems += [
            Problem(str(programs_path), problem_line(programs, p), p.reason) for p in program_fit_problems(dialogue, programs)
        ]
        engines[dialogue.id] = Engine(dialogue, programs, languages)
    if not engines and not problems:
        problems.append(Problem(str(directory), 0, "no dialogue files found"))
    if problems:
        raise DataFileError(problems)
    return engines


def program_fit_problems(dialogue: Dialogue, programs: Sequence[Program]) -> list[ProgramProblem]:
    """Programs must name the barriers, steps, options and age bands this dialogue has (where it asks for barriers)."""
    barriers_id = dialogue.produces.step(BARRIERS)
    barriers = dialogue.steps.get(barriers_id) if barriers_id else None
    if barriers is None or not programs:
        return []
    # Every step that takes an answer; a choice step's options (conditions may also read a scale, with no options).
    options_of = {s.id: {o.id for o in s.options} for s in dialogue.steps.values() if s.options or s.takes_answer}
    age_id = dialogue.produces.step(AGE)  # programs' `ages` are options of the declared age step
    if age_id:
        options_of[AGE] = options_of.get(age_id, set())
    return barrier_problems(programs, {o.id for o in barriers.options}) + answer_problems(programs, options_of)
