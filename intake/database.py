"""Database wiring: engine options, SQLite pragmas for several workers, migrations, and the outage page.

PostgreSQL is the production database, SQLite the embedded default. The schema is owned by
Alembic (`flask db upgrade`, files in migrations/); `create_schema` stays for tests and demos.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import Flask, current_app, g
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DataError, DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from . import row_security
from .config import ROOT
from .domain.answers import N_
from .errors import error_response
from .extensions import db, migrate
from .i18n import message as text_for_screen  # with furigana on the kiosk's pages

SQLITE_BUSY_TIMEOUT_MS = 5000
POSTGRES_CONNECT_TIMEOUT_S = 5
MIGRATIONS = ROOT / "migrations"
RETRY_AFTER_S = 5
log = logging.getLogger(__name__)
# i18n: An error page or message when the database is briefly unreachable; the answer was not saved.
UNAVAILABLE = N_(
    "We could not reach our records just now, so your last answer was not saved. "
    "Your earlier answers are safe. Please try again in a moment."
)
# i18n: An error when a sent answer holds something the database refuses (the screen sent bad data).
REFUSED = N_("Some of what was sent cannot be stored. Please check it and try again.")
# On `g`: the database failed this request; the signed-in user is not read from it again (web/caseworker/access.py).
DATABASE_FAILED = "yorisoi_database_failed"


def no_user_from_the_database() -> None:
    """Rendering the error page must not ask the database for the signed-in user again: Flask-Login's user loader
    answers "nobody" for the rest of this request (a user read before the failure stays as it was)."""
    setattr(g, DATABASE_FAILED, True)


def configure(app: Flask) -> None:
    """Engine options, set before Flask-SQLAlchemy creates the engine."""
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    # A connection the server dropped (restart, failover) is replaced instead of failing one request.
    options.setdefault("pool_pre_ping", True)
    # Error messages and logs must not carry recipients' answers (special-care personal data).
    options.setdefault("hide_parameters", True)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("connect_timeout", POSTGRES_CONNECT_TIMEOUT_S)
        options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def init_app(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            event.listen(db.engine, "connect", _sqlite_pragmas)
            event.listen(db.engine, "savepoint", _sqlite_begin_before_savepoint)
    # SQLite cannot ALTER most things in place: batch mode copies the table instead.
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True, compare_type=True)
    # Only the errors of an unreachable or failing server: an IntegrityError is a bug, not an outage.
    for error in (OperationalError, InterfaceError, PoolTimeout):
        app.register_error_handler(error, _database_unavailable)
    app.register_error_handler(DataError, _data_refused)


def _sqlite_pragmas(connection, _record) -> None:
    """WAL lets readers and a writer work at once; the busy timeout waits instead of failing."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin_before_savepoint(connection, _name) -> None:
    """pysqlite sends BEGIN only before a write, never before SAVEPOINT: a savepoint that opened the
    transaction would commit everything when released. Begin first, as the request's edge expects."""
    if not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")


def _database_unavailable(error):
    """The database is away or failed mid-request: nothing was committed, so say so and ask to retry."""
    log.error("database unavailable: %s", error.__class__.__name__, exc_info=error)
    try:
        db.session.rollback()
    except DBAPIError:  # the connection is gone: there is nothing to roll back
        pass
    no_user_from_the_database()
    response = error_response(503, "database_unavailable", text_for_screen(UNAVAILABLE))
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    response.headers["Cache-Control"] = "no-store"
    return response


def _data_refused(error):
    """A value the database cannot hold (PostgreSQL refuses NUL bytes): the request was bad, nothing was written."""
    log.warning("database refused a value: %s", error.orig)
    db.session.rollback()
    no_user_from_the_database()
    return error_response(400, "bad_request", text_for_screen(REFUSED))


def owner_url(app: Flask) -> str:
    """The database URL schema changes run with: DATABASE_OWNER_URL's role owns the tables; the app's (DATABASE_URL)
    owns nothing (row_security.py). Without one, the app's own URL (SQLite, or a single role)."""
    return app.config.get("OWNER_DATABASE_URI") or app.config["SQLALCHEMY_DATABASE_URI"]


@contextmanager
def as_owner(app: Flask) -> Iterator[Connection]:
    """A connection as the tables' owner, in one transaction committed at the end (the app's engine when they are one)."""
    url = owner_url(app)
    if url == app.config["SQLALCHEMY_DATABASE_URI"]:
        with db.engine.begin() as connection:
            yield connection
        return
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def grant_the_app(connection: Connection) -> None:
    """As the owner, after the tables were made or migrated: on PostgreSQL, what the app's role may do, when the app
    connects as another role (as it should: row_security.py)."""
    if connection.dialect.name != "postgresql":
        return
    role = row_security.app_role(connection, current_app.config["SQLALCHEMY_DATABASE_URI"])
    if role is not None:
        row_security.grant(connection, role)


def create_schema() -> None:
    """Create missing tables directly from the models, as the owner, walled on PostgreSQL (tests and throwaway
    databases; use migrations elsewhere)."""
    with as_owner(current_app) as connection:
        db.metadata.create_all(connection)
        if connection.dialect.name == "postgresql":
            row_security.wall(connection, db.metadata)
        grant_the_app(connection)


def drop_schema() -> None:
    """Drop every table of the models, and Alembic's version table (tests), as the owner."""
    with as_owner(current_app) as connection:
        db.metadata.drop_all(connection)
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
