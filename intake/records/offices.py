"""Welfare offices (福祉事務所): one service can host several, each with its own staff, cases and settings.

An office's settings here override the installation's defaults (intake/config.py) for that office only;
a column left empty (NULL) means "the installation's default", so a single-office install needs none.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, event, true
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from ..extensions import db
from .clock import utcnow

# The office an existing single-office database moves into, and the one `make run` and the tests start with.
DEFAULT_OFFICE_CODE = "main"


def new_kiosk_key() -> str:
    return secrets.token_urlsafe(24)


class Office(db.Model):
    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Short, stable and typed by operators (`flask intake office create CODE`): letters, digits, hyphens.
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))  # e.g. 〇〇市福祉事務所
    # The addressee line of the plan sheet is "<head_title> 殿", e.g. 〇〇市福祉事務所長.
    head_title: Mapped[str] = mapped_column(String(200), default="")
    time_zone: Mapped[str] = mapped_column(String(64), default="Asia/Tokyo")
    # Locale ids offered at this office's kiosks (a subset of LANGUAGES); NULL offers them all.
    languages: Mapped[list[str] | None] = mapped_column(JSON)
    walk_in_allowed: Mapped[bool | None] = mapped_column(Boolean)
    idle_seconds: Mapped[int | None] = mapped_column(Integer)
    idle_warning_seconds: Mapped[int | None] = mapped_column(Integer)
    # Overrides of data/plan_sheet.yaml's labels (key → Japanese label), for an office whose sheet differs.
    sheet_labels: Mapped[dict[str, str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Part of every kiosk enrolment the office's admin hands out (web/offices.py): a new key ends the old ones.
    kiosk_key: Mapped[str] = mapped_column(String(64), default=new_kiosk_key)
    # NULL: the office offers dialogues/programs.yaml as installed. N: its own catalogue (records/programs.py)
    # at version N, raised by every change, so each worker's cached copy is checked by the read of this row
    # that every request makes anyway (web/offices.py).
    program_catalogue_version: Mapped[int | None] = mapped_column(Integer)
    # Years a closed case and its plans are kept after closing (NULL: CASE_RETENTION_YEARS), then purged.
    case_retention_years: Mapped[int | None] = mapped_column(Integer)
    # When a request last claimed this office's automatic purge (services/retention.py): one worker at a time.
    purged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The head of the office's audit chain (records/audit_chain.py): how many entries, and the last one's hash.
    # Moved in the transaction that adds entries, which locks this row: two requests never fork the chain.
    audit_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    audit_head: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # How long the anonymous step counts are kept (records/step_counts.py); NULL: COUNTS_KEEP_MONTHS.
    counts_keep_months: Mapped[int | None] = mapped_column(Integer)
    # Staff sign in with a one-time code as well as the password (services/second_factor.py): on unless turned off.
    second_factor_required: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    @property
    def addressee(self) -> str:
        return f"{self.head_title or self.name + '長'} 殿"


class OfficeOwned:
    """A record that belongs to exactly one office: staff, cases and everything of a case, intakes, the audit log.

    No query names its office: every ORM statement about these records is filtered to the unit of work's office in
    one place (unit_of_work.py), and refused when no office is known; on PostgreSQL a row-level security policy on
    the same column (intake/row_security.py, keyed by the transaction's `app.office_id`) is the second wall. A new
    record without an office gets the unit of work's office.
    """

    @declared_attr
    def office_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("offices.id"), index=True)


@event.listens_for(Office.__table__, "after_create")
def _the_installation_office(table, connection, **_kw) -> None:
    """A schema made from the models (tests, `init-db`) starts with the installation's office, as migration 0006 does."""
    from flask import current_app, has_app_context

    config = current_app.config if has_app_context() else {}
    connection.execute(
        table.insert().values(
            code=DEFAULT_OFFICE_CODE,
            name=config.get("OFFICE_NAME") or "福祉事務所",
            head_title="",
            time_zone=config.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Tokyo",
            kiosk_key=new_kiosk_key(),
            created_at=utcnow(),
        )
    )
