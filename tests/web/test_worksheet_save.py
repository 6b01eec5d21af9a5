"""The worksheet never loses an edit: one form, one save that says what it saved, a refused save shown as typed;
words the recipient wrote in another language get their Japanese before approval, and the sheets print each."""

from __future__ import annotations

import html
import io
import re

from conftest import in_office, office_today
from pypdf import PdfReader
from staff import (
    TYPICAL_JAPANESE,
    approve_typical_plan,
    make_office,
    new_case,
    sign_in,
    translated,
    walk_with_code,
    worksheet_form,
)

from intake.domain.dates import add_months
from intake.domain.plan import Plan
from intake.extensions import db
from intake.records import PlanEdit, Worksheet


def _case_with_draft(app, client, locale: str = "en") -> int:
    make_office(app)
    sign_in(client, "cw")
    case_id, code = new_case(client, number="R8-0301", name="Santos Maria", language=locale)
    walk_with_code(app.test_client(), code, office_today(), locale=locale)
    return case_id


def _plan(app, case_id: int) -> Plan:
    with in_office(app):
        return db.session.execute(db.select(Worksheet).filter_by(case_id=case_id)).scalar_one().plan


def _page(client, case_id: int) -> str:
    return html.unescape(client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True))


def test_changing_the_date_then_saving_with_the_programs_keeps_the_date_and_says_what_was_saved(app, client):
    case_id = _case_with_draft(app, client)
    form = worksheet_form(_page(client, case_id))
    assert sorted(form.getlist("part")) == ["actions", "consent", "goal", "interpreter", "programs"]
    new_month = add_months(office_today(), 13).strftime("%Y-%m")
    form["goal_date"] = new_month
    form.setlist("program", ["employment_support"])
    form["support-employment_support"] = "ハローワークへ同行する"
    response = client.post(f"/caseworker/cases/{case_id}/plan", data=form)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/cases/{case_id}/plan")
    plan = _plan(app, case_id)
    assert plan.goal.date == new_month and plan.program_ids == ("employment_support",)
    page = _page(client, case_id)
    flash = re.search(r'<div class="notice" role="status">\s*<p>(.*?)</p>', page, re.S).group(1)
    date_label = translated(app, "the goal's target date")
    program_label = re.search(r'<label for="program-employment_support">([^<]*?)\s*<', page).group(1)
    assert flash == translated(app, "Saved: %(parts)s.", parts=f"{date_label}、{program_label}"), flash
    # Saving again unchanged stores nothing and says so.
    client.post(f"/caseworker/cases/{case_id}/plan", data=worksheet_form(page))
    again = _page(client, case_id)
    assert translated(app, "Nothing had changed; nothing was saved.") in again


def test_a_refused_save_shows_every_field_as_typed_and_stores_nothing(app, client):
    case_id = _case_with_draft(app, client)
    form = worksheet_form(_page(client, case_id))
    with in_office(app):
        edits_before = db.session.scalar(db.select(db.func.count(PlanEdit.id)))
    before = _plan(app, case_id)
    form["goal_date"] = "2001-01"  # in the past: refused
    form.setlist("program", ["employment_support"])
    form["support-employment_support"] = "面接の練習を一緒にする"
    form["action-0-japanese"] = "ハローワークへ行く"
    response = client.post(f"/caseworker/cases/{case_id}/plan", data=form)
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert translated(app, "The target date of the goal is in the past.") in page
    assert 'value="2001-01"' in page and "面接の練習を一緒にする</textarea>" in page
    assert "ハローワークへ行く</textarea>" in page
    assert re.search(r'id="program-employment_support"[^>]*checked', page)
    assert "data-refused" in page  # the page's script treats it as unsaved
    assert _plan(app, case_id) == before
    with in_office(app):
        assert db.session.scalar(db.select(db.func.count(PlanEdit.id))) == edits_before


def test_a_form_that_names_only_some_parts_leaves_the_others_alone(app, client):
    case_id = _case_with_draft(app, client)
    page = _page(client, case_id)
    before = _plan(app, case_id)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    response = client.post(
        f"/caseworker/cases/{case_id}/plan",
        data={"version": version, "part": "programs", "program": ["employment_support"]},
    )
    assert response.status_code == 303
    after = _plan(app, case_id)
    assert (
        after.program_ids == ("employment_support",) and after.goal == before.goal and after.actions == before.actions
    )


def test_save_and_go_back_to_the_case(app, client):
    case_id = _case_with_draft(app, client)
    form = worksheet_form(_page(client, case_id))
    form["then"] = "case"
    response = client.post(f"/caseworker/cases/{case_id}/plan", data=form)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/caseworker/cases/{case_id}")


