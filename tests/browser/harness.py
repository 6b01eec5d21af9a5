"""Real-browser fixtures (a plugin of tests/conftest.py): the app served by werkzeug in a thread, and Debian's
Chromium driven by Playwright. Not a conftest.py: tests/walk.py imports the top-level conftest by name.
`playwright install` cannot download here and is never called: Chromium comes from Debian
(`make test` installs it: the Makefile's system-packages). Screenshots go to test-artifacts/ (gitignored).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from databases import server_database_url, server_owner_url
from liveserver import serve_in_thread

from intake import create_app
from intake.config import ROOT
from intake.database import create_schema, drop_schema
from intake.extensions import db

CHROMIUM = "/usr/bin/chromium"
# No sandbox as root in CI; no GPU; and no request may leave the machine (not even DNS).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
ARTIFACTS = ROOT / "test-artifacts"


@dataclass
class LiveServer:
    url: str
    app: object
    stop: Callable[[], None]


# Module scope, not session: other tests start Playwright themselves, which fails while another sync
# Playwright is running in the same thread.
@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed (`make system-packages` installs it): browser tests need it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live_factory(tmp_path) -> Iterator[Callable[..., LiveServer]]:
    """Start the app against a fresh database with extra settings; stopped and dropped afterwards."""
    started: list[LiveServer] = []

    def start(**settings) -> LiveServer:
        config = {
            "TESTING": True,
            "SECRET_KEY": "browser-test-secret",
            "SQLALCHEMY_DATABASE_URI": server_database_url()
            or f"sqlite:///{tmp_path / f'browser{len(started)}.sqlite3'}",
            "OWNER_DATABASE_URI": server_owner_url(),
            # The real thing: kiosk.js must send the CSRF token on every POST.
            "WTF_CSRF_ENABLED": True,
            "KIOSK_DEFAULT_LOCALE": "en",
        }
        config.update(settings)
        app = create_app(config)
        with app.app_context():
            drop_schema()
            create_schema()
        url, stop = serve_in_thread(app)
        live = LiveServer(url, app, stop)
        started.append(live)
        return live

    yield start
    for live in started:
        live.stop()
        with live.app.app_context():
            db.session.remove()
            drop_schema()
            db.engine.dispose()


@pytest.fixture
def live(live_factory) -> LiveServer:
    return live_factory()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1080, "height": 1400}, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def plain_page(browser):
    """A page with JavaScript off: the kiosk must work as plain forms."""
    context = browser.new_context(viewport={"width": 1080, "height": 1400}, locale="en-GB", java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
