"""PostgreSQL's half of the office wall: row-level security on every office-owned table, and the app's role's grants.

The first wall is the ORM's (unit_of_work.py: every query of an office-owned model is its unit of work's office's).
This is the second, kept by the database itself for a query that goes around the ORM:

- The web app connects as a role that owns nothing (DATABASE_URL); the tables belong to the role migrations run
  as (DATABASE_OWNER_URL). The owner is not held to the policies (it could switch them off anyway); the app's
  role is, and cannot switch them off, drop them or `SET row_security = off`.
- A row of an office-owned table is visible and writable only when its `office_id` is the transaction's
  `app.office_id` (unit_of_work.py sets it). No value of it shows two offices: 'all', an empty or a made-up
  value shows none.
- Before its office is known, a request may learn which office a username is in, and nothing else about it:
  a function owned by the owner (SECURITY DEFINER) answers with the office's id (unit_of_work.office_of_account).

Migration 0011 makes these on a migrated database (0019 drops its second account function, by id, which nothing
asked); `create_schema` (tests, `flask intake init-db`) makes the same from here, for every table with an
`office_id` column, so a future office-owned table is walled in both.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

POLICY = "office_id = yorisoi_current_office()"

FUNCTIONS = (
    # The transaction's office; NULL (no row at all) unless app.office_id is an office's id.
    """CREATE OR REPLACE FUNCTION yorisoi_current_office() RETURNS integer LANGUAGE sql STABLE AS $$
         SELECT CASE WHEN current_setting('app.office_id', true) ~ '^[0-9]{1,9}$'
                     THEN current_setting('app.office_id', true)::integer END $$""",
    """CREATE OR REPLACE FUNCTION yorisoi_office_of_username(name text) RETURNS integer
         LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
         SELECT office_id FROM users WHERE username = name $$""",
    # Only the roles granted it (the app's) may ask: PUBLIC may execute any new function by default.
    "REVOKE EXECUTE ON FUNCTION yorisoi_office_of_username(text) FROM PUBLIC",
)
ACCOUNT_FUNCTION = "yorisoi_office_of_username(text)"


def walled_tables(metadata: sa.MetaData) -> list[str]:
    """Every table that holds an office's rows: those with an `office_id` column."""
    return [table.name for table in metadata.sorted_tables if "office_id" in table.c]


def table_statements(table: str) -> list[str]:
    """The wall on one table, made again from scratch (a second run changes nothing)."""
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        # The owner is not held: the web app never connects as the owner (docs/deployment.md).
        f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS office_wall ON {table}",
        f"CREATE POLICY office_wall ON {table} USING ({POLICY}) WITH CHECK ({POLICY})",
    ]


def wall(connection: Connection, metadata: sa.MetaData) -> None:
    """Row-level security on every office-owned table of `metadata` (run as the tables' owner)."""
    for statement in FUNCTIONS:
        connection.exec_driver_sql(statement)
    for table in walled_tables(metadata):
        for statement in table_statements(table):
            connection.exec_driver_sql(statement)


def grant(connection: Connection, role: str) -> None:
    """What the app's role may do: read and write the rows of the app's tables (the walls decide which), use their
    sequences and ask the account function; nothing else (no DDL, no ownership, not Alembic's version table)."""
    quoted = connection.dialect.identifier_preparer.quote(role)
    tables = connection.exec_driver_sql(
        "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'alembic_version'"
    ).scalars()
    for table in tables.all():
        connection.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {quoted}")
    sequences = connection.exec_driver_sql(
        "SELECT quote_ident(sequence_name) FROM information_schema.sequences WHERE sequence_schema = current_schema()"
    ).scalars()
    for sequence in sequences.all():
        connection.exec_driver_sql(f"GRANT USAGE, SELECT ON SEQUENCE {sequence} TO {quoted}")
    if connection.scalar(sa.text("SELECT to_regprocedure('yorisoi_office_of_username(text)') IS NOT NULL")):
        connection.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION {ACCOUNT_FUNCTION} TO {quoted}")


def app_role(connection: Connection, app_url: str) -> str | None:
    """The app's role when it is not the one connected here (the owner): the role to grant; None when they are one."""
    user = sa.engine.make_url(app_url).username
    if not user or user == connection.scalar(sa.text("SELECT current_user")):
        return None
    return user
