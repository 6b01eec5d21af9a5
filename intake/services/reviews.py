"""Periodic reviews (見直し) of the current plan version.

A rejected operation raises CaseworkError (with a message for the page) or the domain's AnswerInvalid, and
nothing is stored; a stale form raises StaleWrite. Nothing here commits: the request or command that calls
these is one transaction (unit_of_work.py).
"""

from __future__ import annotations

from datetime import date

from ..domain.answers import N_, AnswerInvalid
from ..domain.worksheet import (
    parse_review,
)
from ..extensions import db
from ..records import (
    PlanVersion,
    Review,
    User,
)
from .audit_log import audit
from .errors import CaseworkError


def record_review(user: User, plan: PlanVersion, form, *, review_day: object, today: date) -> Review:
    """Save a periodic review (見直し) of the current plan version."""
    if plan.case.current_plan is not plan:
        raise CaseworkError(N_("Only the current plan version can be reviewed."))
    result, day, problems = parse_review(plan.plan, form, review_day=review_day, plan_date=plan.plan_date, today=today)
    if problems:
        raise AnswerInvalid(problems)
    review = Review(case_id=plan.case_id, plan=plan, review_date=day, content=result.to_json(), reviewed_by=user.id)
    db.session.add(review)
    audit(user, plan.case, "review", f"version {plan.number}")
    return review
