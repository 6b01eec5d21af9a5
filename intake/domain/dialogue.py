"""The dialogue model (sections, steps, options) and its validation, read from YAML files."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import yamlfile
from .dates import DateRange, parse_offset
from .products import GOAL_KINDS, NO_PRODUCT, PRODUCTS, SOURCE_NEEDS, Product
from .rules import CompiledRule, RuleError, compile_rule
from .step_kinds import KINDS, TERMINAL_KINDS, StepKind, kind_of, max_items
from .yamlfile import DataFileError, LineDict, Problem

OPTIONS_SOURCES = {"goal_suggestions", "program_actions"}

_COMMON_KEYS = {"id", "section", "kind", "prompt", "help", "help_by", "reflect", "next"}
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
    "produces",
}
_OPTION_KEYS = {"id", "label", "help", "exclusive", "short"}


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
    # A short phrase that stands for the option inside a reflecting prompt's list ("my health"), so a
    # reflection joins phrases with the locale's list rules instead of stitching whole label sentences.
    short: str = ""
    short_context: str = ""
    # A suggested program's first step: why it is suggested (programs.Reason: the answers that matched).
    reasons: tuple = ()


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
    # A step of a `repeat` block: the name its text goes by in every round (its message context,
    # so the text is translated once), and its round (0 for a step that is not repeated).
    key: str = ""
    round: int = 0

    @property
    def text_key(self) -> str:
        return self.key or self.id
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
        return KINDS[self.kind].takes_answer

    @property
    def step_kind(self) -> StepKind:
        """Everything that differs between kinds (step_kinds.py): its template, flags, parser, form conversion."""
        return kind_of(self)

    @property
    def asked(self) -> bool:
        """Whether a recipient is asked this step (not a value the office supplies)."""
        return kind_of(self).asked

    @property
    def max_items(self) -> int:
        """How many rows an actions form has."""
        return max_items(self)

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
    produces: Product = NO_PRODUCT

    def context(self, step_id: str, *parts: str) -> str:
        """The gettext message context for a piece of a step's text (one for all rounds of a repeat)."""
        key = self.steps[step_id].text_key if step_id in self.steps else step_id
        return ":".join((self.id, key, *parts))

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
    produces = _read_produces(reader, data, steps)
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
        produces=produces,
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
    repeated = _repeated_names(raw)
    steps: dict[str, Step] = {}
    for item in raw:
        if not isinstance(item, LineDict):
            reader.problem(raw.line, "each step is a mapping")
            continue
        if "repeat" in item:
            found = _read_repeat(reader, item, section_ids, dialogue_id, repeated)
        else:
            found = [_read_step(reader, item, section_ids, dialogue_id)]
        for step in found:
            if step is None:
                continue
            if step.id in steps:
                reader.problem(step.line, f"step id '{step.id}' is used twice")
            steps[step.id] = step
    keys = {s.key: s for s in steps.values() if s.key}
    for step in steps.values():
        if not step.key and step.id in keys:
            reader.problem(step.line, f"step id '{step.id}' is also the name of a repeated step's text")
    _check_references(reader, steps)
    for step in steps.values():
        for source, option, _text in step.help_by:
            if source not in steps or steps[source].option(option) is None:
                reader.problem(step.line, f"step '{step.id}': help_by names '{source}: {option}', not an option there")
    return steps


def _read_step(
    reader: _Reader, item: LineDict, section_ids: set[str], dialogue_id: str, round: _Round | None = None
) -> Step | None:
    local_id = item.get("id")
    if not isinstance(local_id, str) or not local_id.isidentifier():
        reader.problem(item.line, "a step needs an 'id' in snake_case")
        return None
    step_id = round.name(local_id) if round else local_id
    key = f"{round.each}_{local_id}" if round else ""
    what = f"step '{step_id}'"
    kind = item.get("kind")
    if kind not in KINDS:
        reader.problem(item.line_of("kind"), f"{what}: unknown kind '{kind}' (known: {', '.join(sorted(KINDS))})")
        return None
    reader.check_keys(item, _COMMON_KEYS | KINDS[kind].keys, what)
    if item.get("section") not in section_ids:
        reader.problem(item.line_of("section"), f"{what}: section '{item.get('section')}' is not listed in 'sections'")
    prompt = reader.text(item, "prompt", what, required=KINDS[kind].needs_prompt)
    options, options_from = _read_options(reader, item, kind, what, f"{dialogue_id}:{key or step_id}")
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
        reflect=_read_reflect(reader, item, what, round),
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
        next=_read_next(reader, item, kind, what, round),
        line=item.line,
        key=key,
        round=round.number if round else 0,
    )


# --- repeat blocks --------------------------------------------------------------------------------

_REPEAT_KEYS = {"each", "times", "while", "then"}


