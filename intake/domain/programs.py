"""The office's individual support programs (個別支援プログラム) and the suggestions drawn from them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import yamlfile
from .answers import N_
from .rules import CompiledCondition, RuleError, compile_condition, condition_values
from .yamlfile import DataFileError, LineDict, Problem

GROUPS = ("economic", "daily_life", "social_life")
# The national survey's sub-lines ("of which"), each inside one group (docs/domain.md §8).
SUBGROUPS = {"employment": "economic", "children": "social_life"}
_KEYS = {"id", "name", "group", "description", "barriers", "goal_kinds", "action"}
_OPTIONAL_KEYS = {"report_lines", "always_for", "answers", "ages", "employment", "require", "exclude"}
# Conditions on facts from the answers, in the rule vocabulary (rules.py): `require` must not be false,
# `exclude` must not be true; a part that reads a question the person skipped or declined is unknown and
# decides nothing.
CONDITIONS = ("require", "exclude")
_ID = re.compile(r"[a-z0-9_]{1,64}")
TEXTS = ("name", "description", "action")  # what recipients read of a program, each with its own message context
MAX_SUGGESTIONS = 6
# The draft's first lines: a barrier the person named brings the program made for it among them.
FIRST_LINES = 3
# The answers the ranking reads, by the fields the dialogue declares (`produces:`), never by step id;
# a program's own `answers` and conditions name step ids in the data files.
BARRIERS, GOAL_KIND, AREAS, WORK, AGE = "barriers.chosen", "goal.kind", "future.areas", "work", "age"
IDEAS = "action_ideas"  # the first steps the person picked at the kiosk (read on the worksheet, not at the kiosk)
FIELDS = (BARRIERS, GOAL_KIND, AREAS, WORK, AGE, IDEAS)
# Work situations in which no employment program is suggested, unless the person asks for work
# (work among the areas to improve, or a goal of the economic kind).
NOT_WORKING_NOW = {"retired", "cannot_now"}
# Weights: a named barrier outweighs any number of the softer signals a program can have.
BARRIER_WEIGHT, ANSWER_WEIGHT, GOAL_KIND_WEIGHT = 10, 3, 2
# A first step the person picked themselves counts like a barrier they named.
PICKED_WEIGHT = BARRIER_WEIGHT


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
    require: CompiledCondition | None = None  # facts it is for: never suggested when this is false
    exclude: CompiledCondition | None = None  # facts it is not for: never suggested when this is true
    # The line of each key in programs.yaml, so a problem found later (against the dialogue) names it.
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, hash=False, repr=False)

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
    conditions: dict[str, CompiledCondition | None] = {}
    for key in CONDITIONS:
        spec = entry.get(key)
        conditions[key] = None
        if spec in (None, {}):
            continue
        try:
            conditions[key] = compile_condition(spec)
        except RuleError as err:
            problem(key, N_("%(key)s is not a rule of the vocabulary: %(error)s"), key=key, error=str(err))
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
        require=conditions["require"],
        exclude=conditions["exclude"],
        lines={key: entry.line_of(key) for key in entry} if isinstance(entry, LineDict) else {},
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
    """One answer that made a program fit: the step (or declared field) and the option chosen there."""

    step: str
    answer: str


@dataclass(frozen=True)
class Suggestion:
    """A program that fits the recipient, how well, and why (the answers that matched, the strongest first).

    `made_for` is set when the person named a barrier the program is made for (its `always_for`), picked its
    first step themselves, or gave the answers its `require` asks for: their own words, which bring it into the
    first lines.
    """

    program: Program
    score: int
    reasons: tuple[Reason, ...]
    made_for: bool = False


@dataclass(frozen=True)
class Why:
    """A suggestion's reasons sorted for saying them: the person's own words first."""

    barriers: tuple[str, ...]  # barriers they named that the program answers (made-for ones first)
    picked: bool  # they picked its first step at the kiosk
    answers: tuple[Reason, ...]  # other answers that fit it, by step id
    goal_kind: str | None  # the goal kind, when it is one of the program's


def why(reasons: Sequence[Reason]) -> Why:
    return Why(
        barriers=tuple(r.answer for r in reasons if r.step == BARRIERS),
        picked=any(r.step == IDEAS for r in reasons),
        answers=tuple(r for r in reasons if r.step not in (BARRIERS, IDEAS, GOAL_KIND)),
        goal_kind=next((r.answer for r in reasons if r.step == GOAL_KIND), None),
    )


def _chosen(answers: Mapping[str, object], step: str) -> list[str]:
    value = answers.get(step)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def _excluded(program: Program, answers: Mapping[str, object]) -> bool:
    """Programs the answers rule out: a `require` that is false, an `exclude` that is true, employment for
    someone not working now who did not ask for work, and age-band programs for other ages. A question
    skipped or declined rules nothing out (a condition reading it is unknown)."""
    if program.require is not None and program.require(answers) is False:
        return True
    if program.exclude is not None and program.exclude(answers) is True:
        return True
    if program.employment and set(_chosen(answers, WORK)) & NOT_WORKING_NOW:
        if "work" not in _chosen(answers, AREAS) and answers.get(GOAL_KIND) != "economic":
            return True
    age = _chosen(answers, AGE)
    return bool(program.ages and age and age[0] not in program.ages)


def _suggestion(program: Program, answers: Mapping[str, object]) -> Suggestion | None:
    """How the program fits: None when the answers rule it out or nothing matches."""
    if _excluded(program, answers):
        return None
    named = _chosen(answers, BARRIERS)
    picked = [Reason(IDEAS, program.id)] if program.id in _chosen(answers, IDEAS) else []
    made_for = [Reason(BARRIERS, b) for b in named if b in program.always_for]
    barriers = made_for + [Reason(BARRIERS, b) for b in named if b in program.barriers and b not in program.always_for]
    others = [Reason(step, option) for step, option in program.answers if option in _chosen(answers, step)]
    kind = answers.get(GOAL_KIND)
    by_kind = [Reason(GOAL_KIND, str(kind))] if kind in program.goal_kinds else []
    score = (
        len(picked) * PICKED_WEIGHT
        + len(barriers) * BARRIER_WEIGHT
        + len(others) * ANSWER_WEIGHT
        + len(by_kind) * GOAL_KIND_WEIGHT
    )
    if not picked and not barriers and not others and not by_kind:
        return None
    # A program whose required facts the answers affirm (not merely leave unknown) is made for this person too.
    affirmed = program.require is not None and program.require(answers) is True
    reasons = tuple(made_for + picked + barriers[len(made_for) :] + others + by_kind)
    return Suggestion(program, score, reasons, bool(made_for or picked or affirmed))


def suggest_programs(programs: Sequence[Program], answers: Mapping[str, object]) -> list[Suggestion]:
    """Every program that fits the answers, the ones to offer first at the top.

    First the programs the person's own words point to (made for a barrier they named, or whose first step
    they picked), so each such barrier's program is among the draft's first lines; then, for each other named
    barrier, the best program that covers it, so no barrier goes unanswered when the list is cut; then the
    best of the rest. The goal kind orders programs but never makes one a suggestion on its own: a person who
    declined every question is suggested nothing rather than something picked for no reason of theirs. Within
    each part, by score; ties keep the catalogue's order.
    """
    order = {p.id: i for i, p in enumerate(programs)}
    fitting = [s for s in (_suggestion(p, answers) for p in programs) if s is not None]
    fitting.sort(key=lambda s: (-s.score, order[s.program.id]))
    real = [s for s in fitting if any(r.step != GOAL_KIND for r in s.reasons)]
    named = _chosen(answers, BARRIERS)
    # One program made for each named barrier, then the programs picked or whose required facts hold.
    first: list[Suggestion] = []
    for barrier in named:  # the program made for this barrier alone before one made for several
        made = sorted((s for s in real if barrier in s.program.always_for), key=lambda s: len(s.program.always_for))
        first += [s for s in made if s not in first][:1]
    first += [s for s in real if s.made_for and s not in first and not set(s.program.always_for) & set(named)]
    first.sort(key=lambda s: (-s.score, order[s.program.id]))
    first += [s for s in real if s.made_for and s not in first]  # a second program made for the same barrier
    covered = {b for s in first for b in s.program.barriers}
    for barrier in named:
        if barrier not in covered:
            best = [s for s in real if barrier in s.program.barriers and s not in first][:1]
            first += best
            covered |= {b for s in best for b in s.program.barriers}
    return first + [s for s in real if s not in first]


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
    """Programs' `answers` and conditions must name steps and options the dialogue has, and `ages` options of its
    age field (`options_of` maps step ids, and the field name AGE, to their option ids; a step without options,
    such as a 0-10 scale, maps to an empty set)."""
    problems = []
    for p in programs:
        named = [("answers", step, option) for step, option in p.answers]
        for key in CONDITIONS:
            condition = getattr(p, key)
            named += [(key, step, value) for step, value in condition_values(condition.spec)] if condition else []
        for key, step, option in named:
            if step not in options_of:
                message = N_("program '%(id)s' reads step '%(step)s', not in the dialogue")
                problems.append(ProgramProblem(p.id, key, message, {"id": p.id, "step": step}))
            elif option is not None and options_of[step] and str(option) not in options_of[step]:
                message = N_("program '%(id)s' names unknown option '%(option)s' of '%(step)s'")
                problems.append(ProgramProblem(p.id, key, message, {"id": p.id, "option": option, "step": step}))
        if p.ages and AGE not in options_of:
            message = N_("program '%(id)s' has ages, but the dialogue declares no 'age' field")
            problems.append(ProgramProblem(p.id, "ages", message, {"id": p.id}))
        for age in p.ages if AGE in options_of else ():
            if age not in options_of[AGE]:
                message = N_("program '%(id)s' names unknown age band '%(age)s'")
                problems.append(ProgramProblem(p.id, "ages", message, {"id": p.id, "age": age}))
    return problems


def problem_line(programs: Sequence[Program], problem: ProgramProblem) -> int:
    """The line in programs.yaml of the key a problem is about (0 when the program was not read from a file)."""
    program = next((p for p in programs if p.id == problem.program), None)
    if program is None:
        return 0
    return program.lines.get(problem.key or "id", program.lines.get("id", 0))


# --- conditions as the program editor shows them ----------------------------------------------------


def condition_choices(condition: CompiledCondition | None, key: str) -> dict[str, list[str]] | None:
    """A condition as the editor's lists: {step: [options]} (require: every step one of its options; exclude: any
    step one of its options), or None when it is written in a form the lists cannot show."""
    if condition is None:
        return {}
    spec = condition.spec
    parts = spec.get("all" if key == "require" else "any") if isinstance(spec, Mapping) and len(spec) == 1 else None
    choices: dict[str, list[str]] = {}
    for part in parts if isinstance(parts, list) else [spec]:
        if not isinstance(part, Mapping) or len(part) != 1:
            return None
        ((op, args),) = part.items()
        if op not in ("any_of", "in") or not isinstance(args, Mapping) or args.get("step") in choices:
            return None
        choices[str(args["step"])] = [str(v) for v in args.get("values") or ()]
    return choices


def choices_condition(choices: Mapping[str, Sequence[str]], key: str) -> dict | None:
    """The editor's lists as a rule of the vocabulary (the inverse of condition_choices); None when nothing is chosen."""
    parts = [{"any_of": {"step": step, "values": list(options)}} for step, options in choices.items() if options]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {("all" if key == "require" else "any"): parts}
