"""What Chromium fetches: the first kiosk step within 15 KB on the wire, and no console error on any kiosk page."""

from __future__ import annotations

import pytest
from browser.kiosk_driver import start, walk_to_done
from walk import typical_answers

pytestmark = pytest.mark.browser

FIRST_STEP_BUDGET = 15 * 1024


def test_first_step_within_budget_on_the_wire(live, page):
    start(page, live.url)
    # The first load's icon can still be on its way: counted below, it was the same icon twice (once on CI).
    page.wait_for_load_state("networkidle")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.clearBrowserCache")
    fetched: dict[str, dict] = {}
    cdp.on(
        "Network.responseReceived", lambda e: fetched.setdefault(e["requestId"], {}).update(url=e["response"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: fetched.setdefault(e["requestId"], {}).update(bytes=e["encodedDataLength"]),
    )
    # A cold load of the first question: the page, its stylesheet, its script and the icon, headers included.
    page.reload(wait_until="load")
    page.locator(".question").wait_for()
    page.wait_for_timeout(200)  # the icon is fetched after the load event
    urls = [entry["url"].removeprefix(live.url) for entry in fetched.values()]
    total = sum(entry.get("bytes", 0) for entry in fetched.values())
    assert any(url.startswith("/static/yorisoi.css") for url in urls), urls
    assert any(url.startswith("/static/kiosk.js") for url in urls), urls
    assert total <= FIRST_STEP_BUDGET, f"{total} B: {sorted((e['url'], e.get('bytes')) for e in fetched.values())}"


@pytest.mark.parametrize("scripts", ["on", "off"])
def test_no_console_error_on_any_kiosk_page(live, page, plain_page, scripts):
    tab = page if scripts == "on" else plain_page
    problems: list[str] = []
    tab.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    tab.on(
        "response", lambda response: response.status >= 400 and problems.append(f"{response.status}: {response.url}")
    )
    loads: list[str] = []
    tab.on("load", lambda: loads.append(tab.url))

    start(tab, live.url)
    shown = walk_to_done(tab, typical_answers())
    tab.wait_for_timeout(200)

    assert shown[-1] and len(loads) >= 2
    if scripts == "off":
        assert len(loads) > len(shown) / 2, "with scripts off every step is a page load"
    assert problems == []
