"""Save and approval rules have one home, the domain (intake/domain/worksheet.py): the form's typed input in, the plan
as the version holds it (or what stops it) out. The service only stores what this returns."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from intake.domain.plan import Draft
from intake.domain.worksheet import (
    ActionInput,
    Approval,
    Offer,
    WorksheetEdit,
    approval_problems,
    approve_edit,
    save_edit,
    start_worksheet,
    unsaved_changes,
)

TODAY = date(2026, 11, 26)
REVIEW = date(2027, 2, 26)
OFFER = Offer(offered=("employment_support", "health_management"), retired=("old_program",))
DRAFT = Draft.from_json(
    {
        "goal": {"kind": "economic", "suggestion": None, "own": "パートタイムで働く", "date": "2027-10"},
        "actions": [{"text": "ハローワークに行く", "date": "2027-01-10", "confidence": 7}],
        "barriers": {"chosen": ["job_search"], "own": None},
    },
    locale="ja",
)
PROGRAMS_AND_CONSENT = WorksheetEdit(
    parts=frozenset({"programs", "consent"}),
    programs=("employment_support",),
    supports={"employment_support": "同行支援"},
    consent=True,
    consent_date="2026-09-01",
)


def codes(problems) -> list[str]:
    return [p.code for p in problems]


def test_approval_saves_what_the_form_carries_then_checks_the_plan_it_made():
    sheet = start_worksheet(DRAFT, "ja")
    assert set(codes(approval_problems(sheet, plan_date=TODAY, review_date=REVIEW))) == {"no_programs", "no_consent"}
    version, problems = approve_edit(
        sheet, PROGRAMS_AND_CONSENT, Approval(TODAY, REVIEW), today=TODAY, offer=OFFER, previous_plan_date=None
    )
    assert problems == []
    assert [p.id for p in version.programs] == ["employment_support"] and version.consent.given


def test_a_plan_dated_after_today_or_before_the_previous_version_is_refused():
    sheet, _ = save_edit(start_worksheet(DRAFT, "ja"), PROGRAMS_AND_CONSENT, today=TODAY, offer=OFFER)
    future = approval_problems(sheet, plan_date=date(2026, 11, 27), review_date=REVIEW, today=TODAY)
    assert [(p.code, p.where) for p in future] == [("date_future", "plan_date")]
    earlier = approval_problems(
        sheet, plan_date=date(2026, 10, 1), review_date=REVIEW, today=TODAY, previous_plan_date=date(2026, 10, 2)
    )
    assert [(p.code, p.where) for p in earlier] == [("dates_out_of_order", "plan_date")]
    assert approval_problems(sheet, plan_date=TODAY, review_date=REVIEW, today=TODAY, previous_plan_date=TODAY) == []


def test_a_refused_approval_says_every_problem_and_changes_nothing():
    sheet = start_worksheet(DRAFT, "ja")
    bad_action = WorksheetEdit(parts=frozenset({"actions"}), actions=(ActionInput(text="", date="2027-01-10"),))
    result, problems = approve_edit(
        sheet, bad_action, Approval(date(2026, 12, 1), REVIEW), today=TODAY, offer=OFFER, previous_plan_date=None
    )
    assert result is sheet
    assert codes(problems) == ["required", "date_future"]


def test_a_retired_program_is_kept_where_the_plan_names_it_and_never_newly_chosen():
    choose = WorksheetEdit(parts=frozenset({"programs"}), programs=("old_program",))
    _, problems = save_edit(start_worksheet(DRAFT, "ja"), choose, today=TODAY, offer=OFFER)
    assert codes(problems) == ["unknown_program"]
    named, _ = save_edit(start_worksheet(DRAFT, "ja"), choose, today=TODAY, offer=Offer(offered=("old_program",)))
    kept, problems = save_edit(named, choose, today=TODAY, offer=OFFER)
    assert problems == [] and [p.id for p in kept.programs] == ["old_program"]


def test_the_goal_words_sent_back_as_shown_are_no_edit():
    sheet = start_worksheet(DRAFT, "ja")
    same = WorksheetEdit(
        parts=frozenset({"goal"}), goal_text=" パートタイムで働く", goal_shown="パートタイムで働く", goal_kind="economic",
        goal_month="2027-10",
    )
    edited, problems = save_edit(sheet, same, today=TODAY, offer=OFFER)
    assert problems == [] and edited.goal == sheet.goal


def test_a_refused_form_lists_the_parts_that_fit_and_says_one_did_not():
    sheet = start_worksheet(DRAFT, "ja")
    edit = WorksheetEdit(
        parts=frozenset({"interpreter", "consent"}), interpreter="通訳センター", consent=True, consent_date="2026-13-01"
    )
    changes, skipped = unsaved_changes(sheet, edit, today=TODAY, offer=OFFER)
    assert [part for part, _, _ in changes] == ["interpreter"] and skipped
    assert replace(sheet, interpreter="通訳センター").interpreter == changes[0][2]
