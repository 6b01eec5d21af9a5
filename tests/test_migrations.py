"""The migrations build the schema the models describe, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from databases import server_owner_url
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from intake.database import MIGRATIONS
from intake.extensions import db

OFFICE_OWNED = (
    "users",
    "intakes",
    "draft_plans",
    "cases",
    "case_intakes",
    "tickets",
    "worksheets",
    "plan_edits",
    "plan_versions",
    "plan_documents",
    "reviews",
    "audit_log",
)


@pytest.fixture
def app(make_app):
    """An app connected as the tables' owner (on PostgreSQL, DATABASE_OWNER_URL's role): these tests make, fill and
    drop the schema by hand, which the app's own role may not."""
    owner = server_owner_url()
    return make_app(SQLALCHEMY_DATABASE_URI=owner) if owner else make_app()


def test_upgrade_builds_what_the_models_describe_and_downgrade_removes_it(app):
    with app.app_context():
        db.drop_all()
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        upgrade(directory=str(MIGRATIONS))
        upgrade(directory=str(MIGRATIONS))  # a second run changes nothing (make run does it every time)
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert not differences, (
            "the models differ from the migrations: add one with "
            "`flask db migrate --rev-id NNNN -m '...'` (see migrations/README)\n" + "\n".join(map(str, differences))
        )
        downgrade(directory=str(MIGRATIONS), revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()


def test_make_run_upgrades_with_the_cli(app, runner):
    with app.app_context():
        db.drop_all()
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert {"intakes", "users", "draft_plans"} <= set(inspect(db.engine).get_table_names())
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()


def _a_value(column):
    """A value of the column's type (foreign keys point at row 1 of the table they name)."""
    kind = column.type.python_type if not isinstance(column.type, sa.JSON) else dict
    if column.foreign_keys or kind is int:
        return 1
    return {
        str: "x",
        bool: True,
        float: 1.0,
        dict: {"kept": "yes"},
        bytes: b"%PDF",
        datetime: datetime(2026, 4, 1, 9, 0, tzinfo=UTC),
        date: date(2026, 4, 1),
    }[kind]


def test_a_single_office_database_moves_into_the_main_office_with_nothing_lost(app):
    """Made with the schema before offices owned records (0006), one row in every table; then upgraded to the newest."""
    with app.app_context():
        db.drop_all()
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        upgrade(directory=str(MIGRATIONS), revision="0006")
        old = sa.MetaData()
        old.reflect(bind=db.engine)
        before = {}
        with db.engine.begin() as connection:
            for table in old.sorted_tables:
                if table.name in ("alembic_version", "offices"):
                    continue
                row = {column.name: _a_value(column) for column in table.columns if not column.nullable or column.foreign_keys}
                if "id" in table.c:
                    row["id"] = 1
                connection.execute(table.insert().values(**row))
                before[table.name] = _rows(connection, table.name)
        upgrade(directory=str(MIGRATIONS))
        with db.engine.connect() as connection:
            main = connection.execute(sa.text("SELECT id FROM offices WHERE code = 'main'")).scalar_one()
            for name, rows in before.items():
                after = _rows(connection, name)
                if name in OFFICE_OWNED:
                    assert [row.pop("office_id") for row in after] == [main] * len(rows), name
                if name == "audit_log":  # 0013 chains the entries already there
                    assert [(row.pop("seq"), len(row.pop("hash"))) for row in after] == [(1, 64)] * len(rows)
                # Columns that later migrations add (0016: users' second factor) start at their defaults.
                after = [{key: row[key] for key in rows[0]} for row in after] if rows else after
                assert after == rows, name
        assert set(OFFICE_OWNED) <= set(before)
        downgrade(directory=str(MIGRATIONS), revision="base")
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()


def _rows(connection, table: str) -> list[dict]:
    return [dict(row._mapping) for row in connection.execute(sa.text(f"SELECT * FROM {table} ORDER BY 1"))]


def test_an_offices_own_catalogue_keeps_its_version_when_it_moves_onto_the_office(app):
    """0009: program_catalogues' version moves onto the office's row (NULL where an office has no own catalogue);
    downgrading puts the row back."""

    def catalogue_rows(connection) -> dict[str, int | None]:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT set_config('app.office_id', 'all', true)"))
        return dict(connection.execute(sa.text("SELECT office_id, version FROM program_catalogues")).all())

    with app.app_context():
        db.drop_all()
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        upgrade(directory=str(MIGRATIONS), revision="0008")
        with db.engine.begin() as connection:
            main = connection.execute(sa.text("SELECT id FROM offices WHERE code = 'main'")).scalar_one()
            other = connection.execute(
                sa.text("INSERT INTO offices (code, name, head_title, time_zone, created_at, kiosk_key) "
                        "VALUES ('north', '北福祉事務所', '', 'Asia/Tokyo', CURRENT_TIMESTAMP, 'k') RETURNING id")
            ).scalar_one()
            if connection.dialect.name == "postgresql":
                connection.execute(sa.text("SELECT set_config('app.office_id', 'all', true)"))
            connection.execute(
                sa.text("INSERT INTO program_catalogues (office_id, version, updated_at) VALUES (:o, 7, CURRENT_TIMESTAMP)"),
                {"o": other},
            )
        upgrade(directory=str(MIGRATIONS))
        with db.engine.connect() as connection:
            versions = dict(connection.execute(sa.text("SELECT id, program_catalogue_version FROM offices")).all())
        assert versions == {main: None, other: 7}
        downgrade(directory=str(MIGRATIONS), revision="0008")
        with db.engine.begin() as connection:
            assert catalogue_rows(connection) == {other: 7}
        downgrade(directory=str(MIGRATIONS), revision="base")
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()


def test_the_entries_already_logged_are_chained_in_order_and_verify(app, runner):
    """0013: each office's existing entries get their places and hashes in the order of their ids; the app's check
    agrees with the migration's hashes, and the next entry continues the chain."""
    with app.app_context():
        db.drop_all()
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        upgrade(directory=str(MIGRATIONS), revision="0010")
        with db.engine.begin() as connection:
            main = connection.execute(sa.text("SELECT id FROM offices WHERE code = 'main'")).scalar_one()
            north = connection.execute(
                sa.text("INSERT INTO offices (code, name, head_title, time_zone, created_at, kiosk_key) "
                        "VALUES ('north', '北福祉事務所', '', 'Asia/Tokyo', CURRENT_TIMESTAMP, 'k') RETURNING id")
            ).scalar_one()
            if connection.dialect.name == "postgresql":
                connection.execute(sa.text("SELECT set_config('app.office_id', 'all', true)"))
            for office, detail in ((main, "一"), (north, "北の一"), (main, "二"), (main, "三"), (north, "北の二")):
                connection.execute(
                    sa.text("INSERT INTO audit_log (office_id, at, action, detail) VALUES (:o, :at, 'view', :d)"),
                    {"o": office, "at": datetime(2026, 4, 1, 9, 0, 0, 123456, tzinfo=UTC), "d": detail},
                )
        upgrade(directory=str(MIGRATIONS))
        with db.engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(sa.text("SELECT set_config('app.office_id', 'all', true)"))
            places = connection.execute(sa.text("SELECT detail, seq FROM audit_log ORDER BY id")).all()
            heads = dict(connection.execute(sa.text("SELECT code, audit_seq FROM offices")).all())
        assert [tuple(p) for p in places] == [("一", 1), ("北の一", 1), ("二", 2), ("三", 3), ("北の二", 2)]
        assert heads == {"main": 3, "north": 2}
    verified = runner.invoke(args=["intake", "audit", "verify"])
    assert verified.exit_code == 0 and "audit log intact: 5 entries in 2 office(s)" in verified.output
    with app.app_context():
        from intake.services.audit_log import audit
        from intake.unit_of_work import use_office

        use_office(north)
        audit(None, None, "view", "after the migration", office_id=north)
        db.session.commit()
    verified = runner.invoke(args=["intake", "audit", "verify"])
    # Two entries migrated, the first verify's own line (an operator's command over every office), one more.
    assert verified.exit_code == 0 and "north: 4 entries" in verified.output
    with app.app_context():
        downgrade(directory=str(MIGRATIONS), revision="base")
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
