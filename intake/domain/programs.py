"""The office's individual support programs (個別支援プログラム) and the suggestions drawn from them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import yamlfile
from .answers import N_
from .yamlfile import DataFileError, LineDict, Problem

GROUPS = ("economic", "daily_life", "social_life")
# The national survey's sub-lines ("of which"), each inside one group (domain.md §8).
SUBGROUPS = {"employment": "economic", "children": "social_life"}
_KEYS = {"id", "name", "group", "description", "barriers", "goal_kinds", "action"}
_OPTIONAL_KEYS = {"report_lines", "always_for", "answers", "ages", "employment"}
_ID = re.compile(r"[a-z0-9_]{1,64}")
TEXTS = ("name", "description", "action")  # what recipients read of a program, each with its own message context
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



@dataclass(frozen=True)
class ProgramProblem:
    """One thing wrong with a program, wherever it comes from (programs.yaml or the admin's page).

    `message` is English with %(name)s placeholders, marked for the staff catalogue, so the admin's
    page shows it in Japanese; `key` is the field at fault (None: the program as a whole).
    """

    program: str
    key: str | None
    message: str
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return self.message % self.params if self.params else self.message


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
        program, found = check_entry(entry)
        problems += [Problem(str(path), entry.line_of(p.key) if p.key else entry.line, p.reason) for p in found]
        if program is not None:
            programs.append(program)
    problems += [Problem(str(path), entries.line, p.reason) for p in check_catalogue(programs)]
    if problems:
        raise DataFileError(problems)
    return tuple(programs)


def check_entry(entry: Mapping[str, object]) -> tuple[Program | None, list[ProgramProblem]]:
    """One program's keys and values, checked: the program (None when a required key is missing) and what is wrong.

    The same rules for a program in programs.yaml and one the office admin edits on the web.
    """
    problems: list[ProgramProblem] = []
    pid = str(entry.get("id"))

    def problem(at: str | None, message: str, **params: object) -> None:
        problems.append(ProgramProblem(pid, at, message, params))

    for key in entry:
        if key not in _KEYS | _OPTIONAL_KEYS:
            problem(key, N_("unknown key '%(key)s' in a program"), key=key)
    missing = [key for key in sorted(_KEYS) if key not in entry]
    if missing:
        problem(None, N_("program '%(id)s' needs %(keys)s"), id=pid, keys=", ".join(missing))
        return None, problems
    if not _ID.fullmatch(str(entry["id"])):
        problem("id", N_("a program id is lower-case letters, digits and underscores, e.g. debt_advice"))
    for key in TEXTS:
        if not isinstance(entry[key], str) or not entry[key].strip():
            problem(key, N_("%(key)s needs a text"), key=key)
    if entry["group"] not in GROUPS:
        problem("group", N_("group must be one of %(groups)s"), groups=", ".join(GROUPS))
    report_lines = entry.get("report_lines") or []
    if not isinstance(report_lines, list):
        problem("report_lines", N_("report_lines is a list, e.g. [employment]"))
        report_lines = []
    for line in report_lines:
        if SUBGROUPS.get(line) != entry["group"]:
            allowed = ", ".join(f"{sub} (in {group})" for sub, group in SUBGROUPS.items())
            problem("report_lines", N_("report_lines may name %(allowed)s, not '%(line)s'"), allowed=allowed, line=line)
    barriers = _list_of(entry, "barriers", problem)
    always_for = _list_of(entry, "always_for", problem)
    for barrier in always_for:
        if barrier not in barriers:
            problem("always_for", N_("always_for names '%(barrier)s', not in barriers"), barrier=barrier)
    answers = entry.get("answers") or {}
    if not isinstance(answers, dict) or not all(isinstance(v, list) for v in answers.values()):
        problem("answers", N_("answers maps a step id to a list of option ids"))
        answers = {}
    if not isinstance(entry.get("employment", False), bool):
        problem("employment", N_("employment is true or false"))
    program = Program(
        id=entry["id"],
        name=entry["name"],
        group=entry["group"],
        description=entry["description"],
        barriers=tuple(barriers),
        goal_kinds=tuple(_list_of(entry, "goal_kinds", problem)),
        action=entry["action"],
        report_lines=tuple(report_lines),
        always_for=tuple(always_for),
        answers=tuple((step, str(option)) for step, options in answers.items() for option in options),
        ages=tuple(_list_of(entry, "ages", problem)),
        employment=entry.get("employment") is True,
    )
    return program, problems


def check_catalogue(programs: Sequence[Program]) -> list[ProgramProblem]:
    """Rules across the programs of one catalogue: every id used once."""
    ids = [p.id for p in programs]
    return [
        ProgramProblem(dup, "id", N_("program id '%(id)s' is used twice"), {"id": dup})
        for dup in sorted({i for i in ids if ids.count(i) > 1})
    ]


def _list_of(entry: Mapping[str, object], key: str, problem) -> list[str]:
    value = entry.get(key) or []
    if not isinstance(value, list | tuple):
        problem(key, N_("%(key)s is a list"), key=key)
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


def barrier_problems(programs: Sequence[Program], barrier_ids: set[str]) -> list[ProgramProblem]:
    """Programs must name barriers the dialogue actually offers."""
    return [
        ProgramProblem(p.id, "barriers", N_("program '%(id)s' names unknown barrier '%(barrier)s'"), {"id": p.id, "barrier": b})
        for p in programs
        for b in p.barriers
        if b not in barrier_ids
    ]


def answer_problems(programs: Sequence[Program], options_of: Mapping[str, set[str]]) -> list[ProgramProblem]:
    """Programs' `answers` must name steps and options the dialogue has, and `ages` options of its age field
    (`options_of` maps step ids, and the field name AGE, to their option ids)."""
    problems = []
    for p in programs:
        for step, option in p.answers:
            if step not in options_of:
                message, params = N_("program '%(id)s' reads step '%(step)s', not in the dialogue"), {"step": step}
                problems.append(ProgramProblem(p.id, "answers", message, {"id": p.id, **params}))
            elif option not in options_of[step]:
                message = N_("program '%(id)s' names unknown option '%(option)s' of '%(step)s'")
                problems.append(ProgramProblem(p.id, "answers", message, {"id": p.id, "option": option, "step": step}))
        if p.ages and AGE not in options_of:
            message = N_("program '%(id)s' has ages, but the dialogue declares no 'age' field")
            problems.append(ProgramProblem(p.id, "ages", message, {"id": p.id}))
        for age in p.ages if AGE in options_of else ():
            if age not in options_of[AGE]:
                message = N_("program '%(id)s' names unknown age band '%(age)s'")
                problems.append(ProgramProblem(p.id, "ages", message, {"id": p.id, "age": age}))
    return problems


def check_program_answers(programs: Sequence[Program], options_of: Mapping[str, set[str]], source: str) -> list[Problem]:
    """answer_problems, located in the programs file."""
    return [Problem(source, 0, p.reason) for p in answer_problems(programs, options_of)]
