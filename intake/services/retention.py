"""Retention: records are kept no longer than they can be used; an intake or a whole case can be exported
(a disclosure request) or erased (a deletion request).

Only what the office's duties need is kept (APPI Art. 61). What is due, office by office (`purge_office`):

- An unfinished intake (not sent: in progress, declined, a translator's preview) once nobody can resume it:
  `RESUME_HOURS` after its last answer, when its receipt code stops working. A walk-in's goes with its answers.
  One started from a caseworker's code (a ticket, linked to the case) too: the caseworker never reads
  unfinished answers, so the case keeps only what it needs, the ticket (used, and now without an intake:
  the queue shows that a new code is needed) and an audit line saying the answers were deleted.
- A closed case, the office's retention period (`offices.case_retention_years`, else `CASE_RETENTION_YEARS`)
  after it closed: every record of it goes as on an erasure request, with an audit line; the audit log stays.

Requests purge their own office when it is due (web/purging.py), at most once every `PURGE_EVERY_MINUTES`;
`flask intake purge` does every office, and `--dry-run` lists what is due. The office is named in each
query here on purpose: what is due follows the office's own settings.

Erasing a case deletes every record of it that holds the recipient's words or the plan: intakes,
draft plans, tickets, the worksheet and its edits, approved plan versions and reviews. Whether a
request must be granted (approved plans are also the office's public records) is the office's
decision, taken before an administrator runs the command. The audit log is kept whole: it holds no
answers, only who did what and when, and it is how the office shows who saw the data before it was
erased. Its rows keep pointing at the case row, which stays as an empty tombstone (`erased_at`), and
the erasure itself is the last entry, naming the case number and the request's reference.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import exists, select

from ..extensions import db
from ..records import (
    AuditEntry,
    Case,
    CaseIntake,
    CaseRecordEntry,
    CheckIn,
    DraftPlan,
    Intake,
    IntakeStatus,
    Office,
    PlanDocument,
    PlanEdit,
    PlanVersion,
    PocketCard,
    ResumeAttempt,
    Review,
    StaffSession,
    Ticket,
    User,
    Worksheet,
    as_utc,
    utcnow,
)
from . import step_counts
from .audit_log import audit
from .cases import case_intakes

_BATCH = 500


class InUse(Exception):
    """The intake is part of a case (a ticket, a worksheet, a case link): the office's record keeps it."""


def _linked():
    """A condition per table that points at an intake (except its own draft plan): true when one does."""
    for table in db.metadata.sorted_tables:
        if table.name == DraftPlan.__tablename__:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name == Intake.__tablename__:
                yield exists(select(1).select_from(table).where(fk.parent == Intake.id))


@dataclass(frozen=True)
class DueIntake:
    id: int
    receipt_code: str
    status: str
    updated_at: datetime
    case_number: str | None  # None: a walk-in's


@dataclass(frozen=True)
class DueCase:
    id: int
    case_number: str
    closed_at: datetime


@dataclass
class Purged:
    """What one office's purge deleted (or, dry, would delete)."""

    office_code: str
    years: int
    intakes: list[DueIntake] = field(default_factory=list)
    cases: list[DueCase] = field(default_factory=list)
    step_count_rows: int = 0  # anonymous step counts older than the office keeps them


def retention_years(office: Office) -> int:
    return office.case_retention_years or int(current_app.config["CASE_RETENTION_YEARS"])


def _years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def _unfinished_due(cutoff: datetime):
    """The unit of work's office's unfinished intakes nobody can resume after `cutoff` (the office wall picks the office).

    created_at narrows by its index (an intake untouched since the cutoff was created before it); updated_at decides.
    """
    return (
        Intake.status != IntakeStatus.SUBMITTED,
        Intake.created_at < cutoff,
        Intake.updated_at < cutoff,
    )


def due_intakes(office: Office, now: datetime, resume_hours: int, *, among: list[int] | None = None) -> list[DueIntake]:
    """The office's unfinished intakes nobody can resume any more (`among` these ids), with the case of a ticket's."""
    cutoff = now - timedelta(hours=resume_hours)
    query = (
        db.select(Intake.id, Intake.receipt_code, Intake.status, Intake.updated_at, Case.case_number)
        .outerjoin(CaseIntake, CaseIntake.intake_id == Intake.id)
        .outerjoin(Case, Case.id == CaseIntake.case_id)
        .where(*_unfinished_due(cutoff))
        .order_by(Intake.id)
    )
    if among is not None:
        query = query.where(Intake.id.in_(among))
    return [DueIntake(*row) for row in db.session.execute(query).all()]


