"""Case record entries (ケース記録): a draft written for the caseworker on approval, review and check-in, confirmed once.

A draft is edited with a compare-and-set on `version`; a confirmed entry never changes. That is kept three
times: the service refuses (with a message), the ORM refuses (Immutable), and the database refuses an UPDATE
of a confirmed row (a trigger, on SQLite and PostgreSQL alike). Deleting stays possible for an erasure on
request and the retention purge (services/retention.py), as for plan versions.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import DDL, Date, DateTime, ForeignKey, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .cases import Case, Immutable, PlanVersion, Review
from .clock import utcnow
from .offices import OfficeOwned
from .staff import User


class CaseRecordEntry(OfficeOwned, db.Model):
    """One entry of a case's record: its day, its kind (domain.case_record.EntryKind) and its words."""

    __tablename__ = "case_record_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    day: Mapped[date] = mapped_column(Date)
    content: Mapped[str] = mapped_column(Text)
    # What the draft was written from: a plan version (approval) or a review; a check-in has neither here.
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan_versions.id"))
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: written for a kiosk check-in
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    case: Mapped[Case] = relationship()
    plan: Mapped[PlanVersion | None] = relationship()
    review: Mapped[Review | None] = relationship()
    confirmer: Mapped[User | None] = relationship(foreign_keys=[confirmed_by])

    __mapper_args__ = {"version_id_col": version}

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


@event.listens_for(CaseRecordEntry, "before_update")
def _confirmed_entry_frozen(_mapper, _connection, target: CaseRecordEntry) -> None:
    confirmed = db.inspect(target).attrs["confirmed_at"].history
    if confirmed.deleted and confirmed.deleted[0] is not None or (not confirmed.has_changes() and target.confirmed):
        raise Immutable("a confirmed case record entry does not change")


# The database's own refusal: an UPDATE of a confirmed row fails whoever sends it (migration 0018 makes the same).
FROZEN_MESSAGE = "a confirmed case record entry does not change"
SQLITE_TRIGGER = f"""
CREATE TRIGGER case_record_entries_frozen BEFORE UPDATE ON case_record_entries
WHEN OLD.confirmed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE}'); END
"""
POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION case_record_entries_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.confirmed_at IS NOT NULL THEN
    RAISE EXCEPTION '{FROZEN_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$
"""
POSTGRESQL_TRIGGER = """
CREATE TRIGGER case_record_entries_frozen BEFORE UPDATE ON case_record_entries
FOR EACH ROW EXECUTE FUNCTION case_record_entries_frozen()
"""

event.listen(CaseRecordEntry.__table__, "after_create", DDL(SQLITE_TRIGGER).execute_if(dialect="sqlite"))
event.listen(CaseRecordEntry.__table__, "after_create", DDL(POSTGRESQL_FUNCTION).execute_if(dialect="postgresql"))
event.listen(CaseRecordEntry.__table__, "after_create", DDL(POSTGRESQL_TRIGGER).execute_if(dialect="postgresql"))
