"""Cases and their status: opened, closed for a reason, reopened; the intakes tied to each.

A rejected operation raises CaseworkError (with a message for the page) or the domain's AnswerInvalid, and
nothing is stored; a stale form raises StaleWrite. Nothing here commits: the request or command that calls
these is one transaction (unit_of_work.py).
"""

from __future__ import annotations

from datetime import date, datetime

from ..domain.answers import N_
from ..extensions import db
from ..records import (
    CardRevoked,
    Case,
    CaseIntake,
    CaseStatus,
    Intake,
    IntakeStatus,
    User,
    as_utc,
    utcnow,
)
from . import pocket_cards
from .audit_log import audit
from .case_access import may_reopen
from .errors import CaseworkError


def case_intakes(case: Case) -> list[Intake]:
    return list(
        db.session.scalars(
            db.select(Intake)
            .join(CaseIntake, CaseIntake.intake_id == Intake.id)
            .where(CaseIntake.case_id == case.id)
            .order_by(Intake.id)
        ).all()
    )


def latest_submitted(case: Case, *, review: bool = False) -> Intake | None:
    """The newest sent draft plan of the case (or, with `review`, the newest review from the kiosk)."""
    submitted = [
        i
        for i in case_intakes(case)
        if i.status == IntakeStatus.SUBMITTED
        and i.plan is not None
        and (i.plan.content.get("kind") == "review") == review
    ]
    return submitted[-1] if submitted else None


def case_status(case: Case, today: date, sign_off: bool) -> str:
    """Where the case is in a plan's life, as the queue shows it."""
    plan = case.current_plan
    intakes = case_intakes(case)
    now = utcnow()
    return status_from(
        closed=case.closed_at is not None,
        worksheet_open=case.worksheet is not None and case.worksheet.open,
        plan_review_date=plan.review_date if plan else None,
        plan_signed_off=plan is not None and plan.signed_off_at is not None,
        last_intake_status=intakes[-1].status if intakes else None,
        tickets=[ticket_facts(t.used_at, t.expires_at, t.intake_id, now) for t in case.tickets],
        today=today,
        sign_off=sign_off,
    )


def status_from(
    *,
    closed: bool,
    worksheet_open: bool,
    plan_review_date: date | None,
    plan_signed_off: bool,
    last_intake_status: str | None,
    tickets: list[tuple[bool, bool]],
    today: date,
    sign_off: bool,
) -> str:
    """The status from the facts the case page and the queue read: `tickets` as (used, still valid) pairs."""
    if closed:
        return CaseStatus.CLOSED
    if worksheet_open:
        return CaseStatus.IN_REVIEW
    if plan_review_date is not None:
        if sign_off and not plan_signed_off:
            return CaseStatus.AWAITING_SIGN_OFF
        return CaseStatus.REVIEW_DUE if plan_review_date <= today else CaseStatus.APPROVED
    if last_intake_status == IntakeStatus.SUBMITTED:
        return CaseStatus.SUBMITTED
    if last_intake_status == IntakeStatus.IN_PROGRESS:
        return CaseStatus.AT_KIOSK
    if any(not used and valid for used, valid in tickets):
        return CaseStatus.TICKET_ISSUED
    if any(not used for used, _valid in tickets):
        return CaseStatus.CODE_EXPIRED
    return CaseStatus.NEW


def ticket_facts(used_at: datetime | None, expires_at: datetime, intake_id: int | None, now: datetime) -> tuple[bool, bool]:
    """(used, still valid) as status_from reads a ticket. A used code whose unfinished intake was purged
    (retention.py: its resume window ended) counts as spent unused: the recipient needs a new code."""
    if used_at is None:
        return False, as_utc(expires_at) > now
    return intake_id is not None, False


def create_case(user: User, *, case_number: str, name: str, reading: str, language: str, note: str, languages) -> Case:
    case_number, name = case_number.strip(), name.strip()
    if not case_number or not name:
        raise CaseworkError(N_("Give the case number and the name."))
    if language not in languages:
        raise CaseworkError(N_("Choose a language the kiosk offers."))
    if db.session.scalar(db.select(Case.id).filter_by(case_number=case_number)) is not None:
        raise CaseworkError(N_("Case %(number)s already exists."), number=case_number)
    case = Case(
        case_number=case_number[:32],
        name=name[:128],
        name_reading=reading.strip()[:128],
        preferred_language=language,
        note=note.strip()[:2000],
        caseworker_id=user.id,
        office_id=user.office_id,
    )
    db.session.add(case)
    db.session.flush()
    audit(user, case, "create")
    return case


def close_case(user: User, case: Case, *, reason: str, note: str, reasons: dict[str, str]) -> None:
    """Close a case for one of the office's reasons (終結理由): no new tickets; the plans stay on file."""
    if case.closed_at:
        raise CaseworkError(N_("This case is closed."))
    note = (note or "").strip()
    if reason not in reasons:
        raise CaseworkError(N_("Choose the reason for closing the case."))
    if reason == "other" and not note:
        raise CaseworkError(N_("Write what the other reason is."))
    case.closed_at = utcnow()
    case.closed_reason, case.closed_note = reason, note[:2000]
    audit(user, case, "close", f"{reasons[reason]}: {note}" if note else reasons[reason])
    pocket_cards.revoke_cards(user, case, CardRevoked.CLOSURE)


def reopen_case(user: User, case: Case) -> None:
    """The caseworker's supervisor reopens a closed case (closed by mistake, or the recipient is back)."""
    if not may_reopen(user, case):
        raise CaseworkError(N_("Only the caseworker's supervisor can reopen this case."))
    if not case.closed_at:
        raise CaseworkError(N_("This case is open."))
    case.closed_at = None
    case.closed_reason, case.closed_note = None, ""
    audit(user, case, "reopen")
