"""Kiosk tickets: a single-use code issued for a case, redeemed at the kiosk; a walk-in's receipt claimed for a case.

A rejected operation raises CaseworkError (with a message for the page) or the domain's AnswerInvalid, and
nothing is stored; a stale form raises StaleWrite. Nothing here commits: the request or command that calls
these is one transaction (unit_of_work.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from ..domain.answers import N_
from ..domain.engine import Engine
from ..domain.plan import PlanGoal
from ..domain.worksheet import (
    review_given,
)
from ..extensions import db
from ..records import (
    Case,
    CaseIntake,
    Intake,
    IntakeStatus,
    Ticket,
    TicketPurpose,
    User,
    as_utc,
    clean_code,
    new_ticket_code,
    utcnow,
)
from ..unit_of_work import retry_on_collision
from . import conversations
from .audit_log import audit
from .errors import CaseworkError

_ATTEMPTS = 5


def ticket_usable(ticket: Ticket, now: datetime) -> bool:
    """Whether a code still starts an intake: not used and not expired (or withdrawn by a newer code)."""
    return ticket.used_at is None and as_utc(ticket.expires_at) > now


def issue_ticket(user: User, case: Case, *, valid_days: int, purpose: str = TicketPurpose.INTAKE) -> Ticket:
    """A new single-use code for the kiosk; earlier unused codes for the case stop working."""
    if case.closed_at:
        raise CaseworkError(N_("This case is closed."))
    if purpose == TicketPurpose.REVIEW and case.current_plan is None:
        raise CaseworkError(N_("There is no approved plan to review yet."))
    now = utcnow()
    for ticket in case.tickets:
        if ticket_usable(ticket, now) and ticket.purpose == purpose:
            ticket.expires_at = now

    def new_ticket() -> Ticket:
        ticket = Ticket(
            code=new_ticket_code(),
            case=case,
            purpose=purpose,
            issued_by=user.id,
            office_id=case.office_id,
            expires_at=now + timedelta(days=valid_days),
        )
        db.session.add(ticket)
        return ticket

    ticket = retry_on_collision(new_ticket, _ATTEMPTS)  # a code collided: draw again; the old codes stay expired
    audit(user, case, "ticket", f"{purpose} {ticket.display_code}")
    return ticket


def redeem_ticket(
    raw_code: str,
    locale: str,
    engine_for: Callable[[str], Engine],
    goal_text: Callable[[PlanGoal], str],
    today: date | None = None,
) -> Intake:
    """Start the kiosk intake (or review) a ticket allows; the code works once, before it expires.

    `engine_for(purpose)` is the dialogue for the ticket's purpose; `goal_text(goal)` the plan's goal
    in the recipient's language, for the review dialogue to repeat back.
    """
    code = clean_code(raw_code)
    # Only this kiosk's office's codes: another office's code is as unknown here as a mistyped one.
    ticket = db.session.scalar(db.select(Ticket).filter_by(code=code)) if code else None
    if ticket is None:
        # i18n: recipient: the kiosk's answer to a ticket code nobody issued.
        raise CaseworkError(N_("This code is not known. Please check it, or ask at the counter."))
    if ticket.used_at is not None:
        # i18n: recipient: the kiosk's answer to a ticket code that started an intake before.
        raise CaseworkError(N_("This code has already been used. Please ask at the counter for a new one."))
    if as_utc(ticket.expires_at) <= utcnow() or ticket.case.closed_at:
        # i18n: recipient: the kiosk's answer to a ticket code past its date.
        raise CaseworkError(N_("This code has expired. Please ask at the counter for a new one."))
    plan = ticket.case.current_plan
    if ticket.purpose == TicketPurpose.REVIEW and plan is None:
        raise CaseworkError(N_("This code is not known. Please check it, or ask at the counter."))
    # Compare-and-set: of two kiosks typing the same code at once, only one starts.
    claimed = db.session.execute(
        update(Ticket).where(Ticket.id == ticket.id, Ticket.used_at.is_(None)).values(used_at=utcnow())
    )
    if claimed.rowcount != 1:
        raise CaseworkError(N_("This code has already been used. Please ask at the counter for a new one."))
    given = review_given(plan.plan, goal_text(plan.plan.goal)) if ticket.purpose == TicketPurpose.REVIEW else None
    intake = conversations.start(engine_for(ticket.purpose), locale, given, today=today)
    db.session.execute(update(Ticket).where(Ticket.id == ticket.id).values(intake_id=intake.id))
    db.session.add(CaseIntake(case_id=ticket.case_id, intake_id=intake.id, how="ticket"))
    audit(None, ticket.case, "kiosk_start", ticket.display_code)
    return intake


def claim_walk_in(user: User, case: Case, receipt_code: str) -> Intake:
    """Tie a walk-in draft to a case by the receipt code the recipient was given."""
    code = clean_code(receipt_code)
    intake = conversations.find_by_receipt(code) if code else None
    if intake is None or intake.status != IntakeStatus.SUBMITTED:
        raise CaseworkError(N_("No sent draft has this receipt code."))
    if db.session.scalar(db.select(CaseIntake.id).filter_by(intake_id=intake.id)) is not None:
        raise CaseworkError(N_("This draft already belongs to a case."))
    try:
        with db.session.begin_nested():  # claimed for another case at the same moment
            db.session.add(CaseIntake(case_id=case.id, intake_id=intake.id, how="claim", linked_by=user.id))
    except IntegrityError:
        raise CaseworkError(N_("This draft already belongs to a case.")) from None
    audit(user, case, "claim", code)
    return intake
