"""Pocket cards and check-ins: the card a recipient carries between reviews, and what they said at a kiosk with it.

A card is for one plan version; a new version, closing the case or a reissued card revokes it (the audit log
says so). A check-in row is made when the kiosk starts the check-in and filled when the recipient sends it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.pocket_card import CheckInAnswers, display_code
from ..extensions import db
from .cases import Case, PlanVersion
from .clock import utcnow
from .intakes import Intake
from .offices import OfficeOwned


class CardRevoked:
    """Why a card stopped working (the audit line's detail says it too)."""

    REVISION = "revision"
    CLOSURE = "closure"
    REISSUE = "reissue"


class PocketCard(OfficeOwned, db.Model):
    """A printed card for one plan version: its short code, and whether it was revoked."""

    __tablename__ = "pocket_cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique across offices, as ticket codes: a code names one card wherever it is typed.
    code: Mapped[str] = mapped_column(String(16), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"))
    issued_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str | None] = mapped_column(String(16))

    case: Mapped[Case] = relationship()
    plan: Mapped[PlanVersion] = relationship()

    @property
    def display_code(self) -> str:
        return display_code(self.code)


class CheckIn(OfficeOwned, db.Model):
    """One check-in at a kiosk with a pocket card: per action done / partly / not yet / I need help, a note."""

    __tablename__ = "check_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"))
    card_id: Mapped[int] = mapped_column(ForeignKey("pocket_cards.id"))
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), unique=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Set when the recipient sends it: until then it is not on the case (the kiosk may be left half-way).
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    day: Mapped[date | None] = mapped_column(Date)  # the office's day it was sent
    answers: Mapped[dict | None] = mapped_column(JSON)
    needs_help: Mapped[bool] = mapped_column(Boolean, default=False)
    wants_talk: Mapped[bool] = mapped_column(Boolean, default=False)

    case: Mapped[Case] = relationship()
    plan: Mapped[PlanVersion] = relationship()
    card: Mapped[PocketCard] = relationship()
    intake: Mapped[Intake] = relationship()

    @property
    def result(self) -> CheckInAnswers:
        return CheckInAnswers.from_json(self.answers)
