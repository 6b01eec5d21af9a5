"""Done when: two caseworkers of two offices on one database work side by side in Chromium without seeing each other.

On PostgreSQL the app runs held to the row-level security policies (conftest.walled_app); on SQLite the
services' filters alone keep the offices apart.
"""

from __future__ import annotations

import pytest
from liveserver import serve_in_thread
from staff import make_second_office, make_user, signed_in_page

pytestmark = pytest.mark.browser


@pytest.fixture
def two_offices(walled_app):
    make_user(walled_app, "cw", "caseworker")
    make_second_office(walled_app)
    walled_app.config["WTF_CSRF_ENABLED"] = True
    base, stop = serve_in_thread(walled_app)
    yield base, walled_app
    stop()


def _new_case(page, base: str, number: str, name: str) -> str:
    page.goto(f"{base}/caseworker/cases/new")
    page.fill("#case_number", number)
    page.fill("#name", name)
    page.check("#ticket-no")
    page.click("form.staff-form button[type=submit], main form button[type=submit]")
    return page.url


def test_two_caseworkers_of_two_offices_work_side_by_side_without_seeing_each_other(browser, two_offices):
    base, app = two_offices
    south = signed_in_page(browser, app, base, "cw")  # office "main"
    north = signed_in_page(browser, app, base, "n-cw")  # office "north"
    assert "北福祉事務所" in north.inner_text(".staff-header") and "北福祉事務所" not in south.inner_text(".staff-header")

    # The same case number in both offices: each office numbers its own cases.
    south_case = _new_case(south, base, "R8-0001", "山田 花子")
    north_case = _new_case(north, base, "R8-0001", "北野 太郎")
    assert south_case != north_case and "/caseworker/cases/" in south_case and "/caseworker/cases/" in north_case

    for page, own, other in ((south, "山田 花子", "北野 太郎"), (north, "北野 太郎", "山田 花子")):
        page.goto(f"{base}/caseworker/cases")
        queue = page.inner_text("[data-testid=queue]")
        assert own in queue and other not in queue
        page.goto(f"{base}/caseworker/cases?q={other.split()[0]}")
        assert other not in page.inner_text("main")

    # The other office's case, its audit and its records answer 404, as a case that does not exist.
    for page, case_url in ((south, north_case), (north, south_case)):
        for suffix in ("", "/audit", "/records.json", "/plan"):
            response = page.goto(case_url + suffix)
            assert response.status == 404, (case_url + suffix, response.status)
    # Each still opens their own.
    assert south.goto(south_case).status == 200 and "山田 花子" in south.inner_text("main")
    assert north.goto(north_case).status == 200 and "北野 太郎" in north.inner_text("main")
