"""The caseworker's plan as plain data: edits, approval checks, reviews and the diff between versions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from intake.domain.plan import Consent, Draft, Plan, PlanAction, PlanGoal, ProgramChoice, Review, ReviewLine
from intake.domain.worksheet import (
    ReviewEdit,
    approval_problems,
    choose_programs,
    diff_plans,
    edit_actions,
    edit_goal,
    edit_worksheet,
    parse_review,
    record_consent,
    record_interpreter,
    revision_of,
    saved_parts,
    start_worksheet,
)

TODAY = date(2026, 11, 26)
# A draft of the first stored format (before words carried their language): read as written in Spanish.
DRAFT = Draft.from_json(
    {
        "goal": {"kind": "economic", "suggestion": None, "own": "Trabajar medio tiempo", "date": "2027-10"},
        "actions": [{"text": "Ir a Hello Work", "date": "2027-01-10", "confidence": 7}],
        "barriers": {"chosen": ["illness", "job_search"], "own": None},
    },
    locale="es",
)

# The same draft written in Japanese: nothing to interpret.
DRAFT_JA = replace(
    DRAFT,
    goal=replace(DRAFT.goal, own=replace(DRAFT.goal.own, text="パートタイムで働く", language="ja")),
    actions=(replace(DRAFT.actions[0], text="ハローワークに行く", language="ja"),),
)


def codes(problems):
    return [p.code for p in problems]


def test_worksheet_keeps_the_recipients_words_and_language():
    sheet = start_worksheet(DRAFT, "es")
    assert sheet.goal == PlanGoal(
        suggestion=None, text="Trabajar medio tiempo", language="es", kind="economic", date="2027-10"
    )
    assert sheet.actions[0].language == "es" and sheet.barriers == ("illness", "job_search")
    assert sheet.consent == Consent(given=False, date=None)
    assert Plan.from_json(sheet.to_json()) == sheet  # what is stored reads back the same


def test_goal_edit_marks_the_caseworkers_words():
    sheet = start_worksheet(DRAFT, "es")
    new, problems = edit_goal(sheet, text="座ってできる仕事", kind="economic", month="2027-12", today=TODAY)
    assert not problems and new.goal.text == "座ってできる仕事" and new.goal.language == "ja"
    assert sheet.goal.text == "Trabajar medio tiempo"  # the input is not changed in place


def test_goal_date_before_an_action_is_out_of_order():
    sheet = start_worksheet(DRAFT, "es")
    new, problems = edit_goal(sheet, text=None, kind="economic", month="2026-12", today=TODAY)
    assert codes(problems) == ["dates_out_of_order"] and new == sheet
    _, problems = edit_goal(sheet, text=None, kind="economic", month="2020-01", today=TODAY)
    assert codes(problems) == ["date_past"]
    _, problems = edit_goal(sheet, text=None, kind="cosmic", month="2027-12", today=TODAY)
    assert codes(problems) == ["invalid_kind"]


def test_actions_one_to_five_with_dates_inside_the_goal():
    sheet = start_worksheet(DRAFT, "es")
    new, problems = edit_actions(
        sheet,
        [
            {"text": "Ir a Hello Work", "date": "2027-01-10"},
            {"text": "新しい取組", "date": "2027-02-01", "support": "同行"},
        ],
    )
    assert not problems
    assert [a.language for a in new.actions] == ["es", "ja"] and new.actions[1].support == "同行"
    emptied, problems = edit_actions(sheet, [{"text": "", "date": ""}])
    assert not problems and emptied.actions == ()  # saved while the plan is being made...
    assert "no_actions" in codes(approval_problems(emptied, plan_date=TODAY, review_date=None))  # ...not approved
    _, problems = edit_actions(sheet, [{"text": "遅すぎる", "date": "2028-01-01"}])
    assert codes(problems) == ["dates_out_of_order"]
    _, problems = edit_actions(sheet, [{"text": "x", "date": "someday"}])
    assert codes(problems) == ["invalid_date"]
    _, problems = edit_actions(sheet, [{"text": f"a{i}", "date": "2027-01-01"} for i in range(6)])
    assert codes(problems) == ["too_many"]


def test_programs_consent_and_approval():
    sheet = start_worksheet(DRAFT_JA, "ja")
    problems = approval_problems(sheet, plan_date=TODAY, review_date=date(2027, 2, 26))
    assert set(codes(problems)) == {"no_programs", "no_consent"}
    _, problems = record_consent(sheet, given=True, day="2026-11-26", today=TODAY)
    assert codes(problems) == ["no_programs"]
    _, problems = choose_programs(sheet, ["made_up"], {}, ["employment_support"])
    assert codes(problems) == ["unknown_program"]
    sheet, problems = choose_programs(
        sheet, ["employment_support"], {"employment_support": "同行支援"}, ["employment_support"]
    )
    assert not problems and sheet.programs == (ProgramChoice("employment_support", "同行支援"),)
    _, problems = record_consent(sheet, given=True, day="2026-11-27", today=TODAY)
    assert codes(problems) == ["date_future"]
    sheet, problems = record_consent(sheet, given=True, day="2026-11-26", today=TODAY)
    assert not problems
    assert approval_problems(sheet, plan_date=TODAY, review_date=date(2027, 2, 26)) == []
    assert codes(approval_problems(sheet, plan_date=TODAY, review_date=TODAY)) == ["dates_out_of_order"]
    assert codes(approval_problems(sheet, plan_date=date(2026, 11, 25), review_date=date(2027, 2, 26))) == [
        "dates_out_of_order"
    ]
    assert revision_of(sheet).consent == Consent(given=False, date=None)


def test_review_needs_every_evaluation_and_a_date_in_order():
    plan = Plan.from_json({"actions": [{"text": "a"}], "programs": [{"id": "employment_support"}]})
    typed = ReviewEdit(
        review_day="2027-02-26",
        actions=(ReviewLine(progress=" 2回 ", evaluation="achieved"),),
        programs={"employment_support": ReviewLine(evaluation="partly")},
        goal=ReviewLine(evaluation="not_yet"),
    )
    content, day, problems = parse_review(plan, typed, plan_date=TODAY, today=date(2027, 3, 1))
    assert not problems and day == date(2027, 2, 26)
    assert content.programs["employment_support"].evaluation == "partly" and content.actions[0].progress == "2回"
    assert Review.from_json(content.to_json()) == content
    _, _, problems = parse_review(
        plan, replace(typed, goal=ReviewLine(evaluation="great")), plan_date=TODAY, today=date(2027, 3, 1)
    )
    assert codes(problems) == ["no_evaluation"]
    _, _, problems = parse_review(
        plan, replace(typed, review_day="2026-01-01"), plan_date=TODAY, today=date(2027, 3, 1)
    )
    assert codes(problems) == ["dates_out_of_order"]
    _, _, problems = parse_review(plan, replace(typed, programs={}), plan_date=TODAY, today=date(2027, 3, 1))
    assert codes(problems) == ["no_evaluation"]  # a program the form left out has no evaluation


def test_diff_between_versions():
    old = replace(start_worksheet(DRAFT, "es"), programs=(ProgramChoice("employment_support", "同行"),))
    new = revision_of(old)
    new = replace(
        new,
        goal=replace(new.goal, date="2027-12"),
        actions=(*new.actions, PlanAction("新しい", "2027-03-01")),
        programs=(ProgramChoice("employment_support", "週1回"), ProgramChoice("health_management")),
    )
    parts = [(c.part, c.index) for c in diff_plans(old, new)]
    assert parts == [
        ("goal_date", None),
        ("action", 1),
        ("program", "employment_support"),
        ("program", "health_management"),
    ]
    assert diff_plans(old, old) == []


# --- words in another language: the official sheet needs their Japanese (issue 12, item 6) ---------------


def _ready(sheet: Plan) -> Plan:
    """A plan that lacks nothing for approval but, perhaps, Japanese."""
    sheet, _ = choose_programs(sheet, ["employment_support"], {}, ["employment_support"])
    sheet, _ = record_consent(sheet, given=True, day=TODAY.isoformat(), today=TODAY)
    return sheet


def test_approval_waits_for_the_japanese_of_every_goal_and_action_written_in_another_language():
    sheet = _ready(start_worksheet(DRAFT, "es"))
    assert sheet.needs_japanese and sheet.goal.needs_japanese and sheet.actions[0].needs_japanese
    problems = approval_problems(sheet, plan_date=TODAY, review_date=date(2027, 2, 26))
    assert [(p.code, p.where) for p in problems] == [("no_japanese", "goal"), ("no_japanese", "action-0")]

    sheet, problems = edit_goal(
        sheet, text=None, kind="economic", month="2027-10", today=TODAY, japanese="  パートタイムで働く "
    )
    assert not problems and sheet.goal.japanese == "パートタイムで働く"
    assert sheet.goal.text == "Trabajar medio tiempo" and sheet.goal.language == "es"  # their words stay
    assert codes(approval_problems(sheet, plan_date=TODAY, review_date=date(2027, 2, 26))) == ["no_japanese"]

    sheet, problems = edit_actions(
        sheet, [{"text": "Ir a Hello Work", "date": "2027-01-10", "japanese": "ハローワークに行く"}]
    )
    assert not problems
    action = sheet.actions[0]
    assert (action.text, action.language, action.japanese, action.confidence) == (
        "Ir a Hello Work",
        "es",
        "ハローワークに行く",
        7,
    )
    assert action.sheet_text == "ハローワークに行く"
    assert approval_problems(sheet, plan_date=TODAY, review_date=date(2027, 2, 26)) == []


def test_japanese_and_easy_japanese_words_need_no_interpreting():
    for language in ("ja", "ja@easy"):
        goal = PlanGoal(kind="economic", text="はたらく", language=language, date="2027-10")
        assert not goal.needs_japanese
        assert not PlanAction("はたらく", "2027-01-01", language=language).needs_japanese
    # A suggestion is translated from the dialogue, whatever language the kiosk spoke.
    assert not PlanGoal(kind="economic", suggestion="part_time_work", language="fil").needs_japanese


def test_an_action_the_caseworker_rewrites_becomes_their_japanese_words():
    sheet = start_worksheet(DRAFT, "es")
    sheet, problems = edit_actions(sheet, [{"text": "ハローワークに週1回行く", "date": "2027-01-10", "japanese": "x"}])
    assert not problems
    assert sheet.actions[0].language == "ja" and sheet.actions[0].japanese is None


def test_a_stored_plan_of_every_format_reads_and_format_3_keeps_the_japanese():
    second = {
        "format": 2,
        "goal": {"kind": "economic", "suggestion": None, "text": "Magtrabaho", "language": "fil", "date": "2027-10"},
        "actions": [{"text": "Pumunta sa Hello Work", "date": "2027-01-10", "confidence": 6, "language": "fil"}],
        "programs": [{"id": "employment_support", "support": ""}],
        "consent": {"given": True, "date": "2026-11-20"},
        "barriers": ["illness"],
        "recipient_language": "fil",
    }
    old = Plan.from_json(second)
    assert old.goal.japanese is None and old.interpreter == ""
    assert old.actions[0].sheet_text == "Pumunta sa Hello Work"  # approved before Japanese was asked: as written
    first = {k: v for k, v in second.items() if k != "format"}
    assert Plan.from_json(first) == old
    stored = replace(
        old,
        goal=replace(old.goal, japanese="働く"),
        actions=(replace(old.actions[0], japanese="ハローワークに行く"),),
        interpreter="通訳 佐藤",
    ).to_json()
    assert stored["format"] == 3
    again = Plan.from_json(stored)
    assert (again.goal.japanese, again.actions[0].japanese, again.interpreter) == (
        "働く",
        "ハローワークに行く",
        "通訳 佐藤",
    )


# --- one save for the whole worksheet (issue 12, item 1) ----------------------------------------------


def test_one_save_moves_the_goal_date_and_the_actions_together():
    sheet = start_worksheet(DRAFT, "es")
    # Earlier goal and earlier action in one save: checked once, against the new target date.
    edits = [
        lambda plan: edit_goal(plan, text=None, kind="economic", month="2026-12", today=TODAY, check_actions=False),
        lambda plan: edit_actions(plan, [{"text": "Ir a Hello Work", "date": "2026-12-10"}]),
    ]
    new, problems = edit_worksheet(sheet, edits)
    assert not problems and new.goal.date == "2026-12" and new.actions[0].date == "2026-12-10"


def test_one_save_reports_every_part_and_changes_nothing_when_any_part_is_wrong():
    sheet = start_worksheet(DRAFT, "es")
    edits = [
        lambda plan: edit_goal(plan, text=None, kind="economic", month="2020-01", today=TODAY, check_actions=False),
        lambda plan: edit_actions(plan, [{"text": "", "date": "2027-01-10"}]),
        lambda plan: record_interpreter(plan, "通訳 佐藤"),
    ]
    new, problems = edit_worksheet(sheet, edits)
    assert codes(problems) == ["date_past", "required"] and new == sheet


def test_saved_parts_name_what_a_save_changed():
    sheet = start_worksheet(DRAFT, "es")
    new, _ = edit_goal(sheet, text=None, kind="economic", month="2027-11", today=TODAY, japanese="働く")
    new, _ = record_interpreter(new, "通訳 佐藤")
    assert [(c.part, c.index) for c in saved_parts(sheet, new)] == [
        ("goal", None),
        ("goal_date", None),
        ("interpreter", None),
    ]
    assert saved_parts(sheet, sheet) == []
