"""Anonymous step counts: how many people reached, answered, skipped, got an error at or stopped at each step.

One row per office, day, dialogue, step, language and measure (domain/step_counts.py names the measures), with
its count. Deliberately nothing more: no key to an intake, a person, a case, a session or a kiosk, and no time
finer than the day (a test reads every table's columns to keep it so). Kept for the office's retention setting
(`Office.counts_keep_months`, else COUNTS_KEEP_MONTHS) and deleted by the nightly purge.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.step_counts import MEASURE_LENGTH
from ..extensions import db
from .offices import OfficeOwned


class StepCount(OfficeOwned, db.Model):
    __tablename__ = "step_counts"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    dialogue_id: Mapped[str] = mapped_column(String(64))
    step_id: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(16))
    measure: Mapped[str] = mapped_column(String(MEASURE_LENGTH))
    count: Mapped[int] = mapped_column(Integer, default=0)

    # The upsert's conflict target (services/step_counts.py), and the office's reads by period.
    # Half of each page left free on PostgreSQL: a count's new version then fits beside the old one and is written
    # in place (HOT, `count` is in no index), not as a new entry in both indexes on every answer.
    __table_args__ = (
        UniqueConstraint("office_id", "day", "dialogue_id", "step_id", "locale", "measure", name="uq_step_counts_cell"),
        {"postgresql_with": {"fillfactor": 50}},
    )
