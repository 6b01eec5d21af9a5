"""Case record entries (ケース記録): drafts written on approval, review and check-in; edited, confirmed, exported.

The words of a draft come from the office's templates (the staff catalogue), put together by the wording the
web layer registers at start-up (`current_app.extensions[WORDING]`: web/caseworker/record_text.py), so that
this module needs no translation machinery. A confirmed entry never changes (records/case_records.py keeps it
so in the ORM and the database too). Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..domain.answers import N_
from ..domain.case_record import (
    CHECK_IN_STATUSES,
    EntryKind,
    Unencodable,
    content_problem,
    csv_bytes,
    parse_day,
    unencodable,
)
from ..extensions import db
from ..records import Case, CaseRecordEntry, PlanVersion, Review, User, utcnow
from ..unit_of_work import StaleWrite
from .audit_log import audit
from .errors import CaseworkError

WORDING = "yorisoi.case_record_wording"


class Wording(Protocol):
    """The office's words for each kind of draft, in Japanese."""

    def plan_entry(self, plan: PlanVersion) -> str: ...

    def review_entry(self, review: Review) -> str: ...

    def check_in_entry(
        self, case: Case, action_statuses: Sequence[tuple[str, str]], note: str, wants_talk: bool, needs_help: bool
    ) -> str: ...

    def export_header(self) -> list[str]: ...

    def export_row(self, entry: CaseRecordEntry) -> list[str]: ...


def _wording() -> Wording:
    return current_app.extensions[WORDING]


def _draft(user: User | None, case: Case, kind: str, day: date, content: str, **source) -> CaseRecordEntry:
    entry = CaseRecordEntry(
        case=case,
        kind=kind,
        day=day,
        content=content,
        created_by=user.id if user else None,
        office_id=case.office_id,
        **source,
    )
    db.session.add(entry)
    return entry


def draft_plan_entry(user: User, plan: PlanVersion) -> CaseRecordEntry:
    """The draft entry for an approved plan version: dated the plan's date."""
    return _draft(user, plan.case, EntryKind.PLAN, plan.plan_date, _wording().plan_entry(plan), plan=plan)


def draft_review_entry(user: User, review: Review) -> CaseRecordEntry:
    """The draft entry for a recorded review (見直し): dated the review's day."""
    case = review.plan.case
    return _draft(user, case, EntryKind.REVIEW, review.review_date, _wording().review_entry(review), review=review)


def draft_check_in_entry(
    user_or_none: User | None,
    case: Case,
    *,
    day: date,
    action_statuses: list[tuple[str, str]],
    note: str,
    wants_talk: bool,
    needs_help: bool,
) -> CaseRecordEntry:
    """The draft entry for a check-in: each action (its Japanese text) with how the recipient said it goes
    (a key of CHECK_IN_STATUSES), their note, and whether they would like to talk or need help."""
    unknown = [status for _text, status in action_statuses if status not in CHECK_IN_STATUSES]
    if unknown:
        raise ValueError(f"unknown check-in status {unknown[0]!r}")
    content = _wording().check_in_entry(case, action_statuses, (note or "").strip(), wants_talk, needs_help)
    return _draft(user_or_none, case, EntryKind.CHECK_IN, day, content)


def entries(case: Case) -> list[CaseRecordEntry]:
    """The case's entries, oldest first (by day, then as written)."""
    return list(
        db.session.scalars(
            db.select(CaseRecordEntry).filter_by(case_id=case.id).order_by(CaseRecordEntry.day, CaseRecordEntry.id)
        )
    )


def find_entry(case: Case, entry_id: int) -> CaseRecordEntry | None:
    entry = db.session.get(CaseRecordEntry, entry_id)
    return entry if entry is not None and entry.case_id == case.id else None


def save_entry(
    user: User, entry: CaseRecordEntry, *, expected_version: object, day: object, content: str, confirm: bool
) -> None:
    """Store the caseworker's edit of a draft (and, with `confirm`, confirm it: it never changes afterwards)."""
    if entry.confirmed:
        raise CaseworkError(N_("This record entry is confirmed and can no longer be changed."))
    if str(entry.version) != str(expected_version):
        raise StaleWrite()
    parsed = parse_day(day)
    if parsed is None:
        raise CaseworkError(N_("Give the entry's date."))
    content = (content or "").replace("\r\n", "\n").strip()
    problem = content_problem(content)
    if problem is not None:
        raise CaseworkError(problem[0], **problem[1])
    now = utcnow()
    if (parsed, content) != (entry.day, entry.content):
        entry.day, entry.content = parsed, content
        entry.updated_at, entry.updated_by = now, user.id
    if confirm:
        entry.confirmed_at, entry.confirmed_by = now, user.id
        audit(user, entry.case, "record_confirm", f"{entry.kind} {parsed.isoformat()}")
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError):
        raise StaleWrite() from None


@dataclass(frozen=True)
class Export:
    """A CSV of the case's confirmed entries, or (CP932 asked for, with characters it cannot hold) what stops it."""

    data: bytes | None
    count: int
    problem: Unencodable | None = None


def export_entries(user: User, case: Case, *, encoding: str, substitute: bool) -> Export:
    """The case's confirmed entries as CSV with Japanese headers (UTF-8, or CP932 for older systems).

    CP932 cannot hold every character (a Vietnamese note, 𠮷): unless `substitute` says to write each as 〓,
    nothing is made and the Export names the characters, so the caseworker chooses UTF-8 or the substitute.
    """
    encoding = "cp932" if encoding == "cp932" else "utf-8"
    wording = _wording()
    confirmed = [entry for entry in entries(case) if entry.confirmed]
    rows = [wording.export_row(entry) for entry in confirmed]
    found = unencodable(rows) if encoding == "cp932" else Unencodable((), ())
    if found.characters and not substitute:
        return Export(None, len(rows), found)
    detail = f"case record csv {encoding} {len(rows)}"
    if found.characters:
        detail += f"; {len(found.characters)} characters as 〓"
    audit(user, case, "record_export", detail)
    return Export(csv_bytes(wording.export_header(), rows, encoding), len(rows))
