"""The office report's data comes from a service that asks the database for the period only: versions in force on
some day of it, its reviews (intake/services/office_report.py); the domain counts them (domain/report.py)."""

from __future__ import annotations

from datetime import date

from conftest import in_office
from staff import make_office, make_second_office

from intake.domain.plan import Plan, PlanGoal, ProgramChoice
from intake.extensions import db
from intake.records import Case, PlanVersion, Review, User
from intake.services import office_report

APRIL, MARCH = date(2026, 4, 1), date(2027, 3, 31)


def _plan(program: str) -> dict:
    goal = PlanGoal(kind="daily_life", suggestion="regular_sleep", text=None, language=None, date="2027-10")
    return Plan(goal=goal, programs=(ProgramChoice(program, ""),), recipient_language="ja").to_json()


def _case(number: str, versions: list[tuple[date, str]]) -> Case:
    cw = db.session.scalar(db.select(User).filter_by(username="cw"))
    case = Case(case_number=number, name=number, caseworker_id=cw.id, office_id=cw.office_id, preferred_language="ja")
    db.session.add(case)
    for index, (day, program) in enumerate(versions, start=1):
        db.session.add(
            PlanVersion(
                case=case, number=index, content=_plan(program), plan_date=day, review_date=day, approved_by=cw.id
            )
        )
    db.session.flush()
    return case


def test_only_the_versions_in_force_in_the_period_are_read(app):
    make_office(app)
    with in_office(app):
        replaced_before = _case("A", [(date(2025, 5, 1), "debt_consultation"), (date(2026, 3, 1), "health_management")])
        replaced_inside = _case("B", [(date(2025, 5, 1), "debt_consultation"), (date(2026, 6, 1), "health_management")])
        after = _case("C", [(date(2027, 5, 1), "debt_consultation")])
        db.session.add(
            Review(
                case_id=replaced_inside.id,
                plan=replaced_inside.plans[-1],
                review_date=date(2026, 9, 1),
                content={"actions": [], "programs": {}, "goal": {}},
                reviewed_by=replaced_inside.caseworker_id,
            )
        )
        db.session.add(
            Review(
                case_id=after.id,
                plan=after.plans[0],
                review_date=date(2027, 6, 1),
                content={"actions": [], "programs": {}, "goal": {}},
                reviewed_by=after.caseworker_id,
            )
        )
        db.session.commit()

        spans = office_report._spans(APRIL, MARCH)
        assert [(s.case_id, s.start) for s in spans] == [
            (replaced_before.id, date(2026, 3, 1)),
            (replaced_inside.id, date(2025, 5, 1)),
            (replaced_inside.id, date(2026, 6, 1)),
        ]
        assert spans[1].end == date(2026, 6, 1) and spans[0].end is None
        assert [m.day for m in office_report._marks(APRIL, MARCH)] == [date(2026, 9, 1)]


def test_another_offices_versions_are_not_read(app):
    make_office(app)
    make_second_office(app)
    with in_office(app, "north"):
        cw = db.session.scalar(db.select(User).filter_by(username="n-cw"))
        case = Case(case_number="N", name="N", caseworker_id=cw.id, office_id=cw.office_id, preferred_language="ja")
        db.session.add(case)
        db.session.add(
            PlanVersion(
                case=case,
                number=1,
                content=_plan("debt_consultation"),
                plan_date=date(2026, 5, 1),
                review_date=date(2026, 8, 1),
                approved_by=cw.id,
            )
        )
        db.session.commit()
    with in_office(app):
        assert office_report._spans(APRIL, MARCH) == []
