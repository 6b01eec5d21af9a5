"""The dialogue model (sections, steps, options) and its validation, read from YAML files."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import yamlfile
from .dates import DateRange, parse_offset
from .rules import CompiledRule, RuleError, compile_rule
from .yamlfile import DataFileError, LineDict, Problem

CHOICE_KINDS = {"single_choice", "multi_choice"}
TERMINAL_KINDS = {"done", "end"}
KINDS = {
    "info",
    "language",
    "consent",
    "single_choice",
    "multi_choice",
    "text",
    "yes_no",
    "scale",
    "date",
    "month",
    "group",
    "check",
    "handover",
    "done",
    "end",
    "given",
}
# Kinds that take no answer from the recipient: only a button to go on.
NO_ANSWER_KINDS = {"info", "check", "done", "end"}
OPTIONS_SOURCES = {"goal_suggestions", "program_actions"}

_COMMON_KEYS = {"id", "section", "kind", "prompt", "help", "help_by", "reflect", "next"}
_KIND_KEYS = {
    "info": set(),
    "language": set(),
    "consent": set(),
    "single_choice": {"options", "options_from", "sensitive", "optional"},
    "multi_choice": {"options", "options_from", "sensitive", "optional", "min", "max"},
    "text": {"sensitive", "optional", "max_length"},
    "yes_no": {"sensitive", "optional"},
    "scale": {"sensitive", "optional", "low", "high"},
    "date": {"sensitive", "optional", "range"},
    "month": {"sensitive", "optional", "range"},
    "group": {"min", "max", "max_length", "range"},
    "check": set(),
    "handover": set(),
    "done": set(),
    "end": set(),
    # A value the office supplies when the conversation starts (e.g. an action of the plan under
    # review): never shown, never on the check page; rules and `reflect` read it like an answer.
    "given": set(),
}
_TOP_KEYS = {
    "id",
    "version",
    "notice_version",
    "title",
    "start",
    "sections",
    "steps",
    "goal_suggestions",
    "vague_phrases",
}
_OPTION_KEYS = {"id", "label", "help", "exclusive"}


@dataclass(frozen=True)
class Section:
    id: str
    title: str


@dataclass(frozen=True)
class Option:
    """One choice; `id` is what is stored, `label` is English source text shown translated."""

    id: str
    label: str
    help: str = ""
    exclusive: bool = False
    context: str = ""  # gettext message context of the label
    help_context: str = ""


@dataclass(frozen=True)
class Branch:
    """Where to go next: the first branch whose rule holds (no rule: always)."""

    goto: str
    rule: CompiledRule | None = None
    line: int = 0


@dataclass(frozen=True)
class Step:
    id: str
    section: str
    kind: str
    prompt: str = ""
    help: str = ""
    reflect: tuple[tuple[str, str], ...] = ()
    sensitive: bool = False
    optional: bool = False
    options: tuple[Option, ...] = ()
    options_from: str | None = None
    min: int | None = None
    max: int | None = None
    max_length: int | None = None
    range: DateRange | None = None
    low: str = ""
    high: str = ""
    next: tuple[Branch, ...] = ()
    line: int = 0
    # Help that depends on an earlier answer: (step, option, text); the first match replaces `help`.
    help_by: tuple[tuple[str, str, str], ...] = ()

    def help_for(self, answers: Mapping[str, object]) -> tuple[tuple[str, ...], str]:
        """The help text to show after these answers, with the parts of its message context."""
        for source, option, text in self.help_by:
            answer = answers.get(source)
            if answer == option or (isinstance(answer, list) and option in answer):
                return ("help", source, option), text
        return ("help",), self.help

    @property
    def skippable(self) -> bool:
        return self.sensitive or self.optional

    @property
    def takes_answer(self) -> bool:
        return self.kind not in NO_ANSWER_KINDS

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class GoalSuggestion:
    id: str
    area: str
    kind: str
    text: str


@dataclass(frozen=True)
class Dialogue:
    id: str
    version: int
    notice_version: str
    title: str
    start: str
    sections: tuple[Section, ...]
    steps: Mapping[str, Step]
    goal_suggestions: tuple[GoalSuggestion, ...] = ()
    vague_phrases: tuple[str, ...] = ()
    source: str = ""

    def context(self, step_id: str, *parts: str) -> str:
        """The gettext message context for a piece of a step's text."""
        return ":".join((self.id, step_id, *parts))

    def section_number(self, step_id: str) -> int:
        section = self.steps[step_id].section
        return next(i for i, s in enumerate(self.sections, 1) if s.id == section)

    def section_of(self, step_id: str) -> Section:
        return self.sections[self.section_number(step_id) - 1]


