"""Intake records: a conversation per recipient, the draft plan it hands over, wrong receipt codes.

An intake stores step ids and raw answers, never rendered text, so the caseworker can read the
same answers in Japanese that the recipient gave in their own language.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.codes import clean_code  # noqa: F401  (records.clean_code: its one home is the domain)
from ..domain.engine import Conversation
from ..domain.plan import Draft, is_draft_plan
from ..extensions import db
from .clock import utcnow
from .offices import OfficeOwned

# No 0/O, 1/I/L: a receipt code is read aloud and typed on a kiosk.
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECEIPT_LENGTH = 8


class IntakeStatus:
    IN_PROGRESS = "in_progress"
    DECLINED = "declined"
    SUBMITTED = "submitted"
    # A translator's walk through the dialogue: never submitted, never listed for caseworkers.
    PREVIEW = "preview"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def new_receipt_code() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


class Intake(OfficeOwned, db.Model):
    """One recipient's conversation at the kiosk. Every write is a compare-and-set on `version`."""

    __tablename__ = "intakes"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    receipt_code: Mapped[str] = mapped_column(String(16), unique=True, default=new_receipt_code)
    dialogue_id: Mapped[str] = mapped_column(String(64))
    dialogue_version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(64))
    path: Mapped[list] = mapped_column(JSON, default=list)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    changing: Mapped[bool] = mapped_column(Boolean, default=False)
    # Step id → the language each answer in the recipient's own words was written in.
    written_in: Mapped[dict | None] = mapped_column(JSON, default=dict)
    locale: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=IntakeStatus.IN_PROGRESS)
    consent_notice_version: Mapped[str | None] = mapped_column(String(32))
    consent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Indexed for the purge: an intake untouched since a cutoff was also created before it.
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    # Not indexed: every answer sets it, and an indexed column that changes keeps PostgreSQL from updating the
    # row in place (HOT), so each answer would write into every index of the table (migration 0010).
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    plan: Mapped[DraftPlan | None] = relationship(back_populates="intake", uselist=False)

    __mapper_args__ = {"version_id_col": version}
    # Room on each page for the row's next version (it grows a little with every answer): updates stay in place.
    __table_args__ = {"postgresql_with": {"fillfactor": 70}}

    @property
    def conversation(self) -> Conversation:
        return Conversation(
            self.state, dict(self.answers or {}), tuple(self.path or ()), self.changing, dict(self.written_in or {})
        )

    def store(self, conversation: Conversation) -> None:
        """Copy a conversation in; new containers so SQLAlchemy sees the JSON change."""
        self.state = conversation.state
        self.answers = dict(conversation.answers)
        self.path = list(conversation.path)
        self.changing = conversation.changing
        self.written_in = dict(conversation.written_in)
        self.updated_at = utcnow()


class DraftPlan(OfficeOwned, db.Model):
    """The draft self-reliance plan built when the recipient sends their answers."""

    __tablename__ = "draft_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), unique=True)
    content: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    intake: Mapped[Intake] = relationship(back_populates="plan")

    @property
    def draft(self) -> Draft | None:
        """The typed draft plan (None for what another dialogue hands over, such as a review)."""
        return Draft.from_json(self.content, locale=self.intake.locale) if is_draft_plan(self.content) else None


class ResumeAttempt(db.Model):
    """A wrong receipt code typed at a kiosk, kept for a short while to limit guessing."""

    __tablename__ = "resume_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    client: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
