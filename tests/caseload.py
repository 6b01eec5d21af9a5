"""A caseload written straight into the database: many cases in every state the queue shows (tests and bench/)."""

from __future__ import annotations

from datetime import date, timedelta

from intake.domain.dates import add_months
from intake.extensions import db
from intake.records import (
    AuditEntry,
    Case,
    CaseIntake,
    DraftPlan,
    Intake,
    IntakeStatus,
    PlanVersion,
    Ticket,
    User,
    Worksheet,
    utcnow,
)

KINDS = (
    "new",
    "ticket_issued",
    "code_expired",
    "at_kiosk",
    "submitted",
    "in_review",
    "approved",
    "review_overdue",
    "closed",
)
PLAN = {"goal": {"text": "働く", "kind": "economic", "date": "2027-12"}, "actions": [], "programs": []}


def add_cases(caseworker: User, count: int, today: date, prefix: str = "L") -> None:
    """`count` cases for the caseworker, their states taking KINDS in turn; committed."""
    now = utcnow()
    for index in range(count):
        kind = KINDS[index % len(KINDS)]
        case = Case(
            case_number=f"{prefix}{caseworker.id}-{index:04d}",
            name=f"試験 太郎{index}",
            name_reading=f"しけん たろう{index}",
            preferred_language="ja",
            caseworker_id=caseworker.id,
        )
        db.session.add(case)
        db.session.add(AuditEntry(user_id=caseworker.id, case=case, action="create"))
        if kind in ("ticket_issued", "code_expired", "at_kiosk", "submitted"):
            expires = now + timedelta(days=7) if kind != "code_expired" else now - timedelta(days=1)
            ticket = Ticket(
                code=f"{prefix}{caseworker.id:03d}{index:05d}", case=case, issued_by=caseworker.id, expires_at=expires
            )
            db.session.add(ticket)
            if kind in ("at_kiosk", "submitted"):
                ticket.used_at = now
                intake = Intake(
                    dialogue_id="self_reliance",
                    dialogue_version=1,
                    state="done" if kind == "submitted" else "welcome",
                    locale="ja",
                    status=IntakeStatus.SUBMITTED if kind == "submitted" else IntakeStatus.IN_PROGRESS,
                )
                db.session.add(intake)
                if kind == "submitted":
                    db.session.add(DraftPlan(intake=intake, content=dict(PLAN)))
                db.session.flush()
                db.session.add(CaseIntake(case_id=case.id, intake_id=intake.id, how="ticket"))
        if kind in ("in_review", "approved", "review_overdue"):
            db.session.add(Worksheet(case=case, content=dict(PLAN), open=kind == "in_review"))
        if kind in ("approved", "review_overdue"):
            review = add_months(today, 2) if kind == "approved" else today - timedelta(days=10)
            db.session.add(
                PlanVersion(
                    case=case,
                    number=1,
                    content=dict(PLAN),
                    plan_date=add_months(today, -3),
                    review_date=review,
                    approved_by=caseworker.id,
                )
            )
        if kind == "closed":
            case.closed_at, case.closed_reason = now, "moved"
    db.session.commit()
