"""Casework operations: who may open a case and who carries it, tickets, the worksheet, approval, review, audit.

The caseworker pages translate HTTP into these calls, as the kiosk does with `conversations`. A
rejected operation raises CaseworkError (with a message for the page) or the domain's
AnswerInvalid, and nothing is stored; a stale form raises StaleWrite. Nothing here commits: the
request or command that calls these is one transaction (unit_of_work.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..domain.answers import N_, AnswerInvalid
from ..domain.engine import Engine
from ..domain.plan import PlanGoal
from ..domain.worksheet import (
    approval_problems,
    blank_worksheet,
    changed_fields,
    parse_review,
    review_given,
    revision_of,
    start_worksheet,
)
from ..extensions import db
from ..records import (
    AuditEntry,
    Case,
    CaseIntake,
    CaseStatus,
    Intake,
    IntakeStatus,
    PlanDocument,
    PlanEdit,
    PlanVersion,
    Review,
    Ticket,
    TicketPurpose,
    User,
    Worksheet,
    as_utc,
    new_ticket_code,
    utcnow,
)
from ..unit_of_work import StaleWrite, retry_on_collision
from . import case_records, conversations

STAFF_ROLES = ("caseworker", "supervisor")
_ATTEMPTS = 5


class CaseworkError(Exception):
    """A request the office's rules refuse; `message` is English source text for gettext."""

    def __init__(self, message: str | tuple[str, str], **params):
        # A message with a count is (singular, plural) from Nn_, its form chosen by params["count"].
        self.message, self.plural = message if isinstance(message, tuple) else (message, "")
        self.params = params
        super().__init__(self.message % params if params else self.message)


# --- who may see what ---------------------------------------------------------------------------


def team_ids(user: User) -> list[int]:
    """The caseworkers whose cases this user may open: themselves, and their team if a supervisor."""
    if user.role == "supervisor":
        team = db.session.scalars(db.select(User.id).filter_by(supervisor_id=user.id)).all()
        return [user.id, *team]
    if user.role == "caseworker":
        return [user.id]
    return []


def can_open(user: User, case: Case) -> bool:
    """Only the assigned caseworker and their supervisor may open a case (and its special-care answers)."""
    if user.role == "caseworker":
        return case.caseworker_id == user.id
    if user.role == "supervisor":
        return case.caseworker_id == user.id or case.caseworker.supervisor_id == user.id
    return False


def audit(user: User | None, case: Case | None, action: str, detail: str = "", office_id: int | None = None) -> None:
    """Add a line to the append-only audit log (committed with the request's other changes).

    The entry is the case's office's; else the one named; else the staff member's; else the unit of work's.
    """
    office = case or (None if office_id is not None else user)
    db.session.add(
        AuditEntry(
            user_id=user.id if user else None,
            case_id=case.id if case else None,
            action=action,
            detail=detail[:255],
            office_id=office.office_id if office is not None else office_id,
        )
    )


def erased_on_request(case: Case) -> bool:
    """Whether an emptied case was erased on someone's request (its log says "erase"), not at the end of retention."""
    return (
        db.session.scalar(db.select(AuditEntry.id).filter_by(case_id=case.id, action="erase").limit(1)) is not None
    )


# --- cases and their status ---------------------------------------------------------------------


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


def may_reopen(user: User, case: Case) -> bool:
    """Reopening, like reassigning, is for the supervisor of the case's caseworker."""
    return _may_reassign(user, case)


def reopen_case(user: User, case: Case) -> None:
    """The caseworker's supervisor reopens a closed case (closed by mistake, or the recipient is back)."""
    if not may_reopen(user, case):
        raise CaseworkError(N_("Only the caseworker's supervisor can reopen this case."))
    if not case.closed_at:
        raise CaseworkError(N_("This case is open."))
    case.closed_at = None
    case.closed_reason, case.closed_note = None, ""
    audit(user, case, "reopen")


# --- who carries a case -------------------------------------------------------------------------