@dataclass(frozen=True)
class _Round:
    """One round of a repeat block: local step names become `<each>_<number>_<name>`."""

    each: str
    number: int
    local: frozenset[str]
    following: tuple[Branch, ...] = ()  # where the step without `next` goes

    def name(self, local: object) -> object:
        return f"{self.each}_{self.number}_{local}" if local in self.local else local

    @property
    def names(self) -> dict[str, str]:
        return {local: self.name(local) for local in self.local}


class _RoundAnswers(Mapping):
    """The answers as a rule inside a round reads them: its local names are that round's steps."""

    def __init__(self, answers: Mapping[str, object], names: Mapping[str, str]):
        self._answers, self._names = answers, names

    def __getitem__(self, key: str) -> object:
        return self._answers[self._names.get(key, key)]

    def __iter__(self):
        return iter(self._answers)

    def __len__(self) -> int:
        return len(self._answers)


def _in_round(rule: CompiledRule, names: Mapping[str, str]) -> CompiledRule:
    return CompiledRule(
        lambda answers: rule(_RoundAnswers(answers, names)), frozenset(names.get(s, s) for s in rule.steps)
    )


def _repeated_names(raw: list) -> dict[str, frozenset[str]]:
    """For each repeat name, the local step names of every block that repeats it (blocks share rounds)."""
    names: dict[str, set[str]] = {}
    for item in raw:
        spec = item.get("repeat") if isinstance(item, LineDict) else None
        if isinstance(spec, Mapping) and isinstance(spec.get("each"), str) and isinstance(item.get("steps"), list):
            local = {entry.get("id") for entry in item["steps"] if isinstance(entry, Mapping)}
            names.setdefault(spec["each"], set()).update(n for n in local if isinstance(n, str))
    return {each: frozenset(local) for each, local in names.items()}


def _read_repeat(reader, item, section_ids, dialogue_id, repeated) -> list[Step | None]:
    """A block of steps asked once per round, as numbered steps; their text is shared by all rounds."""
    spec = item.get("repeat")
    reader.check_keys(item, {"repeat", "steps"}, "a repeat block")
    if not isinstance(spec, LineDict) or not isinstance(spec.get("each"), str) or not spec["each"].isidentifier():
        reader.problem(item.line, "'repeat' needs 'each' (a snake_case name), 'times' and 'then'")
        return []
    each = spec["each"]
    what = f"repeat '{each}'"
    reader.check_keys(spec, _REPEAT_KEYS, what)
    times = reader.integer(spec, "times", what, minimum=1)
    if times is None:
        if "times" not in spec:
            reader.problem(spec.line, f"{what} needs 'times' (a whole number ≥ 1)")
        return []
    then = reader.text(spec, "then", what)
    body = item.get("steps")
    if not isinstance(body, list) or not body or not all(isinstance(e, LineDict) for e in body):
        reader.problem(item.line_of("steps"), f"{what} needs a non-empty list 'steps' of step mappings")
        return []
    condition = None
    if "while" in spec:
        try:
            condition = compile_rule(spec["while"])
        except RuleError as err:
            reader.problem(spec.line_of("while"), f"{what}: {err}")
    local = repeated[each]
    steps = []
    for number in range(1, times + 1):
        # Every round is read from the same lines: the first round's problems stand for all.
        round_reader = reader if number == 1 else _Reader(reader.file)
        following = [(Branch(f"{each}_{number}_{entry.get('id')}", line=entry.line),) for entry in body[1:]]
        if number < times:
            first = Branch(f"{each}_{number + 1}_{body[0].get('id')}", line=spec.line)
            if condition is not None:
                names = _Round(each, number + 1, local).names
                after = (replace(first, rule=_in_round(condition, names)), Branch(then, line=spec.line_of("then")))
            else:
                after = (first,)
        else:
            after = (Branch(then, line=spec.line_of("then")),)
        for entry, onward in zip(body, [*following, after], strict=True):
            steps.append(_read_step(round_reader, entry, section_ids, dialogue_id, _Round(each, number, local, onward)))
    return steps


def _read_options(reader, item, kind, what, context) -> tuple[tuple[Option, ...], str | None]:
    options_from = item.get("options_from")
    raw = item.get("options")
    if not KINDS[kind].choices:
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
                short=reader.text(entry, "short", f"option '{option_id}' of {what}", required=False),
                short_context=f"{context}:option:{option_id}:short",
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


def _read_reflect(reader, item, what, round=None) -> tuple[tuple[str, str], ...]:
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
    return tuple((name, round.name(source) if round else source) for name, source in raw.items())


def _read_range(reader, item, what) -> DateRange | None:
    raw = item.get("range")
    if raw is None:
        if KINDS[item["kind"]].needs_range:
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


