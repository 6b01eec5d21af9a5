"""The append-only audit log: what staff (and the kiosk, for a ticket) did to a case or the office.

A rejected operation raises CaseworkError (with a message for the page) or the domain's AnswerInvalid, and
nothing is stored; a stale form raises StaleWrite. Nothing here commits: the request or command that calls
these is one transaction (unit_of_work.py).
"""

from __future__ import annotations

from ..extensions import db
from ..records import (
    AuditEntry,
    Case,
    User,
)


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
