"""Bulk printing from the queue: the slips of the ticked cases, and the plans due for review, each in one print."""

from __future__ import annotations

import html
import re

from conftest import in_office, office_today
from staff import approve_typical_plan, make_office, new_case, recipient_text, sign_in, walk_with_code

from intake.domain.dates import add_months
from intake.extensions import db
from intake.records import AuditEntry


def test_the_slips_of_the_ticked_cases_print_together_in_each_recipients_language(app, client):
    make_office(app)
    sign_in(client, "cw")
    first, first_code = new_case(client, number="R8-0001", name="Nguyen An", language="vi")
    second, second_code = new_case(client, number="R8-0002", name="山田 花子", language="ja")
    used, used_code = new_case(client, number="R8-0003", name="高橋 健太")
    walk_with_code(app.test_client(), used_code, office_today())  # its code is used: no slip
    queue = client.get("/caseworker/cases").get_data(as_text=True)
    assert 'id="bulk-print"' in queue and f'name="case" value="{first}" form="bulk-print"' in queue

    with in_office(app):
        logged_before = db.session.scalar(db.select(db.func.max(AuditEntry.id)))
    page = html.unescape(
        client.get(f"/caseworker/print/slips?case={first}&case={second}&case={used}").get_data(as_text=True)
    )
    slips = re.findall(r'data-testid="ticket" data-case="([^"]+)"', page)
    assert slips == ["R8-0001", "R8-0002"]
    assert first_code in page and second_code in page and used_code not in page
    assert page.count('class="print-page"') == 2  # one slip a page
    vietnamese = page[page.index('data-case="R8-0001"') : page.index('data-case="R8-0002"')]
    assert recipient_text(app, "ticket slip", "Your code for the kiosk", "vi") in vietnamese and 'lang="vi"' in vietnamese
    assert 'data-testid="slip-other"' not in page[page.index('data-case="R8-0002"') :]  # Japanese only
    skipped = page[page.index('data-testid="skipped"') :]
    assert "R8-0003" in skipped[: skipped.index("</div>")]
    with in_office(app):
        printed = db.session.scalars(
            db.select(AuditEntry.detail).filter(AuditEntry.id > logged_before).filter_by(action="print")
        ).all()
    assert sorted(printed) == sorted(
        [f"ticket {first_code}", f"ticket {second_code}"]
    )


def test_the_plans_due_for_review_print_together_one_sheet_a_page(app, client):
    make_office(app)
    sign_in(client, "cw")
    today = office_today()
    due_soon, code = new_case(client, number="R8-0101", name="佐藤 一郎")
    walk_with_code(app.test_client(), code, today)
    approve_typical_plan(client, due_soon, today, add_months(today, 3))
    later, code = new_case(client, number="R8-0102", name="鈴木 次郎")
    walk_with_code(app.test_client(), code, today)
    approve_typical_plan(client, later, today, add_months(today, 6))
    new_case(client, number="R8-0103", name="田中 三郎")  # no plan yet

    app.config["OFFICE_TODAY"] = add_months(today, 3)  # R8-0101's review is due this month; R8-0102's is not
    page = html.unescape(client.get("/caseworker/print/plans").get_data(as_text=True))
    assert page.count('data-testid="sheet"') == 1 and "R8-0101" in page and "R8-0102" not in page
    assert "自立計画書" in page and "福祉事務所長 殿" in page

    ticked = html.unescape(client.get(f"/caseworker/print/plans?case={due_soon}&case={later}").get_data(as_text=True))
    assert ticked.count('data-testid="sheet"') == 2 and ticked.count('class="print-page"') == 2
    assert ticked.index("R8-0101") < ticked.index("R8-0102")


def test_a_ticked_case_of_another_caseworker_refuses_the_whole_print(app, client):
    make_office(app)
    sign_in(client, "cw")
    mine, _ = new_case(client, number="R8-0201")
    other = app.test_client()
    sign_in(other, "cw3")
    theirs, _ = new_case(other, number="R8-0202")
    response = client.get(f"/caseworker/print/slips?case={mine}&case={theirs}")
    assert response.status_code == 403
    assert "R8-0201" not in response.get_data(as_text=True)
