"""The offices a service hosts: finding the installation's own office (creating it on a fresh database)."""

from __future__ import annotations

from flask import current_app

from ..extensions import db
from ..records import DEFAULT_OFFICE_CODE, Office


def default_office() -> Office:
    """The installation's own office ("main"): migration 0006 makes it; a schema made from the models gets it here."""
    office = db.session.execute(db.select(Office).filter_by(code=DEFAULT_OFFICE_CODE)).scalar_one_or_none()
    if office is None:
        office = Office(
            code=DEFAULT_OFFICE_CODE,
            name=current_app.config["OFFICE_NAME"],
            time_zone=current_app.config["BABEL_DEFAULT_TIMEZONE"],
        )
        db.session.add(office)
        db.session.flush()
    return office


def find_office(code: str) -> Office | None:
    return db.session.execute(db.select(Office).filter_by(code=code)).scalar_one_or_none()
