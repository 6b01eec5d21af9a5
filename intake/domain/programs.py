"""The office's individual support programs (個別支援プログラム) and the suggestions drawn from them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import yamlfile
from .yamlfile import DataFileError, LineDict, Problem

GROUPS = ("economic", "daily_life", "social_life")
# The national survey's sub-lines ("of which"), each inside one group (domain.md §8).
SUBGROUPS = {"employment": "economic", "children": "social_life"}
_KEYS = {"id", "name", "group", "description", "barriers", "goal_kinds", "action"}
_OPTIONAL_KEYS = {"report_lines", "always_for", "answers", "ages", "employment"}
MAX_SUGGESTIONS = 6
# Steps of the self-reliance dialogue the ranking reads.
# The answers the ranking reads, by the fields the dialogue declares (`produces:`), never by step id;
# a program's own `answers` name step ids in the data files.
BARRIERS, GOAL_KIND, AREAS, WORK, AGE = "barriers.chosen", "goal.kind", "future.areas", "work", "age"
FIELDS = (BARRIERS, GOAL_KIND, AREAS, WORK, AGE)
# Work situations in which no employment program is suggested, unless the person asks for work
# (work among the areas to improve, or a goal of the economic kind).
NOT_WORKING_NOW = {"retired", "cannot_now"}
# Weights: a named barrier outweighs any number of the softer signals a program can have.
BARRIER_WEIGHT, ANSWER_WEIGHT, GOAL_KIND_WEIGHT = 10, 3, 2


@dataclass(frozen=True)
class Program:
    id: str
    name: str
    group: str
    description: str
    barriers: tuple[str, ...]
    goal_kinds: tuple[str, ...]
    action: str
    report_lines: tuple[str, ...] = ()  # the SUBGROUPS this program is also counted in
    always_for: tuple[str, ...] = ()  # barriers this program is made for: always suggested when one is named
    answers: tuple[tuple[str, str], ...] = ()  # (step, option) answers other than barriers that fit it
    ages: tuple[str, ...] = ()  # age bands it is for (empty: any age)
    employment: bool = False  # a program about getting or keeping work

    def context(self, part: str) -> str:
        """The gettext message context of this program's name, description or action."""
        return f"program:{self.id}:{part}"



def load_programs(path: Path) -> tuple[Program, ...]:
    """Read and check programs.yaml; DataFileError lists every problem with its line."""
    data = yamlfile.load(path)
    problems: list[Problem] = []
    entries = data.get("programs") if isinstance(data, LineDict) else None
    if not isinstance(entries, list):
        raise DataFileError([Problem(str(path), 1, "programs.yaml needs a list 'programs'")])
    programs = []
    for entry in entries:
        if not isinstance(entry, LineDict):
            problems.append(Problem(str(path), entries.line, "each program is a mapping"))
            continue
        for key in entry:
            if key not in _KEYS | _OPTIONAL_KEYS:
                problems.append(Problem(str(path), entry.line_of(key), f"unknown key '{key}' in a program"))
        missing = _KEYS - set(entry)
        if missing:
            problems.append(
                Problem(str(path), entry.line, f"program '{entry.get('id')}' needs {', '.join(sorted(missing))}")
            )
            continue
        if entry["group"] not in GROUPS:
            problems.append(Problem(str(path), entry.line_of("group"), f"group must be one of {', '.join(GROUPS)}"))
        report_lines = entry.get("report_lines") or []
        if not isinstance(report_lines, list):
            problems.append(
                Problem(str(path), entry.line_of("report_lines"), "report_lines is a list, e.g. [employment]")
            )
            report_lines = []
        for line in report_lines:
            if SUBGROUPS.get(line) != entry["group"]:
                allowed = ", ".join(f"{sub} (in {group})" for sub, group in SUBGROUPS.items())
                problems.append(
                    Problem(str(path), entry.line_of("report_lines"), f"report_lines may name {allowed}, not '{line}'")
                )
        always_for = _list_of(entry, "always_for", str(path), problems)
        for barrier in always_for:
            if barrier not in (entry["barriers"] or ()):
                problems.append(
                    Problem(str(path), entry.line_of("always_for"), f"always_for names '{barrier}', not in barriers")
                )
        answers = entry.get("answers") or {}
        if not isinstance(answers, dict) or not all(isinstance(v, list) for v in answers.values()):
            problems.append(
                Problem(str(path), entry.line_of("answers"), "answers maps a step id to a list of option ids")
            )
            answers = {}
        if not isinstance(entry.get("employment", False), bool):
            problems.append(Problem(str(path), entry.line_of("employment"), "employment is true or false"))
        programs.append(
            Program(
                id=entry["id"],
                name=entry["name"],
                group=entry["group"],
                description=entry["description"],
                barriers=tuple(entry["barriers"] or ()),
                goal_kinds=tuple(entry["goal_kinds"] or ()),
                action=entry["action"],
                report_lines=tuple(report_lines),
                always_for=tuple(always_for),
                answers=tuple((step, str(option)) for step, options in answers.items() for option in options),
                ages=tuple(_list_of(entry, "ages", str(path), problems)),
                employment=entry.get("employment") is True,
            )
        )
    ids = [p.id for p in programs]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(Problem(str(path), entries.line, f"program id '{dup}' is used twice"))
    if problems:
        raise DataFileError(problems)
    return tuple(programs)


