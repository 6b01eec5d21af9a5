"""One unit of work: each request and each `flask intake` command is one transaction, committed once at its edge.

Services add, change and flush records; they never commit or roll back. The edge decides:

- A request: the view runs, its return value becomes the response, and *then* (still inside Flask's
  dispatch, before `after_request` hooks and before anything is sent) a status below 400 commits and
  any other status rolls back. A redirect after a POST is therefore committed before the client can
  follow it, and a refused request (422, 409, 404…) changes nothing. A view that raises is never
  committed: the error handler's page is drawn after a rollback. A commit that fails goes to the
  error handlers like any other error (an unreachable database gives the 503 page).
  One exception, named where it is used: `keep_when_refused()` keeps a record of the refusal itself
  (a wrong receipt code counts toward the limit although the answer is 422).
- A command: committed when it returns, rolled back when it raises (`CommandGroup`). A long job may
  commit between its parts by calling `commit` (the nightly purge, batch by batch).
- A retry after a unique collision (a random code that is taken) runs in a SAVEPOINT
  (`retry_on_collision`), so the collision undoes that attempt only, never the request's earlier work.
  On SQLite, database.py begins the transaction before a SAVEPOINT (pysqlite would not, and the
  savepoint's release would then commit).
- Someone else's write between our read and our write (a version column moved, or a form's version
  is old) is one error, `StaleWrite`, raised by a service or by the commit itself. One handler rolls
  back and draws the page its blueprint names with `stale_page`: a 409 with the record as it is now
  (the API: JSON with the current step; the worksheet and account pages: the page with a message);
  the kiosk, post/redirect/get as ever, goes to where the intake is now with a message.

Rate-limit counts are not part of it: they are kept on their own connection (ratelimits.py).

Each unit of work belongs to one office (`use_office`): the staff member's, or the kiosk's. New records
without an office get it, and on PostgreSQL every transaction starts with `app.office_id` set to it
(`set_config(..., true)`, local to the transaction), which the row-level security policies of migration
0007 compare with each row's office: a query that forgets its office filter still sees nothing of
another office. A kiosk's request says it in the statement that reads its office's row
(`read_as_this_units_office`), so the setting costs no round trip of its own on the busiest path. The few lookups that must cross offices (a username at sign-in, the nightly purge, an
operator's command) say so with `across_offices()`. SQLite has no such policies: there the filters in
the services are the only wall, as they are the first one everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

import click
import sqlalchemy as sa
from flask import Blueprint, Flask, render_template, request
from flask.cli import AppGroup
from flask_babel import gettext
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .extensions import db
from .security import FORM_EXPIRED

T = TypeVar("T")
_KEEP_WHEN_REFUSED = "yorisoi.keep_when_refused"
_OFFICE = "yorisoi.office_id"
# What app.office_id says in the open transaction, as far as this session knows (PostgreSQL): no statement to repeat it.
_TOLD = "yorisoi.office_told"
# The value of app.office_id that lets a transaction see every office's rows (the policies name it too).
ALL_OFFICES = "all"


class StaleWrite(Exception):
    """Someone else changed the record after this request read it: nothing of this request is stored."""


def commit() -> None:
    """Commit the unit of work; a record whose version moved meanwhile refuses it whole (StaleWrite)."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise StaleWrite() from None


# --- the office --------------------------------------------------------------------------------------


def use_office(office_id: int) -> None:
    """From here on this unit of work is the office's: its new records and, on PostgreSQL, the rows it can see."""
    db.session.info[_OFFICE] = office_id
    _set_office_in_transaction(db.session())


def read_as_this_units_office(select_office: sa.Select) -> Any:
    """The office row a request settles on, read so that on PostgreSQL the same statement also sets the transaction's
    app.office_id to that office: `use_office(office.id)`, which must still follow, then costs no statement of its own.

    For the request's own office only (web/offices.py): a command reading an office must not narrow its walls.
    """
    session = db.session()
    if session.get_bind().dialect.name != "postgresql":
        return session.scalar(select_office)
    office = select_office.selected_columns[0].table
    told = sa.func.set_config("app.office_id", sa.cast(office.c.id, sa.String), True)
    row = session.execute(select_office.add_columns(told)).first()
    if row is None:
        return None
    session.info[_TOLD] = row[1]
    return row[0]


def office_in_use() -> int | None:
    """The office this unit of work belongs to (None: not known yet, or every office)."""
    office_id = db.session.info.get(_OFFICE)
    return office_id if isinstance(office_id, int) else None


@contextmanager
def across_offices(scope: str = "") -> Iterator[None]:
    """A lookup that must see every office's rows (a username at sign-in, the purge); then back to the office.

    `scope` names why ("sign_in", "purge", …): every crossing of the office wall says what it is for.
    """
    before = db.session.info.get(_OFFICE)
    db.session.info[_OFFICE] = ALL_OFFICES
    _set_office_in_transaction(db.session())
    try:
        yield
    finally:
        if before is None:
            db.session.info.pop(_OFFICE, None)
        else:
            db.session.info[_OFFICE] = before
        _set_office_in_transaction(db.session())


