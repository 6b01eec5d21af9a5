"""The office's individual support programs (個別支援プログラム) and the suggestions drawn from them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import yamlfile
from .yamlfile import DataFileError, LineDict, Problem

GROUPS = ("economic", "daily_life", "social_life")
# The national survey's sub-lines ("of which"), each inside one group (domain.md §8).
SUBGROUPS = {"employment": "economic", "children": "social_life"}
_KEYS = {"id", "name", "group", "description", "barriers", "goal_kinds", "action"}
_OPTIONAL_KEYS = {"report_lines"}
MAX_SUGGESTIONS = 6


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

    def context(self, part: str) -> str:
        """The gettext message context of this program's name, description or action."""
        return f"program:{self.id}:{part}"

    def fit(self, barriers: Sequence[str], goal_kind: str | None) -> int:
        """How well the program fits: shared barriers, and more if it serves the goal's kind."""
        shared = len(set(self.barriers) & set(barriers))
        return shared * 2 + (3 if goal_kind in self.goal_kinds else 0)


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
            )
        )
    ids = [p.id for p in programs]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(Problem(str(path), entries.line, f"program id '{dup}' is used twice"))
    if problems:
        raise DataFileError(problems)
    return tuple(programs)


def rank_programs(programs: Sequence[Program], barriers: Sequence[str], goal_kind: str | None) -> list[Program]:
    """Programs that fit the barriers or the goal kind, best first (ties keep the file's order)."""
    scored = [(p.fit(barriers, goal_kind), i, p) for i, p in enumerate(programs)]
    return [p for score, _, p in sorted(scored, key=lambda s: (-s[0], s[1])) if score > 0]


def check_program_barriers(programs: Sequence[Program], barrier_ids: set[str], source: str) -> list[Problem]:
    """Programs must name barriers the dialogue actually offers."""
    return [
        Problem(source, 0, f"program '{p.id}' names unknown barrier '{b}'")
        for p in programs
        for b in p.barriers
        if b not in barrier_ids
    ]