@dataclass
class _Reader:
    """Collects every problem in one file instead of stopping at the first."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def problem(self, line: int, reason: str) -> None:
        self.problems.append(Problem(self.file, line, reason))

    def check_keys(self, data: LineDict, allowed: set[str], what: str) -> None:
        for key in data:
            if key not in allowed:
                self.problem(data.line_of(key), f"unknown key '{key}' in {what}")

    def text(self, data: LineDict, key: str, what: str, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(data.line, f"{what} needs '{key}'")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(data.line_of(key), f"'{key}' in {what} must be non-empty text")
            return ""
        return value

    def integer(self, data: LineDict, key: str, what: str, minimum: int = 0) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self.problem(data.line_of(key), f"'{key}' in {what} must be a whole number ≥ {minimum}")
            return None
        return value

    def flag(self, data: LineDict, key: str, what: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.problem(data.line_of(key), f"'{key}' in {what} must be true or false")
            return False
        return value


def load_dialogue(path: Path) -> Dialogue:
    """Read and validate one dialogue file; DataFileError lists every problem with its line."""
    return parse_dialogue(yamlfile.load(path), str(path))


def parse_dialogue(data: object, source: str) -> Dialogue:
    reader = _Reader(source)
    if not isinstance(data, LineDict):
        raise DataFileError([Problem(source, 1, "a dialogue file must be a mapping")])
    reader.check_keys(data, _TOP_KEYS, "the dialogue")
    dialogue_id = reader.text(data, "id", "the dialogue")
    version = reader.integer(data, "version", "the dialogue", minimum=1)
    if version is None:
        reader.problem(data.line_of("version"), "the dialogue needs 'version' (a whole number ≥ 1)")
    sections = _read_sections(reader, data)
    steps = _read_steps(reader, data, {s.id for s in sections}, dialogue_id)
    suggestions = _read_suggestions(reader, data)
    phrases = data.get("vague_phrases", [])
    if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
        reader.problem(data.line_of("vague_phrases"), "'vague_phrases' must be a list of text")
        phrases = []
    start = data.get("start")
    if start not in steps:
        reader.problem(data.line_of("start"), f"'start' must name a step, not '{start}'")
    elif not reader.problems:
        _check_graph(reader, steps, start)
    if reader.problems:
        raise DataFileError(reader.problems)
    return Dialogue(
        id=dialogue_id,
        version=version,
        notice_version=str(data.get("notice_version", "")),
        title=reader.text(data, "title", "the dialogue"),
        start=start,
        sections=tuple(sections),
        steps=steps,
        goal_suggestions=tuple(suggestions),
        vague_phrases=tuple(p.casefold() for p in phrases),
        source=source,
    )


def _read_sections(reader: _Reader, data: LineDict) -> list[Section]:
    raw = data.get("sections")
    if not isinstance(raw, list) or not raw:
        reader.problem(data.line_of("sections"), "the dialogue needs a non-empty list 'sections'")
        return []
    sections = []
    for item in raw:
        if not isinstance(item, LineDict):
            reader.problem(raw.line, "each section is a mapping with id and title")
            continue
        reader.check_keys(item, {"id", "title"}, "a section")
        sections.append(Section(reader.text(item, "id", "a section"), reader.text(item, "title", "a section")))
    seen = set()
    for section in sections:
        if section.id in seen:
            reader.problem(raw.line, f"section '{section.id}' is listed twice")
        seen.add(section.id)
    return sections


def _read_suggestions(reader: _Reader, data: LineDict) -> list[GoalSuggestion]:
    result = []
    for item in data.get("goal_suggestions", []) or []:
        if not isinstance(item, LineDict):
            reader.problem(data.line_of("goal_suggestions"), "each goal suggestion is a mapping")
            continue
        reader.check_keys(item, {"id", "area", "kind", "text"}, "a goal suggestion")
        result.append(
            GoalSuggestion(*(reader.text(item, k, "a goal suggestion") for k in ("id", "area", "kind", "text")))
        )
    ids = [s.id for s in result]
    for dup in {i for i in ids if ids.count(i) > 1}:
        reader.problem(data.line_of("goal_suggestions"), f"goal suggestion id '{dup}' is used twice")
    return result


def _read_steps(reader: _Reader, data: LineDict, section_ids: set[str], dialogue_id: str) -> dict[str, Step]:
    raw = data.get("steps")
    if not isinstance(raw, list) or not raw:
        reader.problem(data.line_of("steps"), "the dialogue needs a non-empty list 'steps'")
        return {}
    steps: dict[str, Step] = {}
    for item in raw:
        if not isinstance(item, LineDict):
            reader.problem(raw.line, "each step is a mapping")
            continue
        step = _read_step(reader, item, section_ids, dialogue_id)
        if step is None:
            continue
        if step.id in steps:
            reader.problem(item.line, f"step id '{step.id}' is used twice")
        steps[step.id] = step
    _check_references(reader, steps)
    for step in steps.values():
        for source, option, _text in step.help_by:
            if source not in steps or steps[source].option(option) is None:
                reader.problem(step.line, f"step '{step.id}': help_by names '{source}: {option}', not an option there")
    return steps


def _read_step(reader: _Reader, item: LineDict, section_ids: set[str], dialogue_id: str) -> Step | None:
    step_id = item.get("id")
    if not isinstance(step_id, str) or not step_id.isidentifier():
        reader.problem(item.line, "a step needs an 'id' in snake_case")
        return None
    what = f"step '{step_id}'"
    kind = item.get("kind")
    if kind not in KINDS:
        reader.problem(item.line_of("kind"), f"{what}: unknown kind '{kind}' (known: {', '.join(sorted(KINDS))})")
        return None
    reader.check_keys(item, _COMMON_KEYS | _KIND_KEYS[kind], what)
    if item.get("section") not in section_ids:
        reader.problem(item.line_of("section"), f"{what}: section '{item.get('section')}' is not listed in 'sections'")
    prompt = reader.text(item, "prompt", what, required=kind not in {"language", "given"})
    options, options_from = _read_options(reader, item, kind, what, f"{dialogue_id}:{step_id}")
    low, high = reader.integer(item, "min", what), reader.integer(item, "max", what, minimum=1)
    if low is not None and high is not None and low > high:
        reader.problem(item.line_of("min"), f"{what}: min is greater than max")
    return Step(
        id=step_id,
        section=item.get("section", ""),
        kind=kind,
        prompt=prompt,
        help=reader.text(item, "help", what, required=False),
        help_by=_read_help_by(reader, item, what),
        reflect=_read_reflect(reader, item, what),
        sensitive=reader.flag(item, "sensitive", what),
        optional=reader.flag(item, "optional", what),
        options=options,
        options_from=options_from,
        min=low,
        max=high,
        max_length=reader.integer(item, "max_length", what, minimum=1),
        range=_read_range(reader, item, what),
        low=reader.text(item, "low", what, required=False),
        high=reader.text(item, "high", what, required=False),
        next=_read_next(reader, item, kind, what),
        line=item.line,
    )


def _read_options(reader, item, kind, what, context) -> tuple[tuple[Option, ...], str | None]:
    options_from = item.get("options_from")
    raw = item.get("options")
    if kind not in CHOICE_KINDS:
        return (), None
    if options_from is not None:
        if options_from not in OPTIONS_SOURCES:
            reader.problem(
                item.line_of("options_from"),
                f"{what}: unknown options_from '{options_from}' (known: {', '.join(sorted(OPTIONS_SOURCES))})",
            )
        if raw is not None:
            reader.problem(item.line_of("options"), f"{what}: give either options or options_from, not both")
        return (), options_from
    if not isinstance(raw, list) or not raw:
        reader.problem(item.line, f"{what}: a {kind} step needs a non-empty list 'options'")
        return (), None
    options = []
    for entry in raw:
        if not isinstance(entry, LineDict):
            reader.problem(raw.line, f"{what}: each option is a mapping with id and label")
            continue
        reader.check_keys(entry, _OPTION_KEYS, f"an option of {what}")
        option_id = entry.get("id")
        if not isinstance(option_id, str) or not option_id:
            reader.problem(entry.line, f"{what}: an option needs an 'id' (quote yes/no)")
            continue
        if entry.get("exclusive") and kind != "multi_choice":
            reader.problem(entry.line_of("exclusive"), f"{what}: 'exclusive' only makes sense in a multi_choice")
        options.append(
            Option(
                id=option_id,
                label=reader.text(entry, "label", f"option '{option_id}' of {what}"),
                help=reader.text(entry, "help", f"option '{option_id}' of {what}", required=False),
                exclusive=reader.flag(entry, "exclusive", what),
                context=f"{context}:option:{option_id}",
                help_context=f"{context}:option:{option_id}:help",
            )
        )
    ids = [o.id for o in options]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        reader.problem(raw.line, f"{what}: option id '{dup}' is used twice")
    return tuple(options), None


def _read_help_by(reader, item, what) -> tuple[tuple[str, str, str], ...]:
    raw = item.get("help_by")
    if raw is None:
        return ()
    if not isinstance(raw, Mapping) or not all(isinstance(v, Mapping) for v in raw.values()):
        reader.problem(item.line_of("help_by"), f"{what}: 'help_by' maps a step id to {{option id: help text}}")
        return ()
    if not item.get("help"):
        reader.problem(item.line_of("help_by"), f"{what}: 'help_by' needs a 'help' for the other answers")
    found = []
    for source, texts in raw.items():
        for option, text in texts.items():
            if not isinstance(text, str) or not text.strip():
                reader.problem(item.line_of("help_by"), f"{what}: help_by '{source}: {option}' must be non-empty text")
            else:
                found.append((source, str(option), text))
    return tuple(found)


def _read_reflect(reader, item, what) -> tuple[tuple[str, str], ...]:
    raw = item.get("reflect")
    if raw is None:
        return ()
    if not isinstance(raw, Mapping) or not all(isinstance(v, str) for v in raw.values()):
        reader.problem(item.line_of("reflect"), f"{what}: 'reflect' maps placeholder names to step ids")
        return ()
    prompt = item.get("prompt") or ""
    for name in raw:
        if f"%({name})s" not in prompt:
            reader.problem(item.line_of("reflect"), f"{what}: the prompt does not use %({name})s")
    return tuple(raw.items())


def _read_range(reader, item, what) -> DateRange | None:
    raw = item.get("range")
    if raw is None:
        if item.get("kind") in {"date", "month", "group"}:
            reader.problem(item.line, f"{what}: a {item.get('kind')} step needs a 'range' with min and max")
        return None
    if not isinstance(raw, Mapping) or set(raw) != {"min", "max"}:
        reader.problem(item.line_of("range"), f"{what}: 'range' needs exactly min and max, like +1m and +6m")
        return None
    try:
        return DateRange(parse_offset(raw["min"]), parse_offset(raw["max"]))
    except ValueError as err:
        reader.problem(item.line_of("range"), f"{what}: {err}")
        return None


def _read_next(reader, item, kind, what) -> tuple[Branch, ...]:
    raw = item.get("next")
    if kind in TERMINAL_KINDS:
        if raw is not None:
            reader.problem(item.line_of("next"), f"{what}: a {kind} step ends the dialogue and takes no 'next'")
        return ()
    if raw is None:
        reader.problem(item.line, f"{what}: no way forward (add 'next')")
        return ()
    if isinstance(raw, str):
        return (Branch(raw, line=item.line_of("next")),)
    if not isinstance(raw, list) or not raw:
        reader.problem(item.line_of("next"), f"{what}: 'next' is a step id or a list of {{if, goto}}")
        return ()
    branches = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, LineDict) or "goto" not in entry or set(entry) - {"if", "goto"}:
            reader.problem(getattr(entry, "line", raw.line), f"{what}: each branch of 'next' has 'goto' and maybe 'if'")
            continue
        rule = None
        if "if" in entry:
            try:
                rule = compile_rule(entry["if"])
            except RuleError as err:
                reader.problem(entry.line_of("if"), f"{what}: {err}")
                continue
        elif index != len(raw) - 1:
            reader.problem(
                entry.line, f"{what}: only the last branch may have no 'if' (the ones after it could never be taken)"
            )
        branches.append(Branch(str(entry["goto"]), rule, entry.line))
    if branches and branches[-1].rule is not None:
        reader.problem(
            raw[-1].line if isinstance(raw[-1], LineDict) else raw.line,
            f"{what}: the last branch of 'next' must have no 'if', so there is always a way forward",
        )
    return tuple(branches)


def _check_references(reader: _Reader, steps: dict[str, Step]) -> None:
    for step in steps.values():
        for branch in step.next:
            if branch.goto not in steps:
                reader.problem(branch.line, f"step '{step.id}': 'next' goes to missing step '{branch.goto}'")
            if branch.rule is not None:
                for name in sorted(branch.rule.steps - set(steps)):
                    reader.problem(branch.line, f"step '{step.id}': a rule reads missing step '{name}'")
        for name, source in step.reflect:
            if source not in steps:
                reader.problem(step.line, f"step '{step.id}': reflect '{name}' reads missing step '{source}'")


def _check_graph(reader: _Reader, steps: dict[str, Step], start: str) -> None:
    """Every step reachable from the start; no cycles, so the live path always ends."""
    state: dict[str, str] = {}

    def visit(step_id: str, trail: list[str]) -> None:
        state[step_id] = "open"
        for branch in steps[step_id].next:
            target = branch.goto
            if state.get(target) == "open":
                cycle = (
                    " → ".join(trail[trail.index(target) :] + [step_id, target])
                    if target in trail
                    else f"{step_id} → {target}"
                )
                reader.problem(branch.line, f"step '{step_id}': a loop back to an earlier step ({cycle})")
            elif target not in state:
                visit(target, trail + [step_id])
        state[step_id] = "done"

    visit(start, [])
    for step in steps.values():
        if step.id not in state:
            reader.problem(step.line, f"step '{step.id}' can never be reached from '{start}'")
