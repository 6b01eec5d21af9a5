"""Reassigning a case: the caseworker's supervisor hands it to another caseworker of the team."""

from __future__ import annotations

import html

import pytest
from conftest import in_office
from staff import make_office, make_user, new_case, sign_in, translated

from intake.extensions import db
from intake.records import AuditEntry, Case


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def signed_in(app, username: str):
    client = app.test_client()
    sign_in(client, username)
    return client


@pytest.fixture
def office(app):
    """The office of tests/staff.py, an inactive caseworker in sv's team, and a case of cw's."""
    make_office(app)
    make_user(app, "gone", "caseworker", supervisor="sv", active=False)
    case_id, _ = new_case(signed_in(app, "cw"), "A-0001", ticket=False)
    return case_id


def holder(app, case_id: int) -> str:
    with in_office(app):
        return db.session.get(Case, case_id).caseworker.username


def reassignments(app) -> list[tuple[str, int, str]]:
    with in_office(app):
        entries = db.session.scalars(db.select(AuditEntry).filter_by(action="reassign").order_by(AuditEntry.id)).all()
        return [(e.user.username, e.case_id, e.detail) for e in entries]


def test_the_supervisor_reassigns_and_only_the_new_caseworker_can_open_the_case(app, office):
    supervisor = signed_in(app, "sv")
    page = text(supervisor.get(f"/caseworker/cases/{office}"))
    assert translated(app, "Reassign to") in page
    choices = page[page.index('id="reassign-to"') : page.index("</select>", page.index('id="reassign-to"'))]
    assert 'value="cw2"' in choices and 'value="sv"' in choices
    assert not any(f'value="{other}"' in choices for other in ("cw", "cw3", "sv2", "gone", "tr", "admin"))

    response = supervisor.post(f"/caseworker/cases/{office}/reassign", data={"caseworker": "cw2"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/caseworker/cases/{office}")
    notice = translated(app, "The case is now assigned to %(name)s.", name="caseworker cw2")
    assert notice in text(supervisor.get(f"/caseworker/cases/{office}"))
    assert holder(app, office) == "cw2"
    assert reassignments(app) == [("sv", office, "cw → cw2")]
    assert signed_in(app, "cw").get(f"/caseworker/cases/{office}").status_code == 403
    new_caseworker = signed_in(app, "cw2")
    assert new_caseworker.get(f"/caseworker/cases/{office}").status_code == 200
    assert ">A-0001<" in new_caseworker.get("/caseworker/cases").get_data(as_text=True)


def test_the_supervisor_can_take_a_case_and_hand_it_on(app, office):
    supervisor = signed_in(app, "sv")
    assert supervisor.post(f"/caseworker/cases/{office}/reassign", data={"caseworker": "sv"}).status_code == 303
    assert holder(app, office) == "sv"
    page = text(supervisor.get(f"/caseworker/cases/{office}"))
    assert 'value="cw"' in page and 'value="cw2"' in page
    assert supervisor.post(f"/caseworker/cases/{office}/reassign", data={"caseworker": "cw"}).status_code == 303
    assert holder(app, office) == "cw"
    assert reassignments(app) == [("sv", office, "cw → sv"), ("sv", office, "sv → cw")]


@pytest.mark.parametrize("username", ["cw", "cw2", "sv2", "cw3", "tr", "admin"])
def test_no_one_else_can_reassign_or_sees_the_form(app, office, username):
    client = signed_in(app, username)
    assert client.post(f"/caseworker/cases/{office}/reassign", data={"caseworker": "cw2"}).status_code == 403
    assert holder(app, office) == "cw" and reassignments(app) == []
    page = client.get(f"/caseworker/cases/{office}")
    assert "/reassign" not in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("to", "message", "params"),
    [
        ("cw3", "Choose a caseworker of your own team.", {}),
        ("sv2", "Choose a caseworker of your own team.", {}),
        ("tr", "Choose a caseworker of your own team.", {}),
        ("nobody", "Choose a caseworker of your own team.", {}),
        ("", "Choose a caseworker of your own team.", {}),
        ("gone", "%(username)s's account is inactive.", {"username": "gone"}),
        ("cw", "The case is already assigned to %(username)s.", {"username": "cw"}),
    ],
)
def test_a_wrong_caseworker_is_refused_and_nothing_changes(app, office, to, message, params):
    supervisor = signed_in(app, "sv")
    response = supervisor.post(f"/caseworker/cases/{office}/reassign", data={"caseworker": to})
    assert response.status_code == 303
    assert translated(app, message, **params) in text(supervisor.get(f"/caseworker/cases/{office}"))
    assert holder(app, office) == "cw" and reassignments(app) == []


def test_a_closed_case_is_not_reassigned(app, office):
    signed_in(app, "cw").post(f"/caseworker/cases/{office}/close", data={"reason": "moved"})
    supervisor = signed_in(app, "sv")
    assert translated(app, "Reassign to") not in text(supervisor.get(f"/caseworker/cases/{office}"))
    supervisor.post(f"/caseworker/cases/{office}/reassign", data={"caseworker": "cw2"})
    assert translated(app, "This case is closed.") in text(supervisor.get(f"/caseworker/cases/{office}"))
    assert holder(app, office) == "cw" and reassignments(app) == []
