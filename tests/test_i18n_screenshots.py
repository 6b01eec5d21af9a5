"""A real browser per language: Debian's Chromium renders the first question, we record the fonts it used.

Screenshots go to test-artifacts/kiosk-<locale>.png for a person to look at. The font check asks
Chromium (DevTools `CSS.getPlatformFontsForNode`) which installed fonts drew the question, so a
script falling back to a wrong font, or to none (tofu), fails here rather than on a kiosk.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from browser.harness import CHROMIUM, CHROMIUM_ARGS
from conftest import in_office
from databases import server_database_url, server_owner_url
from i18n_helpers import shipped_locales
from liveserver import free_port, serve_in_thread, worker_ports
from staff import second_step_in_browser

from intake import create_app
from intake.config import ROOT
from intake.database import create_schema, drop_schema
from intake.extensions import db

pytestmark = [pytest.mark.browser, pytest.mark.live_server]

ARTIFACTS = ROOT / "test-artifacts"
# The font that must draw each language's text (Debian's fonts-noto-cjk and fonts-noto-core).
EXPECTED_FONT = {
    "ja": "Noto Sans CJK JP",
    "ja@easy": "Noto Sans CJK JP",
    "zh_Hans": "Noto Sans CJK SC",
    "ko": "Noto Sans CJK KR",
    "ne": "Noto Sans Devanagari",
}


@dataclass
class LiveServer:
    """A real HTTP server in a thread: its address, and its app for setting up the data it serves."""

    url: str
    app: object


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    database = tmp_path_factory.mktemp("browser") / "db.sqlite3"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-test",
            "SQLALCHEMY_DATABASE_URI": server_database_url() or f"sqlite:///{database}",
            "OWNER_DATABASE_URI": server_owner_url(),
        }
    )
    with app.app_context():
        drop_schema()
        create_schema()
    url, stop = serve_in_thread(app, free_port(worker_ports(5400, 5499)))  # a range of its own
    yield LiveServer(url, app)
    stop()
    with app.app_context():
        db.session.remove()
        drop_schema()
        db.engine.dispose()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _fonts_for(page, selector: str) -> dict[str, int]:
    """Family name → glyphs drawn, for the text of the first element matching selector."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    session.detach()
    return {font["familyName"]: font["glyphCount"] for font in fonts}


@pytest.mark.parametrize("locale", shipped_locales())
def test_each_language_renders_in_its_script(live_server, browser, locale):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1080, "height": 1400}, locale="en-US")
    page = context.new_page()
    page.goto(f"{live_server.url}/kiosk/?lang={locale}")
    page.locator("form[action$='/kiosk/start'] button").click()
    page.wait_for_url("**/kiosk/step*")
    page.screenshot(path=str(ARTIFACTS / f"kiosk-{locale}.png"), full_page=True)
    fonts = _fonts_for(page, ".question .prompt")
    context.close()
    assert fonts, "no font drew the question"
    expected = EXPECTED_FONT.get(locale, "Noto Sans")
    assert expected in fonts, (locale, fonts)
    # Every glyph came from a Noto font: nothing fell through to a last-resort font or tofu.
    assert all(name.startswith("Noto") for name in fonts), (locale, fonts)


def test_translator_preview_shows_source_translation_and_readings(live_server, browser):
    from intake.records import User

    with in_office(live_server.app):
        if db.session.scalar(db.select(User).filter_by(username="tr-browser")) is None:
            user = User(username="tr-browser", display_name="Translator", role="translator")
            user.set_password("browser-pass-123")
            db.session.add(user)
            db.session.commit()
    context = browser.new_context(viewport={"width": 1280, "height": 1600})
    page = context.new_page()
    page.goto(f"{live_server.url}/translate/ja@easy/")
    page.fill("#username", "tr-browser")
    page.fill("#password", "browser-pass-123")
    page.locator("form.login-form button").click()
    second_step_in_browser(page, live_server.app, "tr-browser")  # enrols one-time codes on the way
    page.wait_for_url("**/translate/ja@easy/")
    page.locator('[data-context="self_reliance:welcome"]').scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "translator-preview-ja@easy.png"))
    row = page.locator('[data-context="self_reliance:welcome"]')
    assert "Hello, and welcome" in row.locator("td").nth(0).inner_text()
    assert row.locator("td").nth(1).locator("ruby").count() > 0  # the translation, with its readings
    assert "《" in row.locator(".reading").inner_text()  # and the stored notation a translator edits
    context.close()