def _team_caseworkers(supervisor: User) -> list[User]:
    return list(
        db.session.scalars(
            db.select(User)
            .filter_by(supervisor_id=supervisor.id, role="caseworker", active=True)
            .order_by(User.username)
        ).all()
    )


def _may_reassign(user: User, case: Case) -> bool:
    return user.role == "supervisor" and case.caseworker_id in team_ids(user)


def reassign_choices(user: User, case: Case) -> list[User]:
    """Whom this user may hand the case to: for its supervisor, the team's active caseworkers and themselves."""
    if not _may_reassign(user, case) or case.closed_at:
        return []
    return [person for person in (user, *_team_caseworkers(user)) if person.id != case.caseworker_id]


def hand_over(user: User | None, case: Case, caseworker: User) -> None:
    """Assign an open case to another active caseworker; the audit log keeps who had it."""
    if case.closed_at:
        raise CaseworkError(N_("This case is closed."))
    if not caseworker.active:
        raise CaseworkError(N_("%(username)s's account is inactive."), username=caseworker.username)
    if caseworker.id == case.caseworker_id:
        raise CaseworkError(N_("The case is already assigned to %(username)s."), username=caseworker.username)
    previous = case.caseworker.username
    case.caseworker = caseworker
    audit(user, case, "reassign", f"{previous} → {caseworker.username}")


def reassign_case(user: User, case: Case, username: str) -> User:
    """The supervisor hands a case of their team to a caseworker of the same team (someone leaves or is away)."""
    if not _may_reassign(user, case):
        raise CaseworkError(N_("Only the caseworker's supervisor can reassign this case."))
    caseworker = db.session.scalar(
        db.select(User).filter_by(username=(username or "").strip())
    )
    in_team = caseworker is not None and (
        caseworker.id == user.id or (caseworker.supervisor_id == user.id and caseworker.role == "caseworker")
    )
    if not in_team:
        raise CaseworkError(N_("Choose a caseworker of your own team."))
    hand_over(user, case, caseworker)
    return caseworker


# --- tickets ------------------------------------------------------------------------------------


def ticket_usable(ticket: Ticket, now: datetime) -> bool:
    """Whether a code still starts an intake: not used and not expired (or withdrawn by a newer code)."""
    return ticket.used_at is None and as_utc(ticket.expires_at) > now


def clean_code(raw: str | None) -> str:
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


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


# --- the worksheet ------------------------------------------------------------------------------


def open_worksheet(user: User, case: Case) -> Worksheet:
    """The case's worksheet, started from the newest sent draft the first time it is opened."""
    if case.worksheet is not None:
        return case.worksheet
    intake = latest_submitted(case)
    if intake is not None:
        plan = start_worksheet(intake.plan.draft, intake.locale)
    else:
        plan = blank_worksheet(case.preferred_language)
    worksheet = Worksheet(case=case, intake_id=intake.id if intake else None, content=plan.to_json(), open=True)
    db.session.add(worksheet)
    audit(user, case, "edit", "worksheet started")
    db.session.flush()  # the page's forms carry the worksheet's version
    return worksheet


def _expect(worksheet: Worksheet, expected_version: object) -> None:
    if str(worksheet.version) != str(expected_version):
        raise StaleWrite()


def _write_or_stale() -> None:
    """Write now: a change made meanwhile (the version moved, the plan's number taken) refuses this one."""
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError):
        raise StaleWrite() from None


def save_worksheet(user: User, worksheet: Worksheet, expected_version: object, result) -> None:
    """Store an edit (plan, problems) from the domain: problems raise, stale forms raise, changes are recorded."""
    plan, problems = result
    if problems:
        raise AnswerInvalid(problems)
    _expect(worksheet, expected_version)
    if not worksheet.open:
        raise CaseworkError(N_("This plan is approved. Start a revision to change it."))
    changes = changed_fields(worksheet.plan, plan)
    if not changes:
        return
    worksheet.plan = plan
    worksheet.updated_at = utcnow()
    for part, before, after in changes:
        db.session.add(PlanEdit(case_id=worksheet.case_id, user_id=user.id, field=part, before=before, after=after))
    audit(user, worksheet.case, "edit", ", ".join(part for part, _, _ in changes))
    _write_or_stale()


