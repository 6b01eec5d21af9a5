"""The second wall: on PostgreSQL, row-level security hides another office's rows from a query that forgets its filter.

The schema comes from the migrations (which make the policies), run as the tables' owner (DATABASE_OWNER_URL);
the app connects as a role that owns nothing (DATABASE_URL), as .ci/run and docs/deployment.md set it up. The
first wall, the ORM's, is tests/test_office_wall.py's on both databases; tests/test_authorization.py walks every
route with two offices.
"""

from __future__ import annotations

import os

import pytest
from conftest import office_today
from databases import statements_run
from flask_migrate import upgrade
from sqlalchemy.exc import DBAPIError
from staff import enrol_kiosk, make_user, new_case, sign_in, walk_with_code

from intake.database import MIGRATIONS, drop_schema
from intake.extensions import db
from intake.records import AuditEntry
from intake.services.offices import create_office, find_office
from intake.unit_of_work import use_office

pytestmark = pytest.mark.skipif(
    not (os.environ.get("DATABASE_URL") or "").startswith("postgresql"),
    reason="row-level security is PostgreSQL's; CI runs this file on PostgreSQL",
)
OFFICE_OWNED = ("users", "intakes", "draft_plans", "cases", "case_intakes", "tickets", "audit_log")


def test_the_app_role_owns_nothing_and_is_held_to_the_policies(walled_app):
    with walled_app.app_context():
        bypass = db.session.execute(
            db.text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
        ).scalar_one()
        owned = set(
            db.session.scalars(
                db.text(
                    "SELECT table_name FROM information_schema.columns"
                    " WHERE column_name = 'office_id' AND table_schema = current_schema()"
                )
            )
        )
        unwalled = db.session.scalars(
            db.text("SELECT relname FROM pg_class WHERE relname = ANY(:t) AND NOT relrowsecurity"), {"t": sorted(owned)}
        ).all()
        mine = db.session.scalars(
            db.text(
                "SELECT relname FROM pg_class WHERE pg_has_role(current_user, relowner, 'USAGE')"
                " AND relnamespace = current_schema()::regnamespace"
            )
        ).all()
        # A function that runs as its owner reads past the walls: the app may call one, which tells an office's id.
        definers = db.session.scalars(
            db.text(
                "SELECT proname FROM pg_proc WHERE prosecdef AND pronamespace = current_schema()::regnamespace"
                " AND has_function_privilege(current_user, oid, 'EXECUTE')"
            )
        ).all()
    assert not bypass and mine == []
    assert definers == ["yorisoi_office_of_username"]
    # Every table that holds an office's rows, a future one included, has the wall.
    assert set(OFFICE_OWNED) | {"programs", "program_texts"} <= owned and unwalled == []


def test_whatever_the_app_role_sets_app_office_id_to_it_sees_one_office_at_most(walled_app):
    with walled_app.app_context():
        create_office("north", name="北福祉事務所")
        db.session.commit()
    make_user(walled_app, "cw", "caseworker")
    make_user(walled_app, "n-cw", "caseworker", office="north")
    with walled_app.app_context():
        main, north = find_office("main").id, find_office("north").id
        for value in ("all", "", "*", "0", f"{main},{north}", f"{main} OR true", "99999999999", "-1", "NULL"):
            db.session.execute(db.text("SELECT set_config('app.office_id', :v, true)"), {"v": value})
            assert _unfiltered("users") == set(), value
            db.session.rollback()
        for office in (main, north):
            db.session.execute(db.text("SELECT set_config('app.office_id', :v, true)"), {"v": str(office)})
            assert _unfiltered("users") == {office}
            db.session.rollback()
    # Nor can it switch the walls off, take the owner's role, or read the accounts beyond their office.
    for statement in (
        "SET row_security = off; SELECT count(*) FROM users",
        "ALTER TABLE users DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE users NO FORCE ROW LEVEL SECURITY",
        "DROP POLICY office_wall ON users",
        "ALTER POLICY office_wall ON users USING (true)",
        "CREATE POLICY everything ON users USING (true)",
        "ALTER TABLE users OWNER TO CURRENT_USER",
        f"SET ROLE {walled_app.config['OWNER_DATABASE_URI'].split('//')[1].split(':')[0]}",
        "CREATE OR REPLACE FUNCTION yorisoi_current_office() RETURNS integer LANGUAGE sql AS $$ SELECT office_id FROM users LIMIT 1 $$",
    ):
        with walled_app.app_context():
            with pytest.raises(DBAPIError, match="permission denied|must be owner|row-level security|row security"):
                for part in statement.split("; "):
                    db.session.execute(db.text(part))
            db.session.rollback()
    with walled_app.app_context():  # the account function tells an office's id, and nothing else
        assert db.session.scalar(db.text("SELECT yorisoi_office_of_username('n-cw')")) == north


