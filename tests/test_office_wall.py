"""The office wall, in one place (unit_of_work.py): every ORM statement about office-owned records is its unit of
work's office's, and with no office known it is refused. On SQLite and PostgreSQL alike; every office-owned model,
a future one included, is walked through (the mappers are read, not listed)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from conftest import in_office
from databases import statements_run
from staff import approved_case, make_office, make_second_office, sign_in

from intake.extensions import db
from intake.records import AuditEntry, Case, Office, OfficeOwned, User
from intake.services.offices import each_office, find_office
from intake.unit_of_work import NoOfficeKnown, across_offices, office_of_account, use_office

# The office-owned records the two offices' work below leaves in each office.
FILLED = {"users", "cases", "tickets", "intakes", "draft_plans", "case_intakes", "worksheets", "plan_versions", "audit_log"}


def office_owned() -> list[type]:
    """Every mapped class of an office's records (a new model that mixes in OfficeOwned is here without a change)."""
    return sorted(
        (mapper.class_ for mapper in db.Model.registry.mappers if issubclass(mapper.class_, OfficeOwned)),
        key=lambda model: model.__tablename__,
    )


def _pk(model):
    """The model's primary key as an ORM attribute (a Table's own column would make a Core statement, which the ORM
    does not see: PostgreSQL's row security is the wall for those)."""
    return getattr(model, sa.inspect(model).primary_key[0].key)


@pytest.fixture
def two_offices(app):
    """main and north, each with its staff and an approved case walked at its own kiosk."""
    make_office(app)
    make_second_office(app)
    for username, office in (("cw", "main"), ("n-cw", "north")):
        staff = app.test_client()
        assert sign_in(staff, username).status_code == 302
        approved_case(app, staff, office=office)
    with app.app_context():
        return find_office("main").id, find_office("north").id


def test_every_table_with_an_office_is_an_office_owned_model(app):
    owned = {model.__tablename__ for model in office_owned()}
    with_office_column = {table.name for table in db.metadata.sorted_tables if "office_id" in table.c}
    assert owned == with_office_column
    assert FILLED | {"programs", "program_texts", "reviews", "plan_edits", "plan_documents"} <= owned


def test_with_no_office_known_every_query_of_office_owned_records_is_refused(two_offices, app):
    main, _north = two_offices
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Office.id))) == 2  # offices are no office's: readable
        for model in office_owned():
            for statement in (
                sa.select(model),
                sa.select(sa.func.count(_pk(model))),
                sa.select(sa.func.count()).select_from(model),
                sa.update(model).where(_pk(model) == -1).values(office_id=main),
                sa.delete(model).where(_pk(model) == -1),
            ):
                with pytest.raises(NoOfficeKnown):
                    db.session.execute(statement)
            with pytest.raises(NoOfficeKnown):
                db.session.get(model, 1)
        # A join below the top level cannot be refused by name: it is closed instead (no office's rows at all).
        assert db.session.scalars(sa.select(Office.code).join(User, User.office_id == Office.id)).all() == []
        # A new record lands in no office by default.
        db.session.add(User(username="nobody", display_name="nobody", role="caseworker"))
        with pytest.raises(NoOfficeKnown):
            db.session.flush()
        db.session.rollback()


def test_in_one_office_no_statement_reads_or_changes_another_offices_records(two_offices, app):
    main, north = two_offices
    for office, other in ((main, north), (north, main)):
        with app.app_context():
            use_office(other)
            theirs = {model: db.session.scalars(sa.select(_pk(model))).all() for model in office_owned()}
            db.session.rollback()
        with app.app_context():
            use_office(office)
            for model in office_owned():
                rows = db.session.scalars(sa.select(model)).all()
                assert {row.office_id for row in rows} <= {office}, model
                if model.__tablename__ in FILLED:
                    assert rows and theirs[model], model  # both offices have some: the test can fail
                for key in theirs[model]:
                    got = db.session.get(model, key)
                    assert got is None, (model, key, office, got.office_id, theirs[model], [r.id for r in rows])
                # Changes: an UPDATE or DELETE naming the other office's rows touches none of them.
                if theirs[model]:
                    changed = db.session.execute(sa.update(model).where(_pk(model).in_(theirs[model])).values(office_id=office))
                    assert changed.rowcount == 0, model
                    deleted = db.session.execute(sa.delete(model).where(_pk(model).in_(theirs[model])))
                    assert deleted.rowcount == 0, model
            # Joins, relationship loads and reloads of expired attributes stay in the office.
            users = db.session.scalars(sa.select(User.username).join(Case, Case.caseworker_id == User.id)).all()
            assert users == (["cw"] if office == main else ["n-cw"])
            case = db.session.scalars(sa.select(Case)).one()
            db.session.expire(case)
            assert case.caseworker.office_id == office and {t.office_id for t in case.tickets} == {office}
            db.session.rollback()


def test_the_office_is_a_bound_parameter_of_one_cached_statement(two_offices, app):
    """The criterion costs no new compiled statement per office: the office id travels as a parameter."""
    main, north = two_offices
    for office in (main, north):
        with app.app_context(), statements_run(app) as statements:
            use_office(office)
            db.session.scalars(sa.select(Case).filter_by(case_number="A-0001")).all()
        reads = [s for s in statements if "FROM cases" in s]  # PostgreSQL's set_config aside
        assert len(reads) == 1 and "cases.office_id = " in reads[0].split("WHERE")[1]
    with app.app_context():
        use_office(main)
        cache = db.engine._compiled_cache
        before = len(cache)
        for office in (main, north, main):
            use_office(office)
            db.session.scalars(sa.select(Case).filter_by(case_number="A-0001")).all()
        assert len(cache) - before <= 1


def test_crossing_the_wall_takes_a_known_name(two_offices, app, runner):
    main, north = two_offices
    with app.app_context():
        with pytest.raises(ValueError), across_offices("just_looking"):
            pass
        with pytest.raises(ValueError):
            next(each_office("just_looking"))
        assert office_of_account("sign_in", username="n-cw") == north
        assert office_of_account("operator", username="nobody-here") is None
    # An operator's command over every office leaves a line naming it in each office's audit log.
    assert runner.invoke(args=["intake", "office", "list"]).exit_code == 0
    for office in (main, north):
        with app.app_context():
            use_office(office)
            assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).filter_by(action="operator")) == 1


def test_a_query_outside_the_requests_office_is_refused_not_answered_for_every_office(two_offices, app):
    """The old gap: on SQLite with several offices, a query with no office named returned every office's rows."""
    with in_office(app, "north"):
        assert db.session.scalars(sa.select(User.username).order_by(User.username)).all() == [
            "n-admin",
            "n-cw",
            "n-sv",
            "n-tr",
        ]
    with app.app_context(), pytest.raises(NoOfficeKnown):
        db.session.scalars(sa.select(User)).all()
