"""Retention: abandoned kiosk intakes are deleted after a while; an intake or a whole case can be
exported (a disclosure request) or erased (a deletion request).

Only what the office's duties need is kept (APPI Art. 61). An intake nobody submitted and nobody
touched for `RETENTION_UNSUBMITTED_DAYS` is abandoned: nobody will come back to it.

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
from datetime import datetime, timedelta

from sqlalchemy import exists, select

from ..extensions import db
from ..records import (
    AuditEntry,
    Case,
    CaseIntake,
    DraftPlan,
    Intake,
    IntakeStatus,
    PlanDocument,
    PlanEdit,
    PlanVersion,
    Review,
    Ticket,
    User,
    Worksheet,
    utcnow,
)
from . import step_counts  # issue 25: the walked-away hook in purge_abandoned
from .casework import case_intakes

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


def purge_abandoned(
    days: int, *, now: datetime | None = None, dry_run: bool = False, end_batch: Callable[[], None] = lambda: None
) -> int:
    """Delete unsubmitted intakes not updated for `days` days; returns how many (safe to run from cron).

    `end_batch` runs after each batch: the command commits there, so a long purge never holds the
    locks the kiosks wait on.
    """
    if days < 1:
        raise ValueError("keep abandoned intakes at least one day")
    cutoff = (now or utcnow()) - timedelta(days=days)
    # An intake that a case, a ticket or a worksheet points at is no longer abandoned: it is on file.
    # created_at narrows by its index (an intake untouched since the cutoff was created before it); updated_at decides.
    is_abandoned = (
        Intake.status != IntakeStatus.SUBMITTED,
        Intake.created_at < cutoff,
        Intake.updated_at < cutoff,
        *(~c for c in _linked()),
    )
    if dry_run:
        return db.session.scalar(db.select(db.func.count()).select_from(Intake).where(*is_abandoned))
    batch = db.select(Intake.id).where(*is_abandoned).order_by(Intake.id).limit(_BATCH)
    deleted = 0
    while ids := db.session.scalars(batch).all():
        # The condition is repeated in the DELETE: an intake answered since the SELECT stays.
        result = db.session.execute(
            db.delete(Intake).where(Intake.id.in_(ids), *is_abandoned).returning(*step_counts.PURGED_COLUMNS)
        )
        # --- step counts (issue 25): what was deleted unfinished counts as walked away where it stood ---
        purged = result.all()
        step_counts.walked_away(purged)
        # --- end step counts ---
        end_batch()
        deleted += len(purged)
        if len(ids) < _BATCH:
            break
    return deleted


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
        "audit_log": [
            {"at": _iso(entry.at), "by": _who(entry.user), "action": entry.action, "detail": entry.detail}
            for entry in log
        ],
    }


# Every table that holds a case's records, children before parents. A test checks that each table
# with a key to cases or intakes is here or in KEPT_ON_ERASURE, so a new table cannot be forgotten.
def _erasure_order(case_id: int, intake_ids: list[int]):
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

    One transaction: a failure part-way deletes nothing. Plain DELETE statements bypass the ORM's
    guard that keeps approved plans (cases.py): this is the one place allowed to remove them.
    """
    if by.role != "admin" or not by.active:
        raise NotAllowed(by.username)
    number = case.case_number
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
    counts = ", ".join(f"{table} {count}" for table, count in deleted.items() if count)
    detail = f"case {number}; request {reference}; {counts}"
    db.session.add(AuditEntry(user_id=by.id, case_id=case.id, action="erase", detail=detail[:255]))
    return deleted
