"""The office report's counting rules (domain.md §8)."""

from __future__ import annotations

from datetime import date

from intake.domain.programs import Program
from intake.domain.report import PlanSpan, ReviewMark, bar_widths, office_report

PROGRAMS = (
    Program("work", "Work", "economic", "", (), (), ""),
    Program("pension", "Pension", "economic", "", (), (), ""),
    Program("health", "Health", "daily_life", "", (), (), ""),
)
START, END = date(2020, 4, 1), date(2021, 3, 31)


def test_participants_achievers_and_rate():
    spans = [
        PlanSpan(1, ("work", "health"), date(2020, 5, 1), date(2020, 8, 1)),
        PlanSpan(1, ("work",), date(2020, 8, 1), None),
        PlanSpan(2, ("work", "pension"), date(2019, 1, 1), None),  # in force all along
        PlanSpan(3, ("health",), date(2021, 4, 1), None),  # starts after the period
        PlanSpan(4, ("pension",), date(2018, 1, 1), date(2019, 1, 1)),  # ended before it
    ]
    reviews = [
        ReviewMark(1, date(2020, 8, 1), ("work",)),
        ReviewMark(1, date(2020, 11, 1), ("work",)),  # the same case counts once
        ReviewMark(2, date(2021, 5, 1), ("pension",)),  # after the period
        ReviewMark(9, date(2020, 6, 1), ("health",)),  # not a participant
    ]
    report = office_report(PROGRAMS, spans, reviews, [["illness", "debt"], ["illness"], []], START, END)
    lines = {line.key: (line.participants, line.achievers) for line in report.programs}
    assert lines == {"work": (2, 1), "pension": (1, 0), "health": (1, 0)}
    groups = {line.key: (line.participants, line.achievers) for line in report.groups}
    assert groups == {"economic": (2, 1), "daily_life": (1, 0), "social_life": (0, 0)}
    assert report.groups[0].rate == 0.5 and report.groups[2].rate is None
    assert (report.total.participants, report.total.achievers) == (2, 1)
    assert report.barriers == (("illness", 2), ("debt", 1))
    assert dict(report.barrier_counts) == {"1": 1, "2": 1, "3": 0, "4": 0, "5+": 0}
    assert report.drafts == 3


def test_bar_widths_scale_to_the_largest():
    assert bar_widths([("a", 4), ("b", 2), ("c", 0)], 100) == [("a", 4, 100), ("b", 2, 50), ("c", 0, 0)]
    assert bar_widths([], 100) == []