def test_an_unfiltered_query_as_one_office_sees_none_of_the_other_offices_rows(walled_app):
    with walled_app.app_context():
        create_office("north", name="北福祉事務所")
        db.session.commit()
    make_user(walled_app, "cw", "caseworker")
    make_user(walled_app, "n-cw", "caseworker", office="north")
    # Each caseworker works through the app: a case and its code, walked at their own office's kiosk.
    for username, office, number in (("cw", "main", "M-1"), ("n-cw", "north", "N-1")):
        staff = walled_app.test_client()
        assert sign_in(staff, username).status_code == 302
        _case_id, code = new_case(staff, number=number)
        kiosk = walled_app.test_client()
        enrol_kiosk(walled_app, kiosk, office)
        walk_with_code(kiosk, code, office_today())
    with walled_app.app_context():
        main, north = find_office("main").id, find_office("north").id
        use_office(main)
        seen = {table: _unfiltered(table) for table in OFFICE_OWNED}
        assert all(seen[table] == {main} for table in OFFICE_OWNED), seen
        assert db.session.scalars(db.text("SELECT case_number FROM cases")).all() == ["M-1"]
        db.session.commit()
        use_office(north)
        assert db.session.scalars(db.text("SELECT case_number FROM cases")).all() == ["N-1"]
        # A write into another office's rows is refused by the policy's check, not only hidden.
        with pytest.raises(Exception, match="row-level security"):
            db.session.execute(db.text("UPDATE cases SET office_id = :m"), {"m": main})
        db.session.rollback()
    with walled_app.app_context():  # no office named at all: nothing
        assert db.session.scalar(db.text("SELECT count(*) FROM cases")) == 0


def _unfiltered(table: str) -> set[int]:
    return set(db.session.scalars(db.text(f"SELECT office_id FROM {table}")).all())


def test_a_kiosk_tells_postgresql_its_office_in_the_statement_that_reads_the_office(walled_app):
    """No statement of its own for app.office_id on a kiosk's request (one round trip less a step), and the walls hold:
    each kiosk's intake lands in its office and is answered through the walls."""
    with walled_app.app_context():
        create_office("north", name="北福祉事務所")
        db.session.commit()
    for office in ("main", "north"):
        kiosk = walled_app.test_client()
        enrol_kiosk(walled_app, kiosk, office)
        started = kiosk.post("/api/v1/intakes", json={"locale": "ja"}).get_json()
        with statements_run(walled_app) as statements:
            answered = kiosk.post(f"/api/v1/intakes/{started['token']}/answer", json={"step": "welcome", "value": "start"})
        assert answered.status_code == 200, answered.get_data(as_text=True)
        assert answered.get_json()["step"]["id"] == "language"
        assert [s for s in statements if "set_config" in s and "FROM offices" not in s] == []
        assert len([s for s in statements if "set_config" in s]) == 1
        with walled_app.app_context():
            use_office(find_office(office).id)
            intake_office = db.session.scalar(
                db.text("SELECT offices.code FROM intakes JOIN offices ON offices.id = intakes.office_id WHERE token = :t"),
                {"t": started["token"]},
            )
        assert intake_office == office


def test_after_a_savepoint_is_undone_the_office_is_told_again(walled_app):
    """A savepoint's rollback undoes a set_config made inside it: the next use_office must not trust what it said."""
    with walled_app.app_context():
        north = create_office("north", name="北福祉事務所")
        main = find_office("main")
        use_office(north.id)
        db.session.add(AuditEntry(office_id=north.id, action="test", detail="north's row"))
        db.session.commit()
        use_office(main.id)
        db.session.scalar(db.text("SELECT 1"))
        nested = db.session.begin_nested()
        use_office(north.id)
        nested.rollback()  # app.office_id is main's again in PostgreSQL
        use_office(north.id)
        assert db.session.scalars(db.text("SELECT detail FROM audit_log")).all() == ["north's row"]
        db.session.rollback()


def test_the_models_schema_has_the_walls_the_migrations_make(make_app):
    """Tests build the schema from the models (create_schema): it must be walled as a migrated database is."""
    app = make_app()
    with app.app_context():
        made = _walls()
        db.session.remove()
        drop_schema()
        upgrade(directory=str(MIGRATIONS))
        assert _walls() == made


def _walls() -> tuple:
    tables = db.session.execute(
        db.text(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class"
            " WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' AND relname <> 'alembic_version'"
            " ORDER BY relname"
        )
    ).all()
    policies = db.session.execute(
        db.text("SELECT tablename, policyname, qual, with_check FROM pg_policies ORDER BY tablename, policyname")
    ).all()
    functions = db.session.execute(
        db.text(
            "SELECT proname, prosecdef, prosrc FROM pg_proc WHERE proname LIKE 'yorisoi%' ORDER BY proname"
        )
    ).all()
    db.session.rollback()
    return tables, policies, [(name, definer, " ".join(source.split())) for name, definer, source in functions]
