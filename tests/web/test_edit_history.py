"""The plan's edit history reads as Japanese sentences with era dates and program names, never as raw JSON."""

from __future__ import annotations

import re
from datetime import date

from staff import make_office, new_case, sign_in, version_of


def _history(client, case_id) -> list[str]:
    page = client.get(f"/caseworker/cases/{case_id}/audit").get_data(as_text=True)
    table = page.split('data-testid="edits"', 1)[1]
    return [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", table, re.S)]


def _case_without_code(make_app) -> tuple:
    """Signed in as cw on 3 December 2026 (令和8年), with a new case and no kiosk code: (client, case id)."""
    app = make_app(OFFICE_TODAY=date(2026, 12, 3))
    make_office(app)
    client = app.test_client()
    sign_in(client, "cw")
    case_id, _ = new_case(client, ticket=False)
    return client, case_id


def test_edits_read_as_sentences_with_era_dates_and_program_names(make_app):
    client, case_id = _case_without_code(make_app)
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    response = client.post(
        f"/caseworker/cases/{case_id}/plan",
        data={
            "part": "goal",
            "version": version_of(page),
            "goal_text": "週3日働く",
            "goal_kind": "economic",
            "goal_date": "2027-11",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:1500]
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    client.post(
        f"/caseworker/cases/{case_id}/plan",
        data={
            "part": "goal",
            "version": version_of(page),
            "goal_text": "週3日働く",
            "goal_shown": "週3日働く",
            "goal_kind": "economic",
            "goal_date": "2027-12",
        },
    )
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    client.post(
        f"/caseworker/cases/{case_id}/plan",
        data={
            "part": "programs",
            "version": version_of(page),
            "program": ["employment_support"],
            "support-employment_support": "同行する",
        },
    )
    sentences = _history(client, case_id)
    assert "目標の達成期限を「令和9年11月」から「令和9年12月」に変更しました。" in sentences, sentences
    assert "目標の内容を「週3日働く」にしました。" in sentences, sentences
    kind = next(s for s in sentences if s.startswith("目標の自立の種類を「"))
    assert "economic" not in kind  # the kind's label, not its id
    assert any(s.startswith("支援プログラム「") and s.endswith("」を追加しました。") for s in sentences), sentences
    page = client.get(f"/caseworker/cases/{case_id}/audit").get_data(as_text=True)
    assert '{"' not in page and "null" not in page and "2027-12" not in page


def test_a_consent_date_is_named_as_such_not_as_the_goals_target_date(make_app):
    client, case_id = _case_without_code(make_app)
    for day in ("2026-12-01", "2026-12-03"):
        page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
        data = {
            "part": ["programs", "consent"],
            "version": version_of(page),
            "program": ["employment_support"],
            "consent": "yes",
            "consent_date": day,
        }
        assert client.post(f"/caseworker/cases/{case_id}/plan", data=data).status_code == 303
    sentences = _history(client, case_id)
    changed = [s for s in sentences if "令和8年12月1日" in s and "令和8年12月3日" in s]
    assert changed and all("達成期限" not in s for s in changed), sentences
