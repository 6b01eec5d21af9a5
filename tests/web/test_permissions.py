"""Role × page: who may open which staff page, and whose cases."""

from __future__ import annotations

import pytest
from staff import make_office, new_case, sign_in, translated

CASE_PAGES = ["/caseworker/cases/{id}", "/caseworker/cases/{id}/plan", "/caseworker/cases/{id}/audit"]
OFFICE_PAGES = ["/caseworker/office/report", "/caseworker/office/report.csv", "/caseworker/office/audit"]


@pytest.fixture
def office(app, client):
    """An office with one case belonging to caseworker cw (team of supervisor sv)."""
    make_office(app)
    sign_in(client, "cw")
    case_id, _ = new_case(client)
    client.post("/caseworker/logout")
    return case_id


@pytest.mark.parametrize(
    ("username", "allowed"),
    [("cw", True), ("sv", True), ("cw2", False), ("cw3", False), ("sv2", False), ("tr", False), ("admin", False)],
)
def test_only_the_assigned_caseworker_and_their_supervisor_open_a_case(app, client, office, username, allowed):
    sign_in(client, username)
    for page in CASE_PAGES:
        response = client.get(page.format(id=office))
        assert response.status_code == (200 if allowed else 403), (username, page)
    # Writing is refused just the same, and changes nothing.
    response = client.post(f"/caseworker/cases/{office}/tickets")
    assert response.status_code == (302 if allowed else 403)


def test_another_caseworkers_case_says_why(app, client, office):
    sign_in(client, "cw2")
    page = client.get(f"/caseworker/cases/{office}").get_data(as_text=True)
    message = "This case is assigned to another caseworker. Only they and their supervisor can open it."
    assert translated(app, message) in page


@pytest.mark.parametrize(
    ("username", "status"),
    [("cw", 403), ("sv", 200), ("tr", 403), ("admin", 200)],
)
def test_office_pages_are_for_supervisors_and_admins(client, office, username, status):
    sign_in(client, username)
    for page in OFFICE_PAGES:
        assert client.get(page).status_code == status, (username, page)


@pytest.mark.parametrize(("username", "status"), [("cw", 200), ("sv", 200), ("tr", 403), ("admin", 403)])
def test_queue_is_for_caseworkers_and_supervisors(client, office, username, status):
    sign_in(client, username)
    assert client.get("/caseworker/cases").status_code == status


def test_users_page_is_for_admins(client, office):
    sign_in(client, "sv")
    assert client.get("/caseworker/office/users").status_code == 403
    client.post("/caseworker/logout")
    sign_in(client, "admin")
    assert client.get("/caseworker/office/users").status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(client, office):
    for page in [*CASE_PAGES, *OFFICE_PAGES, "/caseworker/cases"]:
        response = client.get(page.format(id=office))
        assert response.status_code == 302 and "/caseworker/login" in response.headers["Location"]


def test_supervisor_sees_the_team_in_the_queue(app, client, office):
    sign_in(client, "cw3")
    new_case(client, number="B-0001", name="佐藤 一郎")
    client.post("/caseworker/logout")
    sign_in(client, "sv")
    queue = client.get("/caseworker/cases").get_data(as_text=True)
    assert "A-0001" in queue and "B-0001" not in queue
    client.post("/caseworker/logout")
    sign_in(client, "cw2")
    assert "A-0001" not in client.get("/caseworker/cases").get_data(as_text=True)


def test_queue_search_and_sort(client, office):
    sign_in(client, "cw")
    new_case(client, number="A-0002", name="佐藤 一郎")
    page = client.get("/caseworker/cases?q=佐藤").get_data(as_text=True)
    assert "A-0002" in page and "A-0001" not in page
    page = client.get("/caseworker/cases?q=A-0001").get_data(as_text=True)
    assert "A-0001" in page and "A-0002" not in page
    page = client.get("/caseworker/cases?sort=number&order=desc").get_data(as_text=True)
    assert page.index("A-0002") < page.index("A-0001")


def test_translator_has_no_workspace(client, office):
    sign_in(client, "tr")
    assert client.get("/caseworker/").status_code == 403


def test_staff_forms_need_the_csrf_token(app, client, office):
    app.config["WTF_CSRF_ENABLED"] = True
    sign_in_response = client.post("/caseworker/login", data={"username": "cw", "password": "x"})
    assert sign_in_response.status_code == 400
    response = client.post("/caseworker/cases/new", data={"case_number": "X-1", "name": "x", "language": "ja"})
    assert response.status_code == 400
