"""Two people on one worksheet: the second save is refused (nothing of it is stored), and the page that says so
shows the plan as it is now together with what the refused form would have changed, so that nothing typed is lost."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from staff import make_office, new_case, sign_in, translated, version_of, worksheet_form

TODAY = date(2026, 11, 26)


def _opened_twice(app, client):
    """A case with a desk plan's goal, and its worksheet's form as two tabs loaded it (the same version)."""
    make_office(app)
    app.config["OFFICE_TODAY"] = TODAY
    sign_in(client, "cw")
    case_id, _ = new_case(client, ticket=False)
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    goal = {"part": "goal", "goal_text": "毎朝8時に起きる", "goal_shown": "", "goal_kind": "daily_life"}
    response = client.post(
        f"/caseworker/cases/{case_id}/plan", data={"version": version_of(page), **goal, "goal_date": "2027-11"}
    )
    assert response.status_code == 303
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    return case_id, worksheet_form(page), worksheet_form(page)


def _not_saved(page: str) -> list[str]:
    section = re.search(r'data-testid="not-saved">(.*?)</section>', page, re.S)
    return [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", section.group(1))] if section else []


def test_a_refused_save_shows_the_other_change_and_what_it_would_have_changed(app, client):
    case_id, first, second = _opened_twice(app, client)
    first["action-0-text"], first["action-0-date"] = "朝に散歩する", "2027-01-10"
    assert client.post(f"/caseworker/cases/{case_id}/plan", data=first).status_code == 303

    second["goal_text"] = "毎朝7時に起きて、ラジオ体操をする"
    second["action-0-text"], second["action-0-date"] = "図書館へ行く", "2027-02-01"
    refused = client.post(f"/caseworker/cases/{case_id}/plan", data=second)
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    current = worksheet_form(page)
    assert current["action-0-text"] == "朝に散歩する", "the form shows the plan as it is now"
    assert current["goal_text"] == "毎朝8時に起きる"
    assert translated(app, "What your save would have changed") in page
    lines = _not_saved(page)
    assert len(lines) == 2, lines
    assert "毎朝7時に起きて、ラジオ体操をする" in lines[0] + lines[1] and "図書館へ行く" in lines[0] + lines[1]
    assert not any("朝に散歩する" in line for line in lines), "the other tab's action is not listed as this one's"

    stored = worksheet_form(client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True))
    assert stored["goal_text"] == "毎朝8時に起きる" and stored["action-0-text"] == "朝に散歩する"
    assert _not_saved(client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)) == []


def test_what_the_other_tab_changed_is_not_listed_as_this_ones(app, client):
    case_id, first, second = _opened_twice(app, client)
    first["goal_date"] = "2027-06"  # the other tab brings the goal's target month forward
    first["action-0-text"], first["action-0-date"] = "朝に散歩する", "2026-12-10"
    assert client.post(f"/caseworker/cases/{case_id}/plan", data=first).status_code == 303

    second.setlist("program", ["health_management"])
    second["support-health_management"] = "月に一度、保健師と面談する"
    refused = client.post(f"/caseworker/cases/{case_id}/plan", data=second)
    assert refused.status_code == 409
    lines = _not_saved(refused.get_data(as_text=True))
    assert lines and all(translated(app, "Program") in line for line in lines), lines
    assert not any(translated(app, "Target date") in line or "朝に散歩する" in line for line in lines)


@pytest.mark.parametrize("shown", [None, '{"actions": [1]}', '{"goal": {"date": "someday"}}', "{"])
def test_a_form_without_a_readable_shown_plan_gives_its_words_as_typed(app, client, shown):
    """A page from before `shown` was added, or one whose `shown` came back garbled: still no word is lost."""
    case_id, first, second = _opened_twice(app, client)
    first["action-0-text"], first["action-0-date"] = "朝に散歩する", "2026-12-10"
    assert client.post(f"/caseworker/cases/{case_id}/plan", data=first).status_code == 303

    if shown is None:
        del second["shown"]
    else:
        second["shown"] = shown
    second["action-0-text"], second["action-0-date"] = "週に一度、図書館へ行く", "2027-03-01"
    refused = client.post(f"/caseworker/cases/{case_id}/plan", data=second)
    assert refused.status_code == 409
    lines = _not_saved(refused.get_data(as_text=True))
    assert any("週に一度、図書館へ行く" in line for line in lines), lines
    if shown is None:
        assert translated(app, "As typed: “%(text)s”", text="週に一度、図書館へ行く") in lines


def test_approving_a_form_loaded_before_another_change_lists_what_it_carried(app, client):
    case_id, first, second = _opened_twice(app, client)
    first["action-0-text"], first["action-0-date"] = "朝に散歩する", "2027-01-10"
    assert client.post(f"/caseworker/cases/{case_id}/plan", data=first).status_code == 303

    second["action-1-text"], second["action-1-date"] = "地域の食堂に行く", "2027-03-01"
    second["plan_date"] = TODAY.isoformat()
    refused = client.post(f"/caseworker/cases/{case_id}/plan/approve", data=second)
    assert refused.status_code == 409
    assert any("地域の食堂に行く" in line for line in _not_saved(refused.get_data(as_text=True)))
    assert b"/versions/1" not in client.get(f"/caseworker/cases/{case_id}").data, "nothing was approved"
