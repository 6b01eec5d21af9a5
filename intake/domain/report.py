"""The office report in the national survey's format (docs/domain.md §8): participants, achievers and rate.

A case *participates* in a program during a period when a plan version naming the program was in
force on some day of the period; it is an *achiever* when a review dated in the period evaluated
that program as achieved. A group counts each case once. Plain data in, plain data out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .programs import GROUPS, SUBGROUPS, Program


@dataclass(frozen=True)
class PlanSpan:
    """One approved plan version: its case, the programs it names, and the days it was in force."""

    case_id: int
    programs: tuple[str, ...]
    start: date
    end: date | None  # the day the next version replaced it; None while it is current


@dataclass(frozen=True)
class ReviewMark:
    case_id: int
    day: date
    achieved: tuple[str, ...]  # program ids evaluated as achieved


@dataclass(frozen=True)
class Line:
    key: str  # a program id or a group id
    participants: int
    achievers: int

    @property
    def rate(self) -> float | None:
        return self.achievers / self.participants if self.participants else None


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    programs: tuple[Line, ...]
    groups: tuple[Line, ...]
    subgroups: tuple[Line, ...]  # the survey's "of which" lines, keyed by SUBGROUPS
    total: Line
    barriers: tuple[tuple[str, int], ...]  # barrier id, cases naming it (most first)
    barrier_counts: tuple[tuple[str, int], ...]  # "1", "2", "3", "4", "5+": cases with that many
    drafts: int

    def subgroups_of(self, group: str) -> tuple[Line, ...]:
        """The "of which" lines that sit inside `group`."""
        return tuple(line for line in self.subgroups if SUBGROUPS[line.key] == group)


def _in_force(span: PlanSpan, start: date, end: date) -> bool:
    return span.start <= end and (span.end is None or span.end > start)


def office_report(
    programs: Sequence[Program],
    spans: Iterable[PlanSpan],
    reviews: Iterable[ReviewMark],
    barrier_lists: Iterable[Sequence[str]],
    start: date,
    end: date,
) -> Report:
    """The report for the days from `start` to `end`, both included."""
    if end < start:
        raise ValueError("the period ends before it starts")
    participants: dict[str, set[int]] = {p.id: set() for p in programs}
    for span in spans:
        if _in_force(span, start, end):
            for program_id in span.programs:
                participants.setdefault(program_id, set()).add(span.case_id)
    achievers: dict[str, set[int]] = {p.id: set() for p in programs}
    for mark in reviews:
        if start <= mark.day <= end:
            for program_id in mark.achieved:
                if mark.case_id in participants.get(program_id, set()):
                    achievers.setdefault(program_id, set()).add(mark.case_id)

    def counted(key: str, ids: Iterable[str]) -> Line:
        """Each case once, however many of the programs it took part in."""
        ids = list(ids)
        return Line(
            key,
            len(set().union(*(participants.get(i, set()) for i in ids))),
            len(set().union(*(achievers.get(i, set()) for i in ids))),
        )

    program_lines = tuple(Line(p.id, len(participants[p.id]), len(achievers[p.id])) for p in programs)
    group_lines = tuple(counted(group, (p.id for p in programs if p.group == group)) for group in GROUPS)
    subgroup_lines = tuple(counted(sub, (p.id for p in programs if sub in p.report_lines)) for sub in SUBGROUPS)
    total = counted("total", participants)
    named: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    drafts = 0
    for barriers in barrier_lists:
        drafts += 1
        unique = set(barriers) - {"none", "prefer_not"}
        named.update(unique)
        if unique:
            counts["5+" if len(unique) >= 5 else str(len(unique))] += 1
    return Report(
        start=start,
        end=end,
        programs=program_lines,
        groups=group_lines,
        subgroups=subgroup_lines,
        total=total,
        barriers=tuple(sorted(named.items(), key=lambda item: (-item[1], item[0]))),
        barrier_counts=tuple((k, counts.get(k, 0)) for k in ("1", "2", "3", "4", "5+")),
        drafts=drafts,
    )

