"""The queue at a real caseload: search as people type, statuses, filters, and a fixed number of statements."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from caseload import KINDS, add_cases
from conftest import in_office
from databases import statements_run
from staff import make_office, new_case, sign_in

from intake.database import create_schema, drop_schema
from intake.extensions import db
from intake.records import Ticket, User, utcnow
from intake.web.common import office_today


def _today(app):
    with app.test_request_context():
        return office_today()


def _case_numbers(html: str) -> list[str]:
    table = html.split('data-testid="queue"', 1)[1] if 'data-testid="queue"' in html else ""
    return re.findall(r'/caseworker/cases/\d+">([^<]+)</a>', table)


@pytest.mark.parametrize(
    "typed",
    ["高橋健太", "高橋 健太", "タカハシ", "ﾀｶﾊｼ", "たかはし", "Ｒ８－１２０１", "r8-1201", "R81201", "ｹﾝﾀ"],
)
def test_search_finds_the_case_however_it_is_typed(app, client, typed):
    make_office(app)
    sign_in(client, "cw")
    client.post(
        "/caseworker/cases/new",
        data={
            "case_number": "R8-1201",
            "name": "高橋 健太",
            "name_reading": "たかはし けんた",
            "language": "ja",
            "ticket": "no",
        },
    )
    client.post(
        "/caseworker/cases/new",
        data={
            "case_number": "R8-1202",
            "name": "高畑 由美",
            "name_reading": "たかはた ゆみ",
            "language": "ja",
            "ticket": "no",
        },
    )
    page = client.get("/caseworker/cases", query_string={"q": typed}).get_data(as_text=True)
    assert _case_numbers(page) == ["R8-1201"]


def test_search_for_nothing_that_matches_says_so(app, client):
    make_office(app)
    sign_in(client, "cw")
    new_case(client, number="R8-1201", name="高橋 健太", ticket=False)
    page = client.get("/caseworker/cases", query_string={"q": "%"}).get_data(as_text=True)
    assert _case_numbers(page) == []
    assert "R8-1201" not in page


def test_search_never_shows_another_caseworkers_case(app, client):
    make_office(app)
    other = app.test_client()
    sign_in(other, "cw3")
    new_case(other, number="R8-9999", name="高橋 健太", ticket=False)
    sign_in(client, "cw")
    assert _case_numbers(client.get("/caseworker/cases?q=高橋").get_data(as_text=True)) == []


def test_an_expired_code_is_not_shown_as_new(app, client):
    make_office(app)
    sign_in(client, "cw")
    case_id, _code = new_case(client, number="A-1")
    with in_office(app):
        ticket = db.session.scalar(db.select(Ticket))
        ticket.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    page = client.get("/caseworker/cases").get_data(as_text=True)
    assert 'data-status="code_expired"' in page and 'data-status="new"' not in page
    assert 'data-status="code_expired"' in client.get(f"/caseworker/cases/{case_id}").get_data(as_text=True)
    only = client.get("/caseworker/cases?filter=code_expired").get_data(as_text=True)
    assert _case_numbers(only) == ["A-1"]


def _load(app, per_caseworker: int) -> None:
    with in_office(app):
        today = _today(app)
        for username in ("cw", "cw2"):
            add_cases(db.session.scalar(db.select(User).filter_by(username=username)), per_caseworker, today)


def _statements(app, client, path: str) -> tuple[int, str]:
    with statements_run(app) as executed:
        response = client.get(path)
    assert response.status_code == 200
    return len(executed), response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path", ["/caseworker/cases", "/caseworker/cases?q=しけん&sort=activity&filter=review_overdue"]
)
def test_the_queue_takes_the_same_number_of_statements_for_10_and_300_cases(make_app, path):
    counts = []
    for per_caseworker in (5, 150):
        app = make_app()
        with app.app_context():  # the second app shares the first one's database: start it afresh
            db.session.remove()
            drop_schema()
            create_schema()
        make_office(app)
        _load(app, per_caseworker)
        client = app.test_client()
        sign_in(client, "sv")
        statements, page = _statements(app, client, path)
        if "filter" not in path:
            assert len(_case_numbers(page)) == 2 * per_caseworker
        counts.append(statements)
    assert counts[0] == counts[1], counts


def test_each_state_shows_its_status_and_the_filters_find_their_cases(app, client):
    make_office(app)
    _load(app, len(KINDS))
    sign_in(client, "cw")
    page = client.get("/caseworker/cases?sort=number").get_data(as_text=True)
    statuses = re.findall(r'data-status="([a-z_]+)"', page.split('data-testid="queue"', 1)[1])
    expected = [kind if kind != "review_overdue" else "review_due" for kind in KINDS]
    assert statuses == expected
    assert "code_expired" in statuses and statuses.count("new") == 1

    def numbers(name):
        return _case_numbers(client.get(f"/caseworker/cases?filter={name}").get_data(as_text=True))

    by_kind = {kind: number for kind, number in zip(KINDS, _case_numbers(page), strict=True)}
    assert numbers("review_overdue") == [by_kind["review_overdue"]]
    assert numbers("code_expired") == [by_kind["code_expired"]]
    assert numbers("draft_waiting") == [by_kind["submitted"]]


def test_the_queue_shows_code_expiry_last_activity_and_review_date_in_the_era(app, client):
    make_office(app)
    sign_in(client, "cw")
    new_case(client, number="A-1")
    page = client.get("/caseworker/cases").get_data(as_text=True)
    row = page.split('data-testid="queue"', 1)[1]
    code = re.search(r'data-column="code">([^<]*)<', row).group(1)
    activity = re.search(r'data-column="activity">([^<]*)<', row).group(1)
    assert code.startswith("令和") and activity.startswith("令和")