def due_cases(office: Office, now: datetime) -> list[DueCase]:
    """The office's closed cases whose retention period has passed (erased ones are tombstones already)."""
    cutoff = _years_before(now, retention_years(office))
    rows = db.session.execute(
        db.select(Case.id, Case.case_number, Case.closed_at)
        .where(Case.erased_at.is_(None), Case.closed_at < cutoff)
        .order_by(Case.closed_at, Case.id)
    ).all()
    return [DueCase(*row) for row in rows]


def purge_office(
    office: Office,
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    end_batch: Callable[[], None] = lambda: None,
    at_most: int | None = None,
) -> Purged:
    """Delete what is due in this office (see the module's docstring); `dry_run` only says what.

    `end_batch` runs after each batch: the command commits there, so a long purge never holds the locks
    the kiosks wait on. `at_most`: of each kind, no more than this many this time (a request's purge: a
    backlog goes over several intervals, or at once with the command).
    """
    now = now or utcnow()
    hours = int(current_app.config["RESUME_HOURS"])
    purged = Purged(office.code, retention_years(office))
    if dry_run:
        purged.intakes, purged.cases = due_intakes(office, now, hours), due_cases(office, now)
        return purged
    cutoff = now - timedelta(hours=hours)
    # Locked as read (PostgreSQL), so an answer arriving meanwhile waits and then finds its intake gone, or is
    # the first and keeps it: a row answered since it was due no longer matches when the lock is granted.
    size = min(_BATCH, at_most or _BATCH)
    batch = db.select(Intake.id).where(*_unfinished_due(cutoff)).order_by(Intake.id).limit(size)
    while ids := list(db.session.scalars(batch.with_for_update())):
        due = {item.id: item for item in due_intakes(office, now, hours, among=ids)}
        _delete_unfinished(ids, due)
        purged.intakes += [due[i] for i in ids if i in due]
        end_batch()
        if len(ids) < size or (at_most is not None and len(purged.intakes) >= at_most):
            break
    purged.step_count_rows = step_counts.purge_expired(office, now)
    _purge_spent_sign_ins(now)
    for item in due_cases(office, now)[:at_most]:
        case = db.session.get(Case, item.id)
        counts = _counts(_erase_records(case))
        closed = as_utc(item.closed_at).date().isoformat()
        audit(None, case, "purge", f"case {item.case_number}; closed {closed}, kept {purged.years} years; {counts}")
        purged.cases.append(item)
        end_batch()
    return purged


def _delete_unfinished(ids: list[int], due: dict[int, DueIntake]) -> None:
    """Delete unfinished intakes; a case they were started for keeps its ticket and a line in its log."""
    links = db.session.execute(
        db.select(CaseIntake.intake_id, Case).join(Case, Case.id == CaseIntake.case_id).where(CaseIntake.intake_id.in_(ids))
    ).all()
    for intake_id, case in links:
        receipt = due[intake_id].receipt_code if intake_id in due else ""
        audit(None, case, "purge", f"unfinished kiosk answers {receipt[:4]}-{receipt[4:]}; the resume window ended")
    db.session.execute(db.update(Ticket).where(Ticket.intake_id.in_(ids)).values(intake_id=None))
    db.session.execute(db.update(Worksheet).where(Worksheet.intake_id.in_(ids)).values(intake_id=None))
    db.session.execute(db.delete(CaseIntake).where(CaseIntake.intake_id.in_(ids)))
    db.session.execute(db.delete(CheckIn).where(CheckIn.intake_id.in_(ids)))  # check-ins never sent
    db.session.execute(db.delete(DraftPlan).where(DraftPlan.intake_id.in_(ids)))
    deleted = db.session.execute(db.delete(Intake).where(Intake.id.in_(ids)).returning(*step_counts.PURGED_COLUMNS))
    step_counts.walked_away(deleted.all())  # never finished, never touched again: counted where each stood


# Every table with a key to intakes, and what a purge of unfinished intakes does with its rows (a test checks
# that none is missing, so a new table cannot keep a purged intake's id or stop the purge).
DETACHED_ON_PURGE = {
    Ticket.__tablename__,
    Worksheet.__tablename__,
    CaseIntake.__tablename__,
    CheckIn.__tablename__,
    DraftPlan.__tablename__,
}


