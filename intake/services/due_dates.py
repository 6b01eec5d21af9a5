"""Dates that come due: the actions and reviews of the cases a user may open, due within two weeks or overdue.

Read in a fixed number of statements whatever the caseload (the queue shows them on every load): the newest
plan version of each open case, then the newest review of each of those versions; the rest is the domain's
rule (domain.case_record.due_dates).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func

from ..domain.case_record import DUE_WITHIN_DAYS, Due, DueKind, due_dates
from ..domain.plan import Plan, Review
from ..extensions import db
from ..records import Case, PlanVersion
from ..records import Review as ReviewRecord
from .case_access import team_ids


@dataclass(frozen=True)
class DueRow:
    """One date that comes due, with its case and what is due (an action's Japanese text; a review: none)."""

    due: Due
    case: Case
    plan_number: int
    text: str


def due_soon(user, today: date, *, within: int = DUE_WITHIN_DAYS) -> list[DueRow]:
    """The dates of the user's open cases (a supervisor: the team's) due by `within` days, overdue first, by day."""
    visible = db.select(Case.id).where(
        Case.caseworker_id.in_(team_ids(user)), Case.erased_at.is_(None), Case.closed_at.is_(None)
    )
    newest = (
        db.select(PlanVersion.case_id, func.max(PlanVersion.number).label("number"))
        .where(PlanVersion.case_id.in_(visible))
        .group_by(PlanVersion.case_id)
        .subquery()
    )
    current_plans = db.select(PlanVersion).join(
        newest, (newest.c.case_id == PlanVersion.case_id) & (newest.c.number == PlanVersion.number)
    )
    current = db.session.execute(
        db.select(Case, PlanVersion.id, PlanVersion.number, PlanVersion.content, PlanVersion.review_date)
        .join(PlanVersion, PlanVersion.case_id == Case.id)
        .where(PlanVersion.id.in_(current_plans.with_only_columns(PlanVersion.id)))
    ).all()
    reviews: dict[int, dict] = {}
    for plan_id, content in db.session.execute(
        db.select(ReviewRecord.plan_id, ReviewRecord.content)
        .where(ReviewRecord.plan_id.in_(current_plans.with_only_columns(PlanVersion.id)))
        .order_by(ReviewRecord.id)
    ):
        reviews[plan_id] = content  # the newest review of each version wins
    rows = []
    for case, plan_id, number, content, review_date in current:
        plan = Plan.from_json(content)
        review = Review.from_json(reviews[plan_id]) if plan_id in reviews else None
        achieved = [line.evaluation == "achieved" for line in review.actions] if review else []
        for due in due_dates(
            case.id,
            action_days=[a.date for a in plan.actions],
            achieved=achieved,
            review_date=review_date,
            reviewed=review is not None,
            today=today,
            within=within,
        ):
            text = plan.actions[due.index].sheet_text if due.kind == DueKind.ACTION else ""
            rows.append(DueRow(due, case, number, text))
    rows.sort(key=lambda row: (row.due.day, row.case.case_number, row.due.kind, row.due.index or 0))
    return rows
