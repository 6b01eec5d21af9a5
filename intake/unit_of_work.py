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

Each unit of work belongs to one office (`use_office`): the staff member's, or the kiosk's. This is the one
office wall: every ORM statement about office-owned records (`_the_office_wall`) reads and changes that office's
rows only, and with no office known it is refused (`NoOfficeKnown`), as is a new record of no or another office.
On PostgreSQL every transaction also starts with `app.office_id` set to the office (`set_config(..., true)`,
local to the transaction), which the row-level security policies compare with each row's office: the second wall,
held by the database against the app's role, which owns nothing (intake/row_security.py). A kiosk's request says
it in the statement that reads its office's row (`read_as_this_units_office`), so the setting costs no round trip
of its own on the busiest path. Crossing offices is named and narrow: an account's office before the office is
known (`office_of_account`), or an operator's command going through every office in turn (`each_office`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import TypeVar

import click
import sqlalchemy as sa
from flask import Blueprint, Flask, has_app_context, render_template, request
from flask.cli import AppGroup
from flask_babel import gettext
from sqlalchemy import event, orm
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.sql import util as sql_util

from .domain.answers import N_
from .extensions import db
from .records.offices import OfficeOwned

T = TypeVar("T")
_KEEP_WHEN_REFUSED = "yorisoi.keep_when_refused"
_OFFICE = "yorisoi.office_id"
# What app.office_id says in the open transaction, as far as this session knows (PostgreSQL): no statement to repeat it.
_TOLD = "yorisoi.office_told"
# The value of app.office_id that lets a transaction see every office's rows (the policies name it too).
ALL_OFFICES = "all"


# Also the page of a stale write with no page of its own (stale_page).
# i18n: Shown when a form's security token is old or missing (a page kept open too long).
FORM_EXPIRED = N_("This page was open for too long or was sent twice. Please go back and try again.")


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


def read_as_this_units_office(select_office: sa.Select, params: dict | None = None) -> sa.Row | None:
    """The office row a request settles on (a Core SELECT of the offices table's columns), read so that on PostgreSQL
    the same statement also sets the transaction's app.office_id to that office: `use_office(office.id)`, which must
    still follow, then costs no statement of its own.

    For the request's own office only (web/offices.py): a command reading an office must not narrow its walls.
    The offices table is no office's records: the statement goes to the session's connection, past the ORM.
    """
    session = db.session()
    if session.autoflush:  # as an ORM read would: records added so far are written in the office they were added in
        session.flush()
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return connection.execute(select_office, params).first()
    telling = _TELLING.get(select_office)
    if telling is None:  # built once per statement: building it cost more than running it
        office = select_office.selected_columns[0].table
        told = sa.func.set_config("app.office_id", sa.cast(office.c.id, sa.String), True).label("yorisoi_told")
        telling = _TELLING[select_office] = select_office.add_columns(told)
    row = connection.execute(telling, params).first()
    if row is None:
        return None
    session.info[_TOLD] = row.yorisoi_told
    return row


_TELLING: dict[sa.Select, sa.Select] = {}


def office_in_use() -> int | None:
    """The office this unit of work belongs to (None: not known yet, or an account lookup across offices)."""
    office_id = db.session.info.get(_OFFICE)
    return office_id if isinstance(office_id, int) else None


class NoOfficeKnown(Exception):
    """A query, or a new record, of office-owned rows in a unit of work that belongs to no office yet.

    Refused rather than answered with every office's rows: settle the office first (`use_office`), or name
    the crossing (`across_offices`, `each_office`).
    """


# The crossings of the office wall there are, each with its reason; a name not listed here is refused.
# Account lookups: which office an account is in, before a request's or a command's office is known. They read
# an account's office and nothing else (on PostgreSQL through the owner's functions: the app's role sees one
# office only, whatever it sets app.office_id to; intake/row_security.py).
ACCOUNT_LOOKUPS = {
    "sign_in": "the username typed at sign-in",
    "unique_username": "whether a new username is taken in any office",
    "operator": "the account an operator's command names",
}
# An operator's command that works on every office: one office at a time, each office's audit log saying so.
OPERATOR_SCOPES = {
    "purge": "flask intake purge: what is due in every office (unfinished intakes, closed cases past retention)",
    "audit_verify": "flask intake audit verify: every office's audit chain",
    "users_list": "flask intake users list: every office's accounts",
    "office_list": "flask intake office list: every office's staff and cases",
}


@contextmanager
def across_offices(scope: str) -> Iterator[None]:
    """The ORM's office wall lifted for one account lookup (`scope`, one of ACCOUNT_LOOKUPS); then back to the office.

    Use `office_of_account`, which reads through it, rather than this: on PostgreSQL the app's role still sees
    only the transaction's office, as it should.
    """
    if scope not in ACCOUNT_LOOKUPS:
        raise ValueError(f"no such crossing of the office wall: {scope!r} (see unit_of_work.ACCOUNT_LOOKUPS)")
    before = db.session.info.get(_OFFICE)
    db.session.info[_OFFICE] = ALL_OFFICES
    try:
        yield
    finally:
        _back_to(before)