def test_approve_saves_the_form_first(app, client):
    case_id = _case_with_draft(app, client)
    form = worksheet_form(_page(client, case_id))
    form.setlist("program", ["employment_support"])
    form["consent"] = "yes"
    form["consent_date"] = office_today().isoformat()
    for name, text in TYPICAL_JAPANESE.items():
        form[name] = text
    form["action-1-support"] = "受診に同行する"
    form["plan_date"] = office_today().isoformat()
    form["review_date"] = add_months(office_today(), 3).isoformat()
    response = client.post(f"/caseworker/cases/{case_id}/plan/approve", data=form)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    assert response.headers["Location"].endswith(f"/cases/{case_id}/versions/1")
    sheet = client.get(f"/caseworker/cases/{case_id}/versions/1/print").get_data(as_text=True)
    assert "受診に同行する" in sheet


# --- the official sheet is Japanese (issue 12, item 6) -----------------------------------------------------


def test_words_in_another_language_sit_beside_their_japanese_and_approval_waits_for_it(app, client):
    case_id = _case_with_draft(app, client, locale="fil")
    page = _page(client, case_id)
    recipient_goal = re.search(r'name="goal_text"[^>]*>([^<]*)</textarea>', page).group(1)
    assert 'data-testid="goal-japanese"' in page and 'data-testid="action-0-japanese"' in page
    assert 'lang="fil"' in page  # their words are marked with their language
    form = worksheet_form(page)
    form.setlist("program", ["employment_support"])
    form["consent"] = "yes"
    form["consent_date"] = office_today().isoformat()
    form["plan_date"] = office_today().isoformat()
    form["review_date"] = add_months(office_today(), 3).isoformat()
    refused = client.post(f"/caseworker/cases/{case_id}/plan/approve", data=form)
    assert refused.status_code == 422
    refused_page = html.unescape(refused.get_data(as_text=True))
    assert translated(app, "Write the goal in Japanese (with an interpreter) for the official sheet.") in refused_page
    for name, text in TYPICAL_JAPANESE.items():
        form[name] = text
    response = client.post(f"/caseworker/cases/{case_id}/plan/approve", data=form)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    plan = _plan(app, case_id)
    assert plan.goal.text == recipient_goal and plan.goal.language == "fil"  # verbatim
    assert plan.interpreter == "英語通訳 佐藤"

    official = html.unescape(client.get(f"/caseworker/cases/{case_id}/versions/1/print").get_data(as_text=True))
    assert TYPICAL_JAPANESE["goal_japanese"] in official and TYPICAL_JAPANESE["action-0-japanese"] in official
    assert recipient_goal not in official
    assert "フィリピノ語" in official and "英語通訳 佐藤" in official  # the note: interpreted, and by whom
    copy = html.unescape(
        client.get(f"/caseworker/cases/{case_id}/versions/1/print?copy=recipient").get_data(as_text=True)
    )
    assert TYPICAL_JAPANESE["goal_japanese"] in copy and recipient_goal in copy
    assert plan.actions[0].text in copy and TYPICAL_JAPANESE["action-0-japanese"] in copy

    pdf = client.get(f"/caseworker/cases/{case_id}/versions/1.pdf")
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "".join(TYPICAL_JAPANESE["goal_japanese"].split()) in text
    assert "".join(recipient_goal.split()) not in text


def test_the_history_says_the_japanese_was_added(app, client):
    case_id = _case_with_draft(app, client, locale="en")
    approve_typical_plan(client, case_id, office_today(), add_months(office_today(), 3))
    history = html.unescape(client.get(f"/caseworker/cases/{case_id}/audit").get_data(as_text=True))
    assert TYPICAL_JAPANESE["goal_japanese"] in history
    # Each part named in Japanese, not by its English label or key.
    assert translated(app, "In Japanese (interpreted)") in history and translated(app, "Interpreter") in history
    assert "In Japanese (interpreted)" not in history


def test_a_problem_in_a_folded_action_names_it_links_to_it_and_keeps_it_in_view(app, client):
    case_id = _case_with_draft(app, client)
    form = worksheet_form(_page(client, case_id))
    form["action-3-date"] = office_today().isoformat()  # action 4, folded under "More actions", without its words
    response = client.post(f"/caseworker/cases/{case_id}/plan", data=form)
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    problem = translated(app, "Please write what the action is.")
    place = translated(app, "Action %(number)s", number=4)
    assert f'<a href="#action-3">{translated(app, "%(place)s: %(problem)s", place=place, problem=problem)}</a>' in page
    assert re.search(r'<details class="more-actions"\s+open>', page), "the folded action with the problem is open"
    fieldset = re.search(r'<fieldset class="action-item has-problem" id="action-3">(.*?)</fieldset>', page, re.S)
    assert fieldset and problem in fieldset.group(1)
    assert page.count("has-problem") == 1
