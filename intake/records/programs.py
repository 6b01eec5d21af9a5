"""An office's own individual support programs (個別支援プログラム), kept on the web by its admin.

Until an office's admin first changes its catalogue, the office uses the installation's
dialogues/programs.yaml as it is (no rows here). The first change copies that file into rows for the
office, with the texts recipients read in every language the catalogues had, and from then on these
rows are the office's catalogue. The office's own texts are Japanese (what its staff write); a
translation is kept with the Japanese it was made from, so it counts only while that text is unchanged.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .clock import utcnow
from .offices import OfficeOwned


class OfficeProgram(OfficeOwned, db.Model):
    """One program of an office; the fields are those of a program in programs.yaml."""

    __tablename__ = "programs"
    __table_args__ = (UniqueConstraint("office_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    # The program id plans store (programs.yaml's `id`): never changes once a plan may name it.
    key: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)  # the list's order (ties in the ranking keep it)
    name: Mapped[str] = mapped_column(String(200))
    group: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text)  # the support text
    action: Mapped[str] = mapped_column(Text)  # the suggested first action
    barriers: Mapped[list[str]] = mapped_column(JSON, default=list)
    goal_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    report_lines: Mapped[list[str]] = mapped_column(JSON, default=list)
    always_for: Mapped[list[str]] = mapped_column(JSON, default=list)
    answers: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    ages: Mapped[list[str]] = mapped_column(JSON, default=list)
    employment: Mapped[bool] = mapped_column(Boolean, default=False)
    # Conditions on facts from the answers, each a rule of the catalogue's vocabulary (None: no condition).
    require: Mapped[dict | None] = mapped_column(JSON)
    exclude: Mapped[dict | None] = mapped_column(JSON)
    # Retired: no longer offered or suggested; plans that name it still show its name.
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    # Two admins editing one program: the second save from a stale form is refused, not merged.
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}


class ProgramText(OfficeOwned, db.Model):
    """A program's name, support text or first action in one recipient language, and the office text it translates."""

    __tablename__ = "program_texts"
    __table_args__ = (UniqueConstraint("program_id", "locale", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    locale: Mapped[str] = mapped_column(String(16))
    field: Mapped[str] = mapped_column(String(16))  # name, description or action
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)  # the office's text when this was translated
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
