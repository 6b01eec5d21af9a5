"""Retention: abandoned kiosk intakes are deleted after a while; one case's data can be exported or erased.

Only what the office's duties need is kept (APPI Art. 61). An intake nobody submitted and nobody
touched for `RETENTION_UNSUBMITTED_DAYS` is abandoned: nobody will come back to it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, select

from .extensions import db
from .models import DraftPlan, Intake, IntakeStatus, utcnow

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


def purge_abandoned(days: int, *, now: datetime | None = None, dry_run: bool = False) -> int:
    """Delete unsubmitted intakes not updated for `days` days; returns how many (safe to run from cron)."""
    if days < 1:
        raise ValueError("keep abandoned intakes at least one day")
    cutoff = (now or utcnow()) - timedelta(days=days)
    # An intake that a case, a ticket or a worksheet points at is no longer abandoned: it is on file.
    is_abandoned = (Intake.status != IntakeStatus.SUBMITTED, Intake.updated_at < cutoff, *(~c for c in _linked()))
    if dry_run:
        return db.session.scalar(db.select(db.func.count()).select_from(Intake).where(*is_abandoned))
    batch = db.select(Intake.id).where(*is_abandoned).order_by(Intake.id).limit(_BATCH)
    deleted = 0
    while ids := db.session.scalars(batch).all():
        # The condition is repeated in the DELETE: an intake answered since the SELECT stays.
        result = db.session.execute(db.delete(Intake).where(Intake.id.in_(ids), *is_abandoned))
        db.session.commit()  # small batches: a long purge never holds locks the kiosks wait on
        deleted += result.rowcount
        if len(ids) < _BATCH:
            break
    return deleted


def export_case(intake: Intake) -> dict:
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


def erase_case(intake: Intake) -> None:
    """Delete one intake and its draft plan, on the recipient's request (InUse: erase it with its case)."""
    if any(db.session.scalar(select(condition).where(Intake.id == intake.id)) for condition in _linked()):
        raise InUse(intake.receipt_code)
    db.session.execute(db.delete(DraftPlan).where(DraftPlan.intake_id == intake.id))
    db.session.execute(db.delete(Intake).where(Intake.id == intake.id))
    db.session.commit()


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