def _back_to(office: object) -> None:
    if office is None:
        db.session.info.pop(_OFFICE, None)
    else:
        db.session.info[_OFFICE] = office
    _set_office_in_transaction(db.session())


def office_of_account(scope: str, *, username: str) -> int | None:
    """The office of the staff account with this username, None if there is none: an account lookup (`scope`).

    On PostgreSQL, a function owned by the tables' owner answers (intake/row_security.py): the app's role cannot
    read another office's `users` rows, and learns nothing of them but the office's id.
    """
    from .records import User

    session = db.session()
    if session.get_bind().dialect.name == "postgresql":
        if scope not in ACCOUNT_LOOKUPS:
            raise ValueError(f"no such crossing of the office wall: {scope!r}")
        return session.scalar(_OFFICE_OF_USERNAME, {"username": username})
    query = sa.select(User.office_id).filter_by(username=username)
    with across_offices(scope):
        return session.scalar(query)


_OFFICE_OF_USERNAME = db.text("SELECT yorisoi_office_of_username(:username)")


@contextmanager
def office_kept() -> Iterator[None]:
    """Whatever office the block uses in turn (services.offices.each_office), the unit of work's office afterwards is
    the one before it."""
    before = db.session.info.get(_OFFICE)
    try:
        yield
    finally:
        if has_app_context():  # not when a command's output was cut short and the generator is collected later
            _back_to(before)


# Matches no office: the criteria of a statement with no office known (office-owned rows joined below its top level).
_NO_OFFICE = -1


def _names_office_owned(state: ORMExecuteState) -> bool:
    """Whether the statement is about office-owned records at its top level (`select(func.count()).select_from(Case)`
    names no entity among its columns: its tables tell)."""
    if state.all_mappers:
        return any(issubclass(mapper.class_, OfficeOwned) for mapper in state.all_mappers)
    return any("office_id" in table.c for table in sql_util.find_tables(state.statement, include_joins=True))


@event.listens_for(Session, "do_orm_execute")
def _the_office_wall(state: ORMExecuteState) -> None:
    """The office wall, once for every ORM statement: SELECT (relationship and column loads and `session.get`
    included), UPDATE and DELETE of an office-owned model read and change the unit of work's office's rows only.

    No office known: a statement about office-owned rows is refused (NoOfficeKnown), never answered for every
    office. The criterion is made once, its office id a parameter of each execution: one compiled statement
    serves every office (below).
    """
    if not (state.is_select or state.is_update or state.is_delete):
        return
    office = state.session.info.get(_OFFICE)
    if office == ALL_OFFICES:  # an account lookup (across_offices)
        return
    if not isinstance(office, int):
        if _names_office_owned(state):
            raise NoOfficeKnown(f"no office is known for this statement about office-owned records: {state.statement}")
        office = _NO_OFFICE
    state.statement = state.statement.options(_WALL)
    params = state.parameters
    if isinstance(params, list):  # executemany (an UPDATE of several rows by their keys): each row's parameters
        state.parameters = [{**row, _OFFICE_PARAMETER: office} for row in params]
    else:
        state.parameters = {**(params or {}), _OFFICE_PARAMETER: office}


# One criterion for every office and every statement, made once: the office id is a parameter of the execution,
# so one compiled statement serves every office. (A lambda with the office as a closure variable, made per
# statement, cost 160 µs a statement to analyse; made once per office, about 100 µs of extracting its value; this,
# about 40 µs. Measured here with SQLite, the machine busy.)
_OFFICE_PARAMETER = "yorisoi_office_wall"
_THE_OFFICE = sa.bindparam(_OFFICE_PARAMETER, type_=sa.Integer)
_WALL = orm.with_loader_criteria(
    OfficeOwned,
    lambda cls: cls.office_id == _THE_OFFICE,
    include_aliases=True,
    track_closure_variables=False,
)


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
    """A new office-owned record gets this unit of work's office; one of another office, or with no office known, is
    refused (NoOfficeKnown): nothing lands in an office by default."""
    office_id = session.info.get(_OFFICE)
    for record in session.new:
        if not isinstance(record, OfficeOwned):
            continue
        if record.office_id is None and isinstance(office_id, int):
            record.office_id = office_id
        elif record.office_id is None or (isinstance(office_id, int) and record.office_id != office_id):
            raise NoOfficeKnown(f"a new {type(record).__name__} of office {record.office_id} in office {office_id}")


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
            # A command starts in no office: it names one (use_office), an account (office_of_account) or goes
            # through every office in turn (each_office).
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
