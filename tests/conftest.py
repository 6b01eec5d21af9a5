"""Shared fixtures: an app on a fresh database, its client and CLI runner, and small walk helpers."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from databases import server_database_url, server_owner_url
from flask.testing import FlaskClient
from flask_migrate import upgrade
from werkzeug.datastructures import Headers

from intake import create_app
from intake.config import Defaults
from intake.database import MIGRATIONS, create_schema, drop_schema
from intake.domain.dates import add_months
from intake.extensions import db as _db
from intake.records import DEFAULT_OFFICE_CODE
from intake.services.offices import find_office
from intake.unit_of_work import use_office

HERE = os.path.dirname(__file__)
# The real-browser fixtures (Debian's Chromium via Playwright) live beside the browser tests.
pytest_plugins = ["browser.harness"]


# Fixtures that mean a real browser or a server on a socket; a test using one gets the marker.
BROWSER_FIXTURES = {"browser", "page", "plain_page"}
LIVE_SERVER_FIXTURES = {"live", "live_factory", "live_server"}


def pytest_collection_modifyitems(items):
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if fixtures & LIVE_SERVER_FIXTURES:
            item.add_marker(pytest.mark.live_server)


def _database_url(tmp_path) -> str:
    """SQLite in a temporary folder, or the PostgreSQL server CI points DATABASE_URL at."""
    return server_database_url() or f"sqlite:///{tmp_path / 'test.sqlite3'}"


def config_for(tmp_path, **overrides) -> dict:
    """The config tests run with; CSRF and rate limits are off unless a test turns them on."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path),
        # PostgreSQL: the tables' owner makes and drops them; the app connects as a role that owns nothing.
        "OWNER_DATABASE_URI": server_owner_url(),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        **overrides,
    }


@pytest.fixture(scope="session")
def sqlite_schema(tmp_path_factory) -> Path:
    """An empty SQLite database with the whole schema, made once: a test starts from a copy of it.

    Creating the tables took as long as building the app, for every test; copying the file takes
    half a millisecond. PostgreSQL (DATABASE_URL) still gets drop_all/create_all per test.
    """
    path = tmp_path_factory.mktemp("schema") / "schema.sqlite3"
    app = create_app(config_for(path.parent, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}"))
    with app.app_context():
        _db.create_all()
        _db.engine.dispose()  # the last connection closed: the WAL is written back into the file
    return path


@pytest.fixture
def make_app(tmp_path, request):
    """Build apps with config overrides on one fresh database (made by the first app built)."""
    built = []
    copied = []

    def make(**overrides):
        config = config_for(tmp_path, **overrides)
        if not built and config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'test.sqlite3'}":
            shutil.copyfile(request.getfixturevalue("sqlite_schema"), tmp_path / "test.sqlite3")
            copied.append(True)
        app = create_app(config)
        if not built and not copied:
            with app.app_context():
                drop_schema()
                create_schema()
        built.append(app)
        return app

    yield make
    for index, app in enumerate(built):
        with app.app_context():
            _db.session.remove()
            if index == 0 and not copied:  # a copied SQLite file goes with tmp_path
                drop_schema()
            _db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def walled_app(make_app):  # make_app drops it all, Alembic's version table too
    """An app on a database the migrations made (they make the walls), connected as the role that owns nothing."""
    app = make_app()
    with app.app_context():
        drop_schema()
        upgrade(directory=str(MIGRATIONS))
    return app


class CsrfClient(FlaskClient):
    """A test client that sends back the CSRF token the API last gave (X-CSRFToken), as the widget does."""

    csrf_token: str | None = None

    def open(self, *args, **kwargs):
        if self.csrf_token:
            headers = Headers(kwargs.get("headers") or {})
            headers.setdefault("X-CSRFToken", self.csrf_token)
            kwargs["headers"] = headers
        response = super().open(*args, **kwargs)
        data = response.get_json(silent=True) if response.is_json else None
        if isinstance(data, dict):
            current = (data.get("error") or {}).get("current") or {}
            self.csrf_token = data.get("csrf_token") or current.get("csrf_token") or self.csrf_token
        return response


@pytest.fixture
def csrf_app(make_app):
    """CSRF on, as in production; its test client sends the API's token back."""
    app = make_app(WTF_CSRF_ENABLED=True)
    app.test_client_class = CsrfClient
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def office_today() -> date:
    """Today where the office is: the dialogue's date ranges count from it."""
    return datetime.now(ZoneInfo(Defaults.BABEL_DEFAULT_TIMEZONE)).date()


def month_ahead(months: int) -> str:
    return add_months(office_today(), months).strftime("%Y-%m")


def day_ahead(months: int) -> str:
    return add_months(office_today(), months).isoformat()


def current_step_id(html: str) -> str:
    match = re.search(r'data-step="([a-z0-9_]+)"', html)
    return match.group(1) if match else ""


@contextmanager
def in_office(app, code: str = DEFAULT_OFFICE_CODE) -> Iterator[None]:
    """An app context that works in one office (the installation's unless named), as that office's requests do: the
    office wall refuses office-owned records to a context that names no office."""
    with app.app_context():
        use_office(find_office(code).id)
        yield
