"""Closing a case asks for confirmation and a reason (終結理由); the supervisor reopens; a closed case issues no code."""

from __future__ import annotations

from conftest import in_office, office_today
from staff import make_office, new_case, sign_in, translated, walk_with_code

from intake.extensions import db
from intake.records import AuditEntry, Case, Ticket


def _case(app, case_id):
    with in_office(app):
        case = db.session.get(Case, case_id)
        return case.closed_at, case.closed_reason, case.closed_note


def _actions(app, case_id):
    with in_office(app):
        return [
            (e.action, e.detail)
            for e in db.session.scalars(db.select(AuditEntry).filter_by(case_id=case_id).order_by(AuditEntry.id))
        ]


def test_the_close_link_leads_to_a_confirmation_with_the_offices_reasons(app, client):
    make_office(app)
    sign_in(client, "cw")
    case_id, _ = new_case(client)
    page = client.get(f"/caseworker/cases/{case_id}").get_data(as_text=True)
    assert f'href="/caseworker/cases/{case_id}/close"' in page
    confirm = client.get(f"/caseworker/cases/{case_id}/close").get_data(as_text=True)
    for label in ("就労による自立", "転居", "保護廃止", "その他"):
        assert label in confirm
    assert _case(app, case_id)[0] is None  # looking at the confirmation closes nothing


def test_closing_without_a_reason_or_other_without_a_note_is_refused_and_changes_nothing(app, client):
    make_office(app)
    sign_in(client, "cw")
    case_id, _ = new_case(client)
    before = _actions(app, case_id)
    missing = client.post(f"/caseworker/cases/{case_id}/close", data={})
    assert missing.status_code == 422
    assert translated(app, "Choose the reason for closing the case.") in missing.get_data(as_text=True)
    other = client.post(f"/caseworker/cases/{case_id}/close", data={"reason": "other", "note": "  "})
    assert other.status_code == 422
    assert translated(app, "Write what the other reason is.") in other.get_data(as_text=True)
    assert _case(app, case_id) == (None, None, "")
    assert _actions(app, case_id) == before


def test_a_closed_case_shows_its_reason_offers_no_code_and_the_supervisor_reopens_it(app, client):
    make_office(app)
    sign_in(client, "cw")
    case_id, _ = new_case(client)
    response = client.post(f"/caseworker/cases/{case_id}/close", data={"reason": "other", "note": "施設に入所"})
    assert response.status_code == 303
    closed_at, reason, note = _case(app, case_id)
    assert closed_at is not None and reason == "other" and note == "施設に入所"
    assert ("close", "その他: 施設に入所") in _actions(app, case_id)
    page = client.get(f"/caseworker/cases/{case_id}").get_data(as_text=True)
    assert "施設に入所" in page and "その他" in page
    assert f'action="/caseworker/cases/{case_id}/tickets"' not in page
    assert f'action="/caseworker/cases/{case_id}/reopen"' not in page  # the caseworker cannot reopen
    with in_office(app):
        tickets = db.session.scalar(db.select(db.func.count(Ticket.id)))
    client.post(f"/caseworker/cases/{case_id}/tickets")
    with in_office(app):
        assert db.session.scalar(db.select(db.func.count(Ticket.id))) == tickets
    assert client.post(f"/caseworker/cases/{case_id}/reopen").status_code == 403

    supervisor = app.test_client()
    sign_in(supervisor, "sv")
    page = supervisor.get(f"/caseworker/cases/{case_id}").get_data(as_text=True)
    assert f'action="/caseworker/cases/{case_id}/reopen"' in page
    assert supervisor.post(f"/caseworker/cases/{case_id}/reopen").status_code == 303
    assert _case(app, case_id) == (None, None, "")
    assert "reopen" in [action for action, _ in _actions(app, case_id)]
    assert f'action="/caseworker/cases/{case_id}/tickets"' in client.get(f"/caseworker/cases/{case_id}").get_data(
        as_text=True
    )


def test_the_audit_page_names_actions_in_japanese(app, client):
    make_office(app)
    sign_in(client, "cw")
    case_id, _ = new_case(client)
    client.post(f"/caseworker/cases/{case_id}/close", data={"reason": "moved"})
    page = client.get(f"/caseworker/cases/{case_id}/audit").get_data(as_text=True)
    assert translated(app, "Case closed") in page and translated(app, "Case created") in page
    assert ">close<" not in page and ">create<" not in page


def test_staff_read_every_language_by_one_japanese_name(app, client):
    make_office(app)
    sign_in(client, "cw")
    form = client.get("/caseworker/cases/new").get_data(as_text=True)
    for name in ("ネパール語", "ベトナム語", "フィリピノ語", "やさしい日本語", "中国語（簡体字）", "ポルトガル語（ブラジル）"):
        assert f">{name}</option>" in form
    for own_script in ("नेपाली", "Tiếng Việt", "Tagalog", "简体中文"):
        assert own_script not in form
    case_id, code = new_case(client, number="N-0001", language="ne")
    page = client.get(f"/caseworker/cases/{case_id}").get_data(as_text=True)
    assert "ネパール語" in page and "नेपाली" not in page
    # A Nepali walk: the worksheet marks the recipient's own words as written in Nepali, by its Japanese name.
    walk_with_code(app.test_client(), code, office_today(), locale="ne")
    worksheet = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    assert "ネパール語で記入" in worksheet and "नेपाली" not in worksheet
