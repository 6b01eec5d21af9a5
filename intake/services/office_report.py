"""The office report's data for a period: plan versions in force, reviews and sent drafts of the period, read with the
period filtered by the database (not every version of the office), then counted by the domain (domain/report.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from ..domain.programs import Program
from ..domain.report import PlanSpan, Report, ReviewMark, office_report
from ..extensions import db
from ..records import DraftPlan, Intake, IntakeStatus, PlanVersion, Review


def report(start: date, end: date, programs: Sequence[Program]) -> Report:
    """The report for the days from `start` to `end`, both included; `programs`: those offered and those retired
    (plans of the period may name them)."""
    return office_report(programs, _spans(start, end), _marks(start, end), _barrier_lists(start, end), start, end)


def _spans(start: date, end: date) -> list[PlanSpan]:
    """The versions in force on some day of the period: dated on or before its end, and not replaced (by the case's
    next version) on or before its first day."""
    following = aliased(PlanVersion)
    replaced_on = (
        sa.select(following.plan_date)
        .where(following.case_id == PlanVersion.case_id, following.number == PlanVersion.number + 1)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(PlanVersion, replaced_on)
        .where(PlanVersion.plan_date <= end, sa.or_(replaced_on.is_(None), replaced_on > start))
        .order_by(PlanVersion.case_id, PlanVersion.number)
    ).all()
    return [PlanSpan(plan.case_id, plan.plan.program_ids, plan.plan_date, until) for plan, until in rows]


def _marks(start: date, end: date) -> list[ReviewMark]:
    reviews = db.session.scalars(sa.select(Review).where(Review.review_date.between(start, end))).all()
    return [
        ReviewMark(
            r.case_id,
            r.review_date,
            tuple(pid for pid, line in r.result.programs.items() if line.evaluation == "achieved"),
        )
        for r in reviews
    ]


def _barrier_lists(start: date, end: date) -> list[list[str]]:
    """The barriers each draft sent in the period named (its day as stored, in UTC)."""
    rows = db.session.execute(
        sa.select(Intake, DraftPlan)  # the intake too: a draft reads its language from it
        .join(DraftPlan, DraftPlan.intake_id == Intake.id)
        .where(
            Intake.status == IntakeStatus.SUBMITTED,
            Intake.submitted_at >= datetime.combine(start, time()),
            Intake.submitted_at < datetime.combine(end + timedelta(days=1), time()),
        )
        .order_by(Intake.id)
    ).all()
    drafts = [plan.draft for _intake, plan in rows]
    return [list(draft.barriers.chosen) for draft in drafts if draft is not None]