def _read_next(reader, item, kind, what, round=None) -> tuple[Branch, ...]:
    raw = item.get("next")
    if kind in TERMINAL_KINDS:
        if raw is not None:
            reader.problem(item.line_of("next"), f"{what}: a {kind} step ends the dialogue and takes no 'next'")
        return ()
    if raw is None and round is not None:
        return round.following  # the block's next step, the next round, or the block's `then`
    if raw is None:
        reader.problem(item.line, f"{what}: no way forward (add 'next')")
        return ()
    if isinstance(raw, str):
        return (Branch(round.name(raw) if round else raw, line=item.line_of("next")),)
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
        goto = str(entry["goto"])
        if round is not None:
            goto = round.name(goto)
            rule = rule and _in_round(rule, round.names)
        branches.append(Branch(goto, rule, entry.line))
    if branches and branches[-1].rule is not None:
        reader.problem(
            raw[-1].line if isinstance(raw[-1], LineDict) else raw.line,
            f"{what}: the last branch of 'next' must have no 'if', so there is always a way forward",
        )
    return tuple(branches)


def _check_references(reader: _Reader, steps: dict[str, Step]) -> None:
    for step in steps.values():
        if step.round > 1:
            continue  # the same lines as the first round: one problem for the block, not one per round
        for branch in step.next:
            if branch.goto not in steps:
                reader.problem(branch.line, f"step '{step.id}': 'next' goes to missing step '{branch.goto}'")
            if branch.rule is not None:
                for name in sorted(branch.rule.steps - set(steps)):
                    reader.problem(branch.line, f"step '{step.id}': a rule reads missing step '{name}'")
        for name, source in step.reflect:
            if source not in steps:
                reader.problem(step.line, f"step '{step.id}': reflect '{name}' reads missing step '{source}'")
                continue
            # A reflected choice is repeated inside a sentence: every option needs its short phrase.
            for option in steps[source].options:
                if not option.short:
                    reader.problem(
                        steps[source].line,
                        f"step '{source}' is reflected by '{step.id}': option '{option.id}' needs a 'short' phrase",
                    )


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


def _read_produces(reader: _Reader, data: LineDict, steps: dict[str, Step]) -> Product:
    """`produces: {kind, fields}`: every field known to the product, fed by an existing step of a fitting kind."""
    raw = data.get("produces")
    sources = sorted({s.options_from for s in steps.values() if s.options_from})
    if raw is None:
        for source in sources:
            reader.problem(data.line, f"options_from '{source}' needs a 'produces' declaration naming its fields")
        return NO_PRODUCT
    line = data.line_of("produces")
    if not isinstance(raw, LineDict) or set(raw) - {"kind", "fields"} or not isinstance(raw.get("fields"), LineDict):
        reader.problem(line, "'produces' has a 'kind' and a mapping 'fields' (field: step id)")
        return NO_PRODUCT
    kind = raw.get("kind")
    specs = PRODUCTS.get(kind)
    if specs is None:
        reader.problem(raw.line_of("kind"), f"'produces' kind must be one of {', '.join(sorted(PRODUCTS))}, not '{kind}'")
        return NO_PRODUCT
    fields: dict[str, str | tuple[str, ...]] = {}
    for name, value in raw["fields"].items():
        where = raw["fields"].line_of(name)
        spec = specs.get(name)
        if spec is None:
            reader.problem(where, f"'{kind}' has no field '{name}' (known: {', '.join(sorted(specs))})")
            continue
        ids = tuple(value) if spec.many and isinstance(value, list) else value
        if spec.many and not (isinstance(ids, tuple) and all(isinstance(i, str) for i in ids)):
            reader.problem(where, f"field '{name}' is fed by a list of step ids")
            continue
        if not spec.many and not isinstance(ids, str):
            reader.problem(where, f"field '{name}' is fed by one step id")
            continue
        for step_id in ids if isinstance(ids, tuple) else (ids,):
            step = steps.get(step_id)
            if step is None:
                reader.problem(where, f"field '{name}' names missing step '{step_id}' (was the step renamed?)")
            elif step.kind not in spec.kinds:
                reader.problem(
                    where, f"field '{name}' needs a step of kind {' or '.join(sorted(spec.kinds))}, not '{step.kind}'"
                )
            elif spec.options_from and step.options_from != spec.options_from:
                reader.problem(where, f"field '{name}': step '{step_id}' must use options_from: {spec.options_from}")
        fields[name] = ids
    for name, spec in specs.items():
        if spec.required and name not in fields:
            reader.problem(line, f"'{kind}' needs the field '{name}'")
    goal_kind = steps.get(fields.get("goal.kind")) if isinstance(fields.get("goal.kind"), str) else None
    if goal_kind is not None and goal_kind.kind == "single_choice":
        if {o.id for o in goal_kind.options} != set(GOAL_KINDS):
            reader.problem(goal_kind.line, f"step '{goal_kind.id}' feeds goal.kind: its options are {', '.join(GOAL_KINDS)}")
    for source in sources:
        for needed in SOURCE_NEEDS.get(source, ()):
            if needed not in fields:
                reader.problem(line, f"options_from '{source}' reads the field '{needed}': add it to 'fields'")
    return Product(kind, fields)