def _purge_spent_sign_ins(now: datetime) -> None:
    """Staff sessions past the absolute limit (they can open nothing; an ended one is kept until then, so its copied
    cookie is still told apart from a forged one in the log), and sign-in failure counts past their memory (they
    hold an address and a username)."""
    from . import throttle

    oldest = now - current_app.permanent_session_lifetime
    db.session.execute(
        db.delete(StaffSession).where(StaffSession.created_at < oldest).execution_options(synchronize_session=False)
    )
    throttle.purge_expired()


def purge_spent_counts(now: datetime) -> int:
    """Spent rate-limit counts, and wrong receipt codes past their window (they hold the client's address).

    The counts are kept on a connection of their own (ratelimits.py): call this with no write of the
    session's pending (on SQLite, that connection would wait for the session's).
    """
    from ..ratelimits import purge_expired

    spent = purge_expired()
    window = timedelta(seconds=int(current_app.config["RESUME_FAILURE_WINDOW_SECONDS"]))
    db.session.execute(db.delete(ResumeAttempt).where(ResumeAttempt.at < now - window))
    return spent


def claim_purge(office: Office, now: datetime, every_minutes: int) -> bool:
    """Whether this request runs the office's purge now: true for one request at a time, once every
    `every_minutes` (a conditional UPDATE of the office's row, so workers and nodes agree)."""
    claimed = db.session.execute(
        db.update(Office)
        .where(
            Office.id == office.id,
            (Office.purged_at.is_(None)) | (Office.purged_at <= now - timedelta(minutes=every_minutes)),
        )
        .values(purged_at=now)
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


def export_intake(intake: Intake) -> dict:
    """Everything stored about one intake, for a disclosure request."""
    return {
        "receipt_code": intake.receipt_code,
        "dialogue": {"id": intake.dialogue_id, "version": intake.dialogue_version},
        "status": intake.status,
        "locale": intake.locale,
        "answers": intake.answers,
        "consent_notice_version": intake.consent_notice_version,
        "consent_at": _iso(intake.consent_at),
        "created_at": _iso(intake.created_at),
        "updated_at": _iso(intake.updated_at),
        "submitted_at": _iso(intake.submitted_at),
        "plan": intake.plan.content if intake.plan is not None else None,
    }


def erase_intake(intake: Intake) -> None:
    """Delete one intake and its draft plan, on the recipient's request (InUse: erase it with its case)."""
    if any(db.session.scalar(select(condition).where(Intake.id == intake.id)) for condition in _linked()):
        raise InUse(intake.receipt_code)
    db.session.execute(db.delete(DraftPlan).where(DraftPlan.intake_id == intake.id))
    db.session.execute(db.delete(Intake).where(Intake.id == intake.id))


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


def _who(user: User | None) -> str | None:
    return user.username if user is not None else None


def export_case(case: Case) -> dict:
    """Everything stored about one case, for a disclosure request: the recipient's words, the plans, the log."""
    edits = db.session.scalars(db.select(PlanEdit).filter_by(case_id=case.id).order_by(PlanEdit.id)).all()
    log = db.session.scalars(db.select(AuditEntry).filter_by(case_id=case.id).order_by(AuditEntry.id)).all()
    return {
        "case": {
            "case_number": case.case_number,
            "name": case.name,
            "name_reading": case.name_reading,
            "preferred_language": case.preferred_language,
            "note": case.note,
            "caseworker": _who(case.caseworker),
            "created_at": _iso(case.created_at),
            "closed_at": _iso(case.closed_at),
        },
        "intakes": [export_intake(intake) for intake in case_intakes(case)],
        "tickets": [
            {
                "code": ticket.display_code,
                "purpose": ticket.purpose,
                "created_at": _iso(ticket.created_at),
                "expires_at": _iso(ticket.expires_at),
                "used_at": _iso(ticket.used_at),
            }
            for ticket in case.tickets
        ],
        "worksheet": case.worksheet.content if case.worksheet is not None else None,
        "edits": [
            {
                "at": _iso(edit.at),
                "by": _who(edit.user),
                "field": edit.field,
                "before": edit.before,
                "after": edit.after,
            }
            for edit in edits
        ],
        "plans": [
            {
                "version": plan.number,
                "plan_date": _iso(plan.plan_date),
                "review_date": _iso(plan.review_date),
                "approved_by": _who(plan.approver),
                "approved_at": _iso(plan.approved_at),
                "signed_off_by": _who(plan.signer),
                "signed_off_at": _iso(plan.signed_off_at),
                "content": plan.content,
            }
            for plan in case.plans
        ],
        "reviews": [
            {
                "version": review.plan.number,
                "date": _iso(review.review_date),
                "by": _who(review.reviewer),
                **review.content,
            }
            for review in case.reviews
        ],
        "pocket_cards": [
            {
                "code": card.display_code,
                "version": card.plan.number,
                "issued_at": _iso(card.issued_at),
                "revoked_at": _iso(card.revoked_at),
                "revoked_reason": card.revoked_reason,
            }
            for card in db.session.scalars(db.select(PocketCard).filter_by(case_id=case.id).order_by(PocketCard.id))
        ],
        "check_ins": [
            {"version": entry.plan.number, "day": _iso(entry.day), "sent_at": _iso(entry.submitted_at), **(entry.answers or {})}
            for entry in db.session.scalars(db.select(CheckIn).filter_by(case_id=case.id).order_by(CheckIn.id))
        ],
        "case_record": [
            {
                "day": _iso(entry.day),
                "kind": entry.kind,
                "content": entry.content,
                "confirmed_at": _iso(entry.confirmed_at),
                "confirmed_by": _who(entry.confirmer),
            }
            for entry in db.session.scalars(
                db.select(CaseRecordEntry).filter_by(case_id=case.id).order_by(CaseRecordEntry.id)
            )
        ],
        "audit_log": [
            {"at": _iso(entry.at), "by": _who(entry.user), "action": entry.action, "detail": entry.detail}
            for entry in log
        ],
    }


# Every table that holds a case's records, children before parents. A test checks that each table
# with a key to cases or intakes is here or in KEPT_ON_ERASURE, so a new table cannot be forgotten.
def _erasure_order(case_id: int, intake_ids: list[int]):
    yield CaseRecordEntry, CaseRecordEntry.case_id == case_id
    yield CheckIn, CheckIn.case_id == case_id
    yield PocketCard, PocketCard.case_id == case_id
    yield Review, Review.case_id == case_id
    yield PlanDocument, PlanDocument.plan_id.in_(db.select(PlanVersion.id).where(PlanVersion.case_id == case_id))
    yield PlanVersion, PlanVersion.case_id == case_id
    yield PlanEdit, PlanEdit.case_id == case_id
    yield Worksheet, Worksheet.case_id == case_id
    yield Ticket, Ticket.case_id == case_id
    yield CaseIntake, CaseIntake.case_id == case_id
    yield DraftPlan, DraftPlan.intake_id.in_(intake_ids)
    yield Intake, Intake.id.in_(intake_ids)


ERASED_TABLES = {model.__tablename__ for model, _ in _erasure_order(0, [])}
KEPT_ON_ERASURE = {AuditEntry.__tablename__, Case.__tablename__}


class NotAllowed(Exception):
    """Only an active administrator account may carry out an erasure."""


def erase_case(case: Case, *, by: User, reference: str) -> dict[str, int]:
    """Delete every record of the case but its audit log; returns how many rows of each table went.

    One transaction: a failure part-way deletes nothing.
    """
    if by.role != "admin" or not by.active:
        raise NotAllowed(by.username)
    number = case.case_number
    deleted = _erase_records(case)
    audit(by, case, "erase", f"case {number}; request {reference}; {_counts(deleted)}")
    return deleted


def _counts(deleted: dict[str, int]) -> str:
    return ", ".join(f"{table} {count}" for table, count in deleted.items() if count)


def _erase_records(case: Case) -> dict[str, int]:
    """Delete every record of the case but the audit log and leave the case row as an empty tombstone.

    Plain DELETE statements bypass the ORM's guard that keeps approved plans (cases.py): an erasure and the
    retention purge are the places allowed to remove them.
    """
    intake_ids = list(db.session.scalars(db.select(CaseIntake.intake_id).filter_by(case_id=case.id)))
    intake_ids += [
        intake_id
        for intake_id in db.session.scalars(db.select(Ticket.intake_id).where(Ticket.case_id == case.id))
        if intake_id is not None and intake_id not in intake_ids
    ]
    deleted = {}
    for model, condition in _erasure_order(case.id, intake_ids):
        deleted[model.__tablename__] = db.session.execute(db.delete(model).where(condition)).rowcount
    db.session.expire(case)
    # Frees the number for a new case; the random part keeps it from meeting a number staff typed.
    case.case_number = f"erased-{case.id}-{secrets.token_hex(4)}"
    case.name = case.name_reading = case.note = ""
    case.closed_at = case.closed_at or utcnow()
    case.erased_at = utcnow()
    return deleted
