"""The caseworker's queue: every visible case with its status, code expiry, last activity and review date.

A caseworker carries about 80 cases and a supervisor's team several hundred, so the queue reads
them in a fixed number of statements (one per kind of record, never one per case) and works out
each case's status from those rows with the same rule the case page uses (cases.status_from).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlalchemy.orm import joinedload

from ..domain.search import search_key
from ..extensions import db
from ..records import (
    AuditEntry,
    Case,
    CaseIntake,
    CaseStatus,
    Intake,
    PlanVersion,
    Ticket,
    User,
    Worksheet,
    as_utc,
    utcnow,
)
from . import check_ins
from .case_access import team_ids
from .cases import status_from, ticket_facts

# Audit actions that change nothing: reading or printing a case is not activity on it.
_READ_ONLY_ACTIONS = ("view", "print", "export", "sign_in")


class QueueFilter:
    """The queue's ready-made filters, for what a caseworker looks for first thing in the morning."""

    REVIEW_OVERDUE = "review_overdue"
    REVIEW_THIS_MONTH = "review_this_month"
    CODE_EXPIRED = "code_expired"
    DRAFT_WAITING = "draft_waiting"
    ALL = (REVIEW_OVERDUE, REVIEW_THIS_MONTH, CODE_EXPIRED, DRAFT_WAITING)


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue."""

    case: Case
    status: str
    review_date: date | None
    code_expires_at: datetime | None  # the newest unused code's expiry (past: it expired)
    last_activity: datetime
    check_in: str | None = None  # a new check-in since the last review: "help" when it asks for help, else "new"

    def matches(self, wanted: str, today: date) -> bool:
        """Whether the row belongs under one of QueueFilter's filters."""
        if wanted == QueueFilter.REVIEW_OVERDUE:
            return self.status == CaseStatus.REVIEW_DUE and self.review_date is not None and self.review_date < today
        if wanted == QueueFilter.REVIEW_THIS_MONTH:
            return (
                self.status != CaseStatus.CLOSED
                and self.review_date is not None
                and (self.review_date.year, self.review_date.month) == (today.year, today.month)
            )
        if wanted == QueueFilter.CODE_EXPIRED:
            return self.status == CaseStatus.CODE_EXPIRED
        if wanted == QueueFilter.DRAFT_WAITING:
            return self.status == CaseStatus.SUBMITTED
        return True


def queue_rows(user: User, search: str, today: date, sign_off: bool) -> list[QueueRow]:
    """The cases this user may open (a search narrows them), each with what the queue shows, in case-number order."""
    visible = db.select(Case.id).where(
        Case.caseworker_id.in_(team_ids(user)), Case.erased_at.is_(None)
    )
    key = search_key(search)
    if key:
        visible = visible.where(Case.search_key.contains(key, autoescape=True))
    cases = db.session.execute(
        db.select(Case, Worksheet.open)
        .outerjoin(Worksheet, Worksheet.case_id == Case.id)
        .options(joinedload(Case.caseworker))
        .where(Case.id.in_(visible))
        .order_by(Case.case_number)
    ).all()
    newest = (
        db.select(PlanVersion.case_id, func.max(PlanVersion.number).label("number"))
        .where(PlanVersion.case_id.in_(visible))
        .group_by(PlanVersion.case_id)
        .subquery()
    )
    plans = {
        case_id: (review_date, signed_off_at)
        for case_id, review_date, signed_off_at in db.session.execute(
            db.select(PlanVersion.case_id, PlanVersion.review_date, PlanVersion.signed_off_at).join(
                newest, (newest.c.case_id == PlanVersion.case_id) & (newest.c.number == PlanVersion.number)
            )
        )
    }
    intakes: dict[int, tuple[str, datetime]] = {}
    for case_id, status, updated_at in db.session.execute(
        db.select(CaseIntake.case_id, Intake.status, Intake.updated_at)
        .join(Intake, Intake.id == CaseIntake.intake_id)
        .where(CaseIntake.case_id.in_(visible))
        .order_by(Intake.id)
    ):
        intakes[case_id] = (status, as_utc(updated_at))  # the newest intake wins, as on the case page
    tickets: dict[int, list[tuple[datetime | None, datetime, int | None]]] = {}
    for case_id, used_at, expires_at, intake_id in db.session.execute(
        db.select(Ticket.case_id, Ticket.used_at, Ticket.expires_at, Ticket.intake_id)
        .where(Ticket.case_id.in_(visible))
        .order_by(Ticket.id)
    ):
        tickets.setdefault(case_id, []).append((used_at, as_utc(expires_at), intake_id))
    activity = dict(
        db.session.execute(
            db.select(AuditEntry.case_id, func.max(AuditEntry.at))
            .where(AuditEntry.case_id.in_(visible), AuditEntry.action.not_in(_READ_ONLY_ACTIONS))
            .group_by(AuditEntry.case_id)
        ).all()
    )
    checked_in = check_ins.flags(visible)
    now = utcnow()
    rows = []
    for case, worksheet_open in cases:
        review_date, signed_off_at = plans.get(case.id, (None, None))
        intake_status, intake_updated = intakes.get(case.id, (None, None))
        case_tickets = tickets.get(case.id, [])
        unused = [expires for used_at, expires, _intake in case_tickets if used_at is None]
        moments = [as_utc(case.created_at), *(as_utc(m) for m in (activity.get(case.id), intake_updated) if m)]
        rows.append(
            QueueRow(
                case=case,
                status=status_from(
                    closed=case.closed_at is not None,
                    worksheet_open=bool(worksheet_open),
                    plan_review_date=review_date,
                    plan_signed_off=signed_off_at is not None,
                    last_intake_status=intake_status,
                    tickets=[ticket_facts(*ticket, now) for ticket in case_tickets],
                    today=today,
                    sign_off=sign_off,
                ),
                review_date=review_date,
                code_expires_at=unused[-1] if unused else None,
                last_activity=max(moments),
                check_in=("help" if checked_in[case.id] else "new") if case.id in checked_in else None,
            )
        )
    return rows
