"""The migrations build the schema the models describe, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from intake.database import MIGRATIONS
from intake.extensions import db


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
