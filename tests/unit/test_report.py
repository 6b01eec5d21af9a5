"""The office report's counting rules (docs/domain.md §8)."""

from __future__ import annotations

from datetime import date

import pytest

from intake.domain.programs import Program, load_programs
from intake.domain.report import PlanSpan, ReviewMark, office_report
from intake.domain.yamlfile import DataFileError

PROGRAMS = (
    Program("work", "Work", "economic", "", (), (), "", report_lines=("employment",)),
    Program("pension", "Pension", "economic", "", (), (), ""),
    Program("health", "Health", "daily_life", "", (), (), ""),
    Program("school", "School", "social_life", "", (), (), "", report_lines=("children",)),
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
    assert lines == {"work": (2, 1), "pension": (1, 0), "health": (1, 0), "school": (0, 0)}
    groups = {line.key: (line.participants, line.achievers) for line in report.groups}
    assert groups == {"economic": (2, 1), "daily_life": (1, 0), "social_life": (0, 0)}
    assert report.groups[0].rate == 0.5 and report.groups[2].rate is None
    # "Of which employment": case 2 took part in work and pension, and counts once in the group,
    # once in the sub-line; a pension-only case would count in the group alone.
    subgroups = {line.key: (line.participants, line.achievers) for line in report.subgroups}
    assert subgroups == {"employment": (2, 1), "children": (0, 0)}
    assert (report.total.participants, report.total.achievers) == (2, 1)
    assert report.barriers == (("illness", 2), ("debt", 1))
    assert dict(report.barrier_counts) == {"1": 1, "2": 1, "3": 0, "4": 0, "5+": 0}
    assert report.drafts == 3


def test_a_sub_line_counts_only_its_own_programs_and_each_case_once():
    spans = [
        PlanSpan(1, ("pension",), date(2020, 5, 1), None),
        PlanSpan(2, ("work", "pension"), date(2020, 5, 1), None),
        PlanSpan(3, ("school",), date(2020, 5, 1), None),
    ]
    reviews = [ReviewMark(1, date(2020, 9, 1), ("pension",)), ReviewMark(3, date(2020, 9, 1), ("school",))]
    report = office_report(PROGRAMS, spans, reviews, [], START, END)
    groups = {line.key: (line.participants, line.achievers) for line in report.groups}
    subgroups = {line.key: (line.participants, line.achievers) for line in report.subgroups}
    assert groups["economic"] == (2, 1) and subgroups["employment"] == (1, 0)
    assert groups["social_life"] == subgroups["children"] == (1, 1)


def test_programs_yaml_places_a_sub_line_only_inside_its_group(tmp_path):
    path = tmp_path / "programs.yaml"
    path.write_text(
        "programs:\n"
        "  - id: pension\n"
        "    name: Pension\n"
        "    group: economic\n"
        "    report_lines: [children]\n"
        "    description: d\n"
        "    barriers: []\n"
        "    goal_kinds: []\n"
        "    action: a\n"
    )
    with pytest.raises(DataFileError) as err:
        load_programs(path)
    assert [(problem.line, "children" in problem.reason) for problem in err.value.problems] == [(5, True)]
    path.write_text(path.read_text().replace("[children]", "employment"))
    with pytest.raises(DataFileError) as err:
        load_programs(path)
    assert [(problem.line, "is a list" in problem.reason) for problem in err.value.problems] == [(5, True)]
    path.write_text(path.read_text().replace("employment", "[employment]"))
    assert load_programs(path)[0].report_lines == ("employment",)
