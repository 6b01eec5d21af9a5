"""The widget embedded with one script tag in an office page served from another origin."""

from __future__ import annotations

import pytest
from browser.harness import screenshot
from browser.kiosk_driver import answer_current
from liveserver import serve_in_thread
from walk import typical_answers

pytestmark = pytest.mark.browser

HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>City office</title></head>
<body><main><h1>City office</h1><p>Opening hours and news.</p></main>
<script src="{kiosk}/static/widget.js" defer data-lang="en" data-label="Prepare your plan"
        data-close-label="Close" data-title="Plan assistant" data-exit-url="{host}/weather"></script>
</body></html>"""


def _office_site(kiosk: dict):
    """A stand-in office web site on its own origin; `kiosk["url"]` is filled in once the kiosk runs."""
    host = {}

    def app(environ, start_response):
        body = HOST_PAGE.format(kiosk=kiosk["url"], host=host["url"]).encode()
        if environ["PATH_INFO"] == "/weather":
            body = b"<!doctype html><title>Weather</title><p>Sunny."
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [body]

    host["url"], stop = serve_in_thread(app)
    return host["url"], stop


def test_widget_on_an_allowed_office_page(live_factory, page):
    kiosk = {}
    host_url, stop = _office_site(kiosk)
    try:
        live = live_factory(FRAME_ANCESTORS=["'self'", host_url])
        kiosk["url"] = live.url
        page.goto(host_url)
        launcher = page.locator(".yorisoi-launcher")
        assert launcher.get_attribute("aria-expanded") == "false"
        launcher.click()
        assert launcher.get_attribute("aria-expanded") == "true"
        frame = page.frame_locator(".yorisoi-frame")
        frame.locator('form[action$="/kiosk/start"] button').click()
        frame.locator(".question").wait_for()
        inner = page.frame(url=lambda url: "/kiosk/" in url)
        answer_current(inner, dict(typical_answers(), language="en"))  # through the API, inside the frame
        screenshot(page, "embed-office-page")

        page.locator(".yorisoi-close").click()
        assert page.locator(".yorisoi-panel").is_hidden()
        assert page.evaluate("document.activeElement.className") == "yorisoi-launcher"

        launcher.click()
        frame.locator(".quick-exit button").click()
        page.wait_for_url(f"{host_url}/weather")  # the host page leaves too
    finally:
        stop()


def test_widget_refused_on_a_page_not_allowed(live_factory, page):
    kiosk = {}
    host_url, stop = _office_site(kiosk)
    try:
        live = live_factory(FRAME_ANCESTORS=["'self'", "https://www.city.example.lg.jp"])
        kiosk["url"] = live.url
        response = page.request.get(f"{live.url}/kiosk/")
        assert "frame-ancestors 'self' https://www.city.example.lg.jp" in response.headers["content-security-policy"]
        page.goto(host_url)
        page.locator(".yorisoi-launcher").click()
        # Chromium replaces a refused frame with its error page: no kiosk content inside.
        for _ in range(300):  # until the frame has navigated somewhere (up to 30 s: a busy machine is slow)
            if page.frames[1:] and page.frames[1].url not in {"", "about:blank"}:
                break
            page.wait_for_timeout(100)
        assert [f.url for f in page.frames[1:]] == ["chrome-error://chromewebdata/"]
        assert page.frame_locator(".yorisoi-frame").locator(".landing").count() == 0
    finally:
        stop()