def _list_of(entry: LineDict, key: str, source: str, problems: list[Problem]) -> list[str]:
    value = entry.get(key) or []
    if not isinstance(value, list):
        problems.append(Problem(source, entry.line_of(key), f"{key} is a list"))
        return []
    return [str(v) for v in value]


@dataclass(frozen=True)
class Reason:
    """One answer that made a program fit: the step and the option chosen there."""

    step: str
    answer: str


@dataclass(frozen=True)
class Suggestion:
    """A program that fits the recipient, how well, and why (the answers that matched)."""

    program: Program
    score: int
    reasons: tuple[Reason, ...]


def _chosen(answers: Mapping[str, object], step: str) -> list[str]:
    value = answers.get(step)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def _excluded(program: Program, answers: Mapping[str, object]) -> bool:
    """Programs the answers rule out: employment for someone not working now who did not ask for
    work, and age-band programs for other ages (an unanswered age rules nothing out)."""
    if program.employment and set(_chosen(answers, WORK)) & NOT_WORKING_NOW:
        if "work" not in _chosen(answers, AREAS) and answers.get(GOAL_KIND) != "economic":
            return True
    age = _chosen(answers, AGE)
    return bool(program.ages and age and age[0] not in program.ages)


def _suggestion(program: Program, answers: Mapping[str, object]) -> Suggestion | None:
    if _excluded(program, answers):
        return None
    barriers = [Reason(BARRIERS, b) for b in _chosen(answers, BARRIERS) if b in program.barriers]
    others = [Reason(step, option) for step, option in program.answers if option in _chosen(answers, step)]
    kind = answers.get(GOAL_KIND)
    by_kind = [Reason(GOAL_KIND, str(kind))] if kind in program.goal_kinds else []
    score = len(barriers) * BARRIER_WEIGHT + len(others) * ANSWER_WEIGHT + len(by_kind) * GOAL_KIND_WEIGHT
    if not barriers and not others and not by_kind:
        return None
    return Suggestion(program, score, tuple(barriers + others + by_kind))


def suggest_programs(programs: Sequence[Program], answers: Mapping[str, object]) -> list[Suggestion]:
    """Every program that fits the answers, the ones to offer first at the top.

    The first MAX_SUGGESTIONS are the programs made for a barrier the person named and, for each
    other named barrier, the best program that covers it, so no barrier goes unanswered when the
    list is cut; then the best of the rest. They are ordered by score, then come the remaining
    fits by score. Ties keep the file's order.
    """
    fitting = [s for s in (_suggestion(p, answers) for p in programs) if s is not None]
    order = {s.program.id: i for i, s in enumerate(fitting)}
    fitting.sort(key=lambda s: (-s.score, order[s.program.id]))
    named = _chosen(answers, BARRIERS)
    first = [s for s in fitting if set(s.program.always_for) & set(named)]
    for barrier in named:
        if not any(barrier in s.program.barriers for s in first):
            first += [s for s in fitting if barrier in s.program.barriers][:1]
    picked = (first + [s for s in fitting if s not in first])[:MAX_SUGGESTIONS]
    picked.sort(key=lambda s: (-s.score, order[s.program.id]))
    return picked + [s for s in fitting if s not in picked]


def rank_programs(programs: Sequence[Program], answers: Mapping[str, object]) -> list[Program]:
    """The programs of suggest_programs, without the reasons."""
    return [s.program for s in suggest_programs(programs, answers)]


def check_program_barriers(programs: Sequence[Program], barrier_ids: set[str], source: str) -> list[Problem]:
    """Programs must name barriers the dialogue actually offers."""
    return [
        Problem(source, 0, f"program '{p.id}' names unknown barrier '{b}'")
        for p in programs
        for b in p.barriers
        if b not in barrier_ids
    ]


def check_program_answers(programs: Sequence[Program], options_of: Mapping[str, set[str]], source: str) -> list[Problem]:
    """Programs' `answers` must name steps and options the dialogue has, and `ages` options of its age field
    (`options_of` maps step ids, and the field name AGE, to their option ids)."""
    problems = []
    for p in programs:
        for step, option in p.answers:
            if step not in options_of:
                problems.append(Problem(source, 0, f"program '{p.id}' reads step '{step}', not in the dialogue"))
            elif option not in options_of[step]:
                problems.append(Problem(source, 0, f"program '{p.id}' names unknown option '{option}' of '{step}'"))
        if p.ages and AGE not in options_of:
            problems.append(Problem(source, 0, f"program '{p.id}' has ages, but the dialogue declares no 'age' field"))
        for age in p.ages if AGE in options_of else ():
            if age not in options_of[AGE]:
                problems.append(Problem(source, 0, f"program '{p.id}' names unknown age band '{age}'"))
    return problems