def approve(
    user: User, worksheet: Worksheet, expected_version: object, *, plan_date: date, review_date: date | None
) -> PlanVersion:
    """Turn the worksheet into the next immutable plan version."""
    _expect(worksheet, expected_version)
    if not worksheet.open:
        raise CaseworkError(N_("This plan is already approved."))
    problems = approval_problems(worksheet.plan, plan_date=plan_date, review_date=review_date)
    case = worksheet.case
    if case.plans and plan_date < case.plans[-1].plan_date:
        raise CaseworkError(N_("The plan's date is before the previous version's date."))
    if problems:
        raise AnswerInvalid(problems)
    plan = PlanVersion(
        case=case,
        number=len(case.plans) + 1,
        content=dict(worksheet.content),
        plan_date=plan_date,
        review_date=review_date,
        approved_by=user.id,
    )
    db.session.add(plan)
    worksheet.open = False
    case_records.draft_plan_entry(user, plan)
    audit(user, case, "approve", f"version {plan.number}")
    _write_or_stale()
    return plan


def sign_off(user: User, plan: PlanVersion) -> None:
    """A supervisor signs off (決裁) a plan version of their team, once."""
    if user.role != "supervisor" or plan.case.caseworker.supervisor_id != user.id:
        raise CaseworkError(N_("Only the caseworker's supervisor can sign off this plan."))
    done = db.session.execute(
        update(PlanVersion)
        .where(PlanVersion.id == plan.id, PlanVersion.signed_off_at.is_(None))
        .values(signed_off_by=user.id, signed_off_at=utcnow())
    )
    if done.rowcount != 1:
        raise CaseworkError(N_("This plan is already signed off."))
    audit(user, plan.case, "sign_off", f"version {plan.number}")
    db.session.refresh(plan)


def plan_document(plan: PlanVersion) -> PlanDocument | None:
    """The PDF filed for a plan version, if one was made."""
    return db.session.scalar(db.select(PlanDocument).filter_by(plan_id=plan.id))


def keep_plan_document(user: User, plan: PlanVersion, pdf: bytes) -> PlanDocument:
    """File the PDF made for an approved plan version, once; its SHA-256 goes into the audit log."""
    digest = hashlib.sha256(pdf).hexdigest()
    document = PlanDocument(plan_id=plan.id, pdf=pdf, sha256=digest, made_by=user.id)
    try:
        with db.session.begin_nested():  # a savepoint: losing the race undoes this insert only
            db.session.add(document)
    except IntegrityError:  # two people asked for it at once: the first one made is the one kept
        return plan_document(plan)
    audit(user, plan.case, "file_pdf", f"version {plan.number} sha256 {digest}")
    return document


def record_review(user: User, plan: PlanVersion, form, *, review_day: object, today: date) -> Review:
    """Save a periodic review (見直し) of the current plan version."""
    if plan.case.current_plan is not plan:
        raise CaseworkError(N_("Only the current plan version can be reviewed."))
    result, day, problems = parse_review(plan.plan, form, review_day=review_day, plan_date=plan.plan_date, today=today)
    if problems:
        raise AnswerInvalid(problems)
    review = Review(case_id=plan.case_id, plan=plan, review_date=day, content=result.to_json(), reviewed_by=user.id)
    db.session.add(review)
    case_records.draft_review_entry(user, review)
    audit(user, plan.case, "review", f"version {plan.number}")
    return review


def start_revision(user: User, case: Case, expected_version: object) -> Worksheet:
    """Reopen the worksheet from the current plan, to approve a revised version."""
    worksheet = case.worksheet
    plan = case.current_plan
    if worksheet is None or plan is None:
        raise CaseworkError(N_("There is no approved plan to revise yet."))
    _expect(worksheet, expected_version)
    if worksheet.open:
        return worksheet
    worksheet.plan = revision_of(plan.plan)
    worksheet.open = True
    audit(user, case, "edit", f"revision of version {plan.number}")
    _write_or_stale()
    return worksheet
