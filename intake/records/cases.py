"""Persisted casework records: cases, intake tickets, the caseworker's worksheet, plan versions, reviews, the audit log.

The recipient's draft (records.intakes.DraftPlan) is never changed here: the caseworker works on a separate
worksheet, every change is a PlanEdit row (who, what, when), and an approved plan is a PlanVersion
whose content cannot change afterwards. Writes that a stale form could clobber compare-and-set on a
`version` column, like Intake.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.plan import Plan
from ..domain.plan import Review as ReviewResult
from ..domain.search import case_search_key
from ..extensions import db
from .clock import utcnow
from .intakes import RECEIPT_ALPHABET, Intake
from .offices import OfficeOwned
from .staff import User

TICKET_CODE_LENGTH = 10


def new_ticket_code() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(TICKET_CODE_LENGTH))


class TicketPurpose:
    INTAKE = "intake"
    REVIEW = "review"


class CaseStatus:
    """The queue's statuses, in the order a plan's life goes through them."""

    NEW = "new"
    TICKET_ISSUED = "ticket_issued"
    # Every code issued has expired or been withdrawn unused: the recipient needs a new one.
    CODE_EXPIRED = "code_expired"
    AT_KIOSK = "at_kiosk"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    AWAITING_SIGN_OFF = "awaiting_sign_off"
    APPROVED = "approved"
    REVIEW_DUE = "review_due"
    CLOSED = "closed"

    # The queue's default order: what needs the caseworker first.
    ATTENTION = (
        SUBMITTED,
        REVIEW_DUE,
        AWAITING_SIGN_OFF,
        IN_REVIEW,
        AT_KIOSK,
        CODE_EXPIRED,
        TICKET_ISSUED,
        NEW,
        APPROVED,
        CLOSED,
    )

    ORDER = (
        NEW,
        TICKET_ISSUED,
        CODE_EXPIRED,
        AT_KIOSK,
        SUBMITTED,
        IN_REVIEW,
        AWAITING_SIGN_OFF,
        APPROVED,
        REVIEW_DUE,
        CLOSED,
    )


class Case(OfficeOwned, db.Model):
    """One recipient's case as the office knows it (case number, name), assigned to a caseworker."""

    __tablename__ = "cases"
    # Case numbers are the office's own: two offices may both have a case R8-0001.
    __table_args__ = (UniqueConstraint("office_id", "case_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_number: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(128))
    name_reading: Mapped[str] = mapped_column(String(128), default="")
    preferred_language: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    caseworker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Why it was closed (終結理由): a key of the office's CASE_CLOSING_REASONS, and a note ("other" needs one).
    closed_reason: Mapped[str | None] = mapped_column(String(32))
    closed_note: Mapped[str] = mapped_column(Text, default="")
    # The case number, name and reading folded for search (domain.search); kept up to date on every write.
    search_key: Mapped[str] = mapped_column(String(400), default="")
    # Set when the case's records were erased on request: the row stays, emptied, so that the audit
    # log's entries still point at a case (retention.erase_case).
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    caseworker: Mapped[User] = relationship()
    tickets: Mapped[list[Ticket]] = relationship(back_populates="case", order_by="Ticket.id")
    worksheet: Mapped[Worksheet | None] = relationship(back_populates="case", uselist=False)
    plans: Mapped[list[PlanVersion]] = relationship(back_populates="case", order_by="PlanVersion.number")
    reviews: Mapped[list[Review]] = relationship(back_populates="case", order_by="Review.id")

    @property
    def current_plan(self) -> PlanVersion | None:
        return self.plans[-1] if self.plans else None


@event.listens_for(Case, "before_insert")
@event.listens_for(Case, "before_update")
def _fold_search_key(_mapper, _connection, target: Case) -> None:
    target.search_key = case_search_key(target.case_number, target.name, target.name_reading)[:400]


class CaseIntake(OfficeOwned, db.Model):
    """Ties a kiosk intake to a case: through a ticket, or by a caseworker claiming a walk-in receipt code."""

    __tablename__ = "case_intakes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), unique=True)
    how: Mapped[str] = mapped_column(String(16))  # "ticket" or "claim"
    linked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case: Mapped[Case] = relationship()
    intake: Mapped[Intake] = relationship()


class Ticket(OfficeOwned, db.Model):
    """A short, single-use code that starts a kiosk intake (or review) for one case."""

    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    purpose: Mapped[str] = mapped_column(String(16), default=TicketPurpose.INTAKE)
    issued_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    intake_id: Mapped[int | None] = mapped_column(ForeignKey("intakes.id"))

    case: Mapped[Case] = relationship(back_populates="tickets")
    intake: Mapped[Intake | None] = relationship()

    @property
    def display_code(self) -> str:
        return f"{self.code[:5]}-{self.code[5:]}"


class Worksheet(OfficeOwned, db.Model):
    """The caseworker's working copy of the plan for a case; `content` is replaced, never edited in place."""

    __tablename__ = "worksheets"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    intake_id: Mapped[int | None] = mapped_column(ForeignKey("intakes.id"))
    content: Mapped[dict] = mapped_column(JSON)
    open: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    case: Mapped[Case] = relationship(back_populates="worksheet")
    intake: Mapped[Intake | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def plan(self) -> Plan:
        return Plan.from_json(self.content)

    @plan.setter
    def plan(self, plan: Plan) -> None:
        self.content = plan.to_json()


class PlanEdit(OfficeOwned, db.Model):
    """Provenance: one field of a worksheet changed by a caseworker, with the value before and after."""

    __tablename__ = "plan_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    field: Mapped[str] = mapped_column(String(64))
    before: Mapped[object] = mapped_column(JSON, nullable=True)
    after: Mapped[object] = mapped_column(JSON, nullable=True)

    user: Mapped[User] = relationship()


class PlanVersion(OfficeOwned, db.Model):
    """An approved self-reliance plan. Its content never changes; a revision is a new version."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict] = mapped_column(JSON)
    plan_date: Mapped[date] = mapped_column(Date)
    review_date: Mapped[date] = mapped_column(Date)
    approved_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    signed_off_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_off_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    case: Mapped[Case] = relationship(back_populates="plans")
    approver: Mapped[User] = relationship(foreign_keys=[approved_by])
    signer: Mapped[User | None] = relationship(foreign_keys=[signed_off_by])
    reviews: Mapped[list[Review]] = relationship(back_populates="plan", order_by="Review.id")

    @property
    def plan(self) -> Plan:
        """The approved plan, typed (its stored content never changes)."""
        return Plan.from_json(self.content)


class PlanDocument(OfficeOwned, db.Model):
    """The PDF filed for an approved plan version, made once and kept as it was made; its SHA-256 is in the audit log."""

    __tablename__ = "plan_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"), unique=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    made_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    made_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    plan: Mapped[PlanVersion] = relationship()


class Review(OfficeOwned, db.Model):
    """A periodic review (見直し) of one plan version: progress and evaluation per action and program."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"))
    review_date: Mapped[date] = mapped_column(Date)
    content: Mapped[dict] = mapped_column(JSON)
    reviewed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="reviews")
    plan: Mapped[PlanVersion] = relationship(back_populates="reviews")
    reviewer: Mapped[User] = relationship()

    @property
    def result(self) -> ReviewResult:
        return ReviewResult.from_json(self.content)


