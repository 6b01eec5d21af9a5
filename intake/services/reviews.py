"""Periodic reviews (見直し) of the current plan version.

A rejected operation raises CaseworkError (with a message for the page) or the domain's AnswerInvalid, and
nothing is stored; a stale form raises StaleWrite. Nothing here commits: the request or command that calls
these is one transaction (unit_of_work.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from ..domain.answers import N_, AnswerInvalid
from ..domain.worksheet import ReviewEdit, distance_travelled, parse_review, review_prefill
from ..extensions import db
from ..records import Case, Intake, PlanVersion, Review, User, as_utc
from . import case_records
from .audit_log import audit
from .cases import latest_submitted
from .errors import CaseworkError


def record_review(user: User, plan: PlanVersion, edit: ReviewEdit, *, today: date) -> Review:
    """Save a periodic review (見直し) of the current plan version, from the form as typed (`edit`)."""
    if plan.case.current_plan is not plan:
        raise CaseworkError(N_("Only the current plan version can be reviewed."))
    result, day, problems = parse_review(plan.plan, edit, plan_date=plan.plan_date, today=today)
    if problems:
        raise AnswerInvalid(problems)
    review = Review(case_id=plan.case_id, plan=plan, review_date=day, content=result.to_json(), reviewed_by=user.id)
    db.session.add(review)
    case_records.draft_review_entry(user, review)
    audit(user, plan.case, "review", f"version {plan.number}")
    return review


@dataclass(frozen=True)
class ReviewStart:
    """What the review form starts from: the recipient's own review at the kiosk of this version (if any), its
    answers as the form's first values, and how far each action came by the recipient's scale."""

    kiosk_review: Intake | None
    draft: Mapping | None
    prefill: dict[str, str]
    distance: list


def review_start(case: Case, plan: PlanVersion) -> ReviewStart:
    kiosk_review = latest_submitted(case, review=True)
    if kiosk_review is not None and as_utc(kiosk_review.submitted_at) < as_utc(plan.approved_at):
        kiosk_review = None  # a review of an earlier version
    draft = kiosk_review.plan.content if kiosk_review is not None else None
    return ReviewStart(
        kiosk_review, draft, review_prefill(draft or {}), distance_travelled(plan.plan, draft) if draft else []
    )
