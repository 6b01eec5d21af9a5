"""The tests' databases: which server, if any (DATABASE_URL's, a database of each test process's own), and what
statements an app runs against its database."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from intake.extensions import db


@functools.cache
def server_database_url() -> str | None:
    """The database server DATABASE_URL names (None: none, SQLite files it is), a database of this process's own, as
    the app connects to it: DATABASE_URL's role, which owns nothing (intake/row_security.py).

    `make test` runs two test processes (pytest-xdist); every test empties the database it uses, so each process
    gets one beside DATABASE_URL's (yorisoi_test_gw0, yorisoi_test_gw1), made here if missing by the owner's role
    (DATABASE_OWNER_URL, else DATABASE_URL's), which needs CREATEDB (.ci/run gives it).
    """
    url = os.environ.get("DATABASE_URL")
    if not url or not url.startswith("postgresql"):
        return url or None
    own = _own(url)
    owner = server_owner_url()
    server = sa.create_engine(make_url(owner).set(database=make_url(url).database), isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with server.connect() as connection:
        exists = connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own.database})
        if not exists:
            connection.exec_driver_sql(f'CREATE DATABASE "{own.database}"')
    server.dispose()
    return own.render_as_string(hide_password=False)


@functools.cache
def server_owner_url() -> str | None:
    """This process's database as its tables' owner sees it (DATABASE_OWNER_URL; DATABASE_URL's role without one)."""
    url = os.environ.get("DATABASE_URL")
    if not url or not url.startswith("postgresql"):
        return None
    return _own(os.environ.get("DATABASE_OWNER_URL") or url).render_as_string(hide_password=False)


def _own(url: str):
    given = make_url(url)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return given.set(database=f"{given.database}_{worker}") if worker else given


@contextmanager
def statements_run(app) -> Iterator[list[str]]:
    """The SQL statements the app sends to its database while the block runs, in order (the list fills as they run)."""
    run: list[str] = []

    def record(_connection, _cursor, statement, *_rest) -> None:
        run.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield run
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