class AuditEntry(OfficeOwned, db.Model):
    """Who viewed, edited, printed or exported which case, and when. Rows are only ever added.

    `seq` and `hash` chain the office's entries (records/audit_chain.py): set when the transaction that
    added the entry commits, so a tampered, removed or inserted row shows in `flask intake audit verify`.
    """

    __tablename__ = "audit_log"
    __table_args__ = (UniqueConstraint("office_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(String(255), default="")
    # The entry's place in its office's chain (1, 2, 3…) and its SHA-256 (hex): NULL until its transaction commits.
    seq: Mapped[int | None] = mapped_column(Integer)
    hash: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User | None] = relationship()
    case: Mapped[Case | None] = relationship()


class Immutable(Exception):
    """An attempt to change a record the office must keep as it was written."""


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _audit_is_append_only(_mapper, _connection, _target):
    raise Immutable("the audit log is append-only")


@event.listens_for(PlanDocument, "before_update")
def _document_frozen(_mapper, _connection, _target):
    raise Immutable("a filed plan document does not change")


@event.listens_for(PlanVersion, "before_delete")
def _plan_not_deleted(_mapper, _connection, _target):
    raise Immutable("an approved plan is kept")


@event.listens_for(PlanVersion, "before_update")
def _plan_content_frozen(_mapper, _connection, target):
    state = db.inspect(target)
    for name in ("content", "number", "plan_date", "review_date", "approved_by", "approved_at", "case_id"):
        if state.attrs[name].history.has_changes():
            raise Immutable("an approved plan does not change; revise it as a new version")
