"""The offices a service hosts: finding the installation's own office (creating it on a fresh database), listing, creating."""

from __future__ import annotations

import re
from collections.abc import Iterator

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session, make_transient_to_detached

from ..extensions import db
from ..records import DEFAULT_OFFICE_CODE, Office
from ..records.offices import new_kiosk_key
from ..unit_of_work import OPERATOR_SCOPES, commit, office_kept, read_as_this_units_office, use_office
from .audit_log import audit

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")


class OfficeError(Exception):
    """An office that cannot be made as asked; the message says why, in the operator's English."""


def each_office(scope: str) -> Iterator[Office]:
    """An operator's command over every office (`scope`, one of unit_of_work.OPERATOR_SCOPES): each office in turn is
    the unit of work's, so no statement ever sees two offices; each office's audit log records the command."""
    if scope not in OPERATOR_SCOPES:
        raise ValueError(f"no such operator's scope: {scope!r} (see unit_of_work.OPERATOR_SCOPES)")
    with office_kept():
        for office in db.session.scalars(sa.select(Office).order_by(Office.code)).all():
            use_office(office.id)
            yield office
            # After the office's work, so that a command reading the audit log (audit verify) reads it as it was;
            # committed while the office is still the unit of work's (its audit chain is written at the commit).
            audit(None, None, "operator", scope)
            commit()


def default_office(*, settling: bool = False) -> Office:
    """The installation's own office ("main"): migration 0006 makes it; a schema made from the models gets it here.

    One read when it exists, as it does after the first request: every request of an unenrolled kiosk asks.
    `settling`: the request settles on this office (unit_of_work.read_as_this_units_office).
    """
    office = _settle(_DEFAULT_OFFICE_ROW) if settling else db.session.scalar(_DEFAULT_OFFICE)
    return office if office is not None else db.session.get(Office, default_office_id(db.session))


_DEFAULT_OFFICE = db.select(Office).filter_by(code=DEFAULT_OFFICE_CODE)
_BY_CODE = db.select(Office).where(Office.code == sa.bindparam("code"))
_OFFICES = Office.__table__
_DEFAULT_OFFICE_ROW = sa.select(*_OFFICES.c).where(_OFFICES.c.code == DEFAULT_OFFICE_CODE)
_ROW_BY_CODE = sa.select(*_OFFICES.c).where(_OFFICES.c.code == sa.bindparam("code"))
# The office rows this worker's requests settled on, by id, each with the copy made from it (see _settle).
_SETTLED = "yorisoi.settled_offices"
_KEYS = tuple(column.key for column in _OFFICES.c)


def _settle(statement, params: dict | None = None) -> Office | None:
    """The office a kiosk's request settles on, as a copy this worker keeps while the office's row is unchanged.

    Every request reads the row anyway (unit_of_work.read_as_this_units_office), with one Core statement; the copy
    made from it is reused as long as the row reads the same, column for column, so a change of any setting (or of
    the program catalogue's version) is seen by the next request. What it saves is building the record each
    request (bench/profile_step.py). The copy is detached: read its settings; a page that changes the office (the
    admin's, signed in) works on the office its session reads (web/offices.py).
    """
    row = read_as_this_units_office(statement, params)
    if row is None:
        return None
    values = dict(zip(_KEYS, row, strict=False))
    settled: dict[int, Office] = current_app.extensions.setdefault(_SETTLED, {})
    known = settled.get(row.id)
    # Compared with the copy as it is now: a request may have told it a new value (the purge's purged_at).
    if known is not None and all(getattr(known, key) == value for key, value in values.items()):
        return known
    office = Office(**values)
    make_transient_to_detached(office)  # as if loaded: nothing of it is left to write
    settled[office.id] = office
    return office


def default_office_id(session: Session) -> int:
    """The id of the installation's office, made on the spot (with a plain INSERT, so even during a flush) if missing."""
    with session.no_autoflush:
        office_id = session.scalar(db.select(Office.id).filter_by(code=DEFAULT_OFFICE_CODE))
    if office_id is None:
        office_id = session.connection().execute(
            db.insert(Office)
            .values(
                code=DEFAULT_OFFICE_CODE,
                name=current_app.config["OFFICE_NAME"],
                head_title="",
                time_zone=current_app.config["BABEL_DEFAULT_TIMEZONE"],
                kiosk_key=new_kiosk_key(),
            )
            .returning(Office.id)
        ).scalar_one()
    return office_id


def find_office(code: str, *, settling: bool = False) -> Office | None:
    """The office with this code; `settling`: as for default_office."""
    return _settle(_ROW_BY_CODE, {"code": code}) if settling else db.session.scalar(_BY_CODE, {"code": code})


def all_offices() -> list[Office]:
    return list(db.session.scalars(db.select(Office).order_by(Office.code)))


def only_office() -> bool:
    """Whether this service hosts one office alone (the single-office install: kiosks need no enrolment)."""
    return db.session.scalar(db.select(db.func.count(Office.id))) <= 1


def create_office(code: str, *, name: str, head_title: str = "", time_zone: str | None = None) -> Office:
    code = (code or "").strip().lower()
    if not CODE_PATTERN.match(code):
        raise OfficeError("an office code is 1-32 lowercase letters, digits and hyphens, starting with a letter or digit")
    if not (name or "").strip():
        raise OfficeError("an office needs a name")
    if find_office(code) is not None:
        raise OfficeError(f"there is already an office '{code}'")
    default_office_id(db.session)  # the installation's own office comes first
    office = Office(
        code=code,
        name=name.strip(),
        head_title=(head_title or "").strip(),
        time_zone=time_zone or current_app.config["BABEL_DEFAULT_TIMEZONE"],
    )
    db.session.add(office)
    db.session.flush()
    return office