def _office_setting(session: Session) -> str:
    office_id = session.info.get(_OFFICE)
    return "" if office_id is None else str(office_id)


def _set_office_in_transaction(session: Session) -> None:
    """Tell PostgreSQL at once when a transaction is already open (and not told so already); else `_office_on_begin` will."""
    if session.in_transaction() and session.get_bind().dialect.name == "postgresql":
        if session.info.get(_TOLD) != _office_setting(session):
            _tell(session, session.execute)


def _tell(session: Session, execute) -> None:
    """Set app.office_id to this unit of work's office (through the session, or the connection beginning its
    transaction) and remember what it says now."""
    setting = _office_setting(session)
    execute(_SET_OFFICE, {"office": setting})
    session.info[_TOLD] = setting


_SET_OFFICE = db.text("SELECT set_config('app.office_id', :office, true)")


@event.listens_for(Session, "after_begin")
def _office_on_begin(session: Session, _transaction, connection) -> None:
    """Every transaction on PostgreSQL starts knowing its office: the row-level security policies read it.

    Not yet known (a request's first statement looks the office up): nothing to say, and one round trip
    saved. The setting is local to a transaction, so a new one starts without it, which the policies read
    as "no office" and `use_office` replaces as soon as the office is known.
    """
    if connection.dialect.name == "postgresql" and _OFFICE in session.info:
        _tell(session, connection.execute)


@event.listens_for(Session, "after_transaction_end")
def _forget_what_was_told(session: Session, _transaction) -> None:
    """A transaction's end (a savepoint's too, whose rollback undoes a set_config) leaves app.office_id unknown:
    the next `use_office` says it again rather than trust it."""
    session.info.pop(_TOLD, None)


@event.listens_for(Session, "before_flush")
def _new_records_get_the_office(session: Session, _context, _instances) -> None:
    """A new office-owned record without an office gets this unit of work's (else the installation's own)."""
    from .records import OfficeOwned

    pending = [record for record in session.new if isinstance(record, OfficeOwned) and record.office_id is None]
    if not pending:
        return
    office_id = session.info.get(_OFFICE)
    if not isinstance(office_id, int):
        from .services.offices import default_office_id

        office_id = default_office_id(session)
    for record in pending:
        record.office_id = office_id


def keep_when_refused() -> None:
    """Commit this request even though its answer refuses it: for a record of the refusal itself, nothing else."""
    db.session.info[_KEEP_WHEN_REFUSED] = True


def end_request(status: int) -> None:
    """The request's edge: below 400 (or a refusal to keep) commits, anything else rolls back."""
    if status < 400 or db.session.info.pop(_KEEP_WHEN_REFUSED, False):
        commit()
    else:
        db.session.rollback()


class OneTransactionPerRequest(Flask):
    """Flask whose every view is one transaction, ended by `end_request` before the response leaves the view."""

    def dispatch_request(self):
        response = self.make_response(super().dispatch_request())
        end_request(response.status_code)
        return response


def retry_on_collision(make: Callable[[], T], attempts: int) -> T:
    """`make()` adds a record with a random unique code; a collision undoes that attempt only and draws again."""
    for attempt in range(attempts):
        try:
            with db.session.begin_nested():
                return make()
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


# --- commands -------------------------------------------------------------------------------------


def one_command(command: Callable) -> Callable:
    """Run a command in one transaction: committed when it returns, rolled back when it fails."""

    @wraps(command)
    def run(*args, **kwargs):
        try:
            # An operator's command may reach every office; one that works for an office says which (use_office).
            db.session.info[_OFFICE] = ALL_OFFICES
            result = command(*args, **kwargs)
        except BaseException:
            db.session.rollback()
            raise
        try:
            commit()
        except StaleWrite:
            raise click.ClickException("someone changed the same records meanwhile; nothing was stored") from None
        return result

    return run


class CommandGroup(AppGroup):
    """A `flask` command group whose commands that need the app each run in one transaction (`one_command`)."""

    def command(self, *args, **kwargs):
        register = super().command(*args, **kwargs)
        if not kwargs.get("with_appcontext", True):
            return register
        return lambda command: register(one_command(command))


# --- the 409 -----------------------------------------------------------------------------------------

_STALE_PAGES: dict[str, Callable[[], object]] = {}


def stale_page(blueprint: Blueprint):
    """Name how `blueprint` shows a stale write: called after the rollback, it draws the page as it is now."""

    def register(show: Callable[[], object]) -> Callable[[], object]:
        _STALE_PAGES[blueprint.name] = show
        return show

    return register


def _stale_write(_error):
    """The one place a stale write becomes a 409: roll back, then the blueprint's page as the records are now."""
    db.session.rollback()
    show = _STALE_PAGES.get(request.blueprint or "")
    if show is not None:
        return show()
    return render_template("error.html", message=gettext(FORM_EXPIRED)), 409


def init_app(app: Flask) -> None:
    # A StaleDataError reaches a handler unwrapped when a query's autoflush meets it inside a view.
    for error in (StaleWrite, StaleDataError):
        app.register_error_handler(error, _stale_write)
