"""The caseworker and the recipient see why each program is suggested, from the recipient's own answers; the three
people of issue 23 get the programs a caseworker would suggest, at the kiosk and on the worksheet."""

from __future__ import annotations

import html
import re

from flask_babel import force_locale, pgettext
from staff import answers_for, make_office, new_case, sign_in, translated
from walk import start_and_reach, walk_api, walk_forms

from intake.web.common import office_today


def _label(app, context: str, text: str, locale: str = "ja") -> str:
    with app.test_request_context(), force_locale(locale):
        return pgettext(context, text)


def _short(app, barrier: str, english: str, locale: str = "ja") -> str:
    return _label(app, f"self_reliance:barriers:option:{barrier}:short", english, locale)


def _worksheet(app, client, **changes) -> tuple[list[str], dict[str, list[str]], int]:
    """A recipient walks the kiosk from a caseworker's code with the typical answers and `changes` (a value of None:
    the question is skipped or declined); the worksheet's suggested programs, in order, each one's reasons, the case."""
    case_id, code = new_case(client)
    with app.test_request_context():
        answers = answers_for(office_today())
    for step, value in changes.items():
        if value is None:
            answers.pop(step, None)
        else:
            answers[step] = value
    kiosk = app.test_client()
    assert kiosk.post("/kiosk/code", data={"code": code, "locale": "ja"}).status_code == 302
    assert walk_forms(kiosk, answers, started=True)[-1] == "done"
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    suggested = re.findall(r'class="program-choice suggested">.*?name="program" value="(\w+)"', page, re.S)
    why = {
        program: [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", items)]
        for program, items in re.findall(r'data-testid="why-(\w+)">(.*?)</ul>', page, re.S)
    }
    return suggested, why, case_id


def test_the_worksheet_says_why_each_program_is_suggested(app, client):
    make_office(app)
    sign_in(client, "cw")
    suggested, why, case_id = _worksheet(
        app,
        client,
        age_band="75_plus",
        work_now="retired",
        barriers=["debt", "isolation"],
        goal_kind="social_life",
        goal_pick="someone_to_talk",
        future_areas=["people"],
    )
    assert {"debt_settlement", "social_participation"} <= set(suggested[:3])
    debt = _short(app, "debt", "debts")
    assert why["debt_settlement"][0] == translated(app, "Because they named %(barriers)s among their difficulties", barriers=debt)
    assert why["debt_settlement"][0] == "困りごととして借金を挙げたため"
    older = " ".join(why["older_people_support"])
    assert _label(app, "self_reliance:age_band:option:75_plus", "75 or older") in older
    assert _label(app, "self_reliance:work_now:option:retired", "I have retired") in older
    # Retired, no work area, a social goal: no employment program among the suggestions.
    assert not {"employment_support", "employment_preparation", "youth_employment"} & set(suggested)


def test_a_58_year_old_with_diabetes_at_home_gets_health_management_first(app, client):
    """Issue 23's first person: illness and isolation named, the health question declined, not in hospital, and the
    health check-up picked as a first step. No pension, discharge or disability program; health management first."""
    make_office(app)
    sign_in(client, "cw")
    suggested, why, case_id = _worksheet(
        app,
        client,
        age_band="50_to_64",
        work_now="cannot_now",
        health_now=None,
        people_now="rarely",
        children_now="no_children",
        barriers=["illness", "isolation"],
        future_areas=["health", "people"],
        goal_kind="daily_life",
        goal_pick="regular_doctor",
        action_ideas=["health_management"],
    )
    assert suggested[0] == "health_management"
    assert not {"pension_claims", "discharge_support", "disability_services", "disability_employment"} & set(suggested)
    # The draft sheet's first lines (支援内容及び計画): health management leads there too.
    case_page = client.get(f"/caseworker/cases/{case_id}").get_data(as_text=True)
    draft_url = re.search(r'href="(/caseworker/cases/\d+/drafts/\d+)"', case_page)
    draft = html.unescape(client.get(draft_url.group(1)).get_data(as_text=True))
    lines = re.findall(r"<tr><td>[^<:]*: ([^<]*)</td><td></td><td></td></tr>", draft)
    assert lines[0] == _label(app, "program:health_management:name", "Health management support")
    assert _label(app, "program:pension_claims:name", "Pension and allowance claims") not in lines
    illness = _short(app, "illness", "illness or mental health")
    assert why["health_management"][:2] == [
        translated(app, "Because they named %(barriers)s among their difficulties", barriers=illness),
        translated(app, "Because they chose this program's first step at the kiosk"),
    ]


def test_someone_who_names_debt_and_a_job_search_gets_debt_settlement_in_the_first_three(app, client):
    make_office(app)
    sign_in(client, "cw")
    suggested, _why, _case = _worksheet(
        app,
        client,
        health_now=["no_concerns"],
        children_now="no_children",
        barriers=["debt", "job_search"],
        future_areas=["work", "money"],
    )
    assert "debt_settlement" in suggested[:3] and "employment_support" in suggested[:3]
    assert "disability_employment" not in suggested  # no health worry: not the programs for illness or disability


def test_a_married_father_with_nobody_to_look_after_his_child_is_offered_childcare(app, client):
    """Issue 23's third person: asked who else helps with the children, he says his partner; he names childcare."""
    make_office(app)
    sign_in(client, "cw")
    suggested, why, case_id = _worksheet(
        app,
        client,
        age_band="30s",
        work_now="working_most_days",
        health_now=["no_concerns"],
        children_now="under_school",
        childcare_help="partner",
        barriers=["childcare"],
        future_areas=["children", "work"],
        goal_kind="economic",
        goal_pick="work_and_childcare",
    )
    assert suggested[0] == "childcare"
    assert "single_parent_support" not in suggested
    nobody = _short(app, "childcare", "no one to look after my children")
    assert why["childcare"][0] == translated(app, "Because they named %(barriers)s among their difficulties", barriers=nobody)


def test_the_recipient_reads_why_each_first_step_is_suggested_in_their_language(app):
    """At the kiosk, under each suggested first step: the barriers they named, in their language."""
    make_office(app)
    nobody_es = _short(app, "childcare", "no one to look after my children", "es")
    for locale, expected in (
        ("en", "Suggested because of what you said is hard: no one to look after my children."),
        ("es", f"Se lo sugerimos porque dijo que esto le resulta difícil: {nobody_es}."),
    ):
        changes = {"health_now": ["no_concerns"], "children_now": "under_school", "childcare_help": "partner",
                   "barriers": ["childcare"], "future_areas": ["children"], "goal_kind": "economic",
                   "goal_pick": "work_and_childcare"}
        page = start_and_reach(app.test_client(), "action_ideas", typical(app, changes), locale)
        text = html.unescape(page)
        assert 'id="option-childcare-why"' in page
        assert expected in text
        assert 'value="single_parent_support"' not in page


def test_the_api_says_why_too(app):
    """The JSON API sends the same reason with each suggested first step, in the intake's language."""
    make_office(app)
    answers = typical(app, {"language": "en", "health_now": ["no_concerns"], "barriers": ["debt"],
                            "future_areas": ["money"], "goal_kind": "daily_life", "goal_pick": "debts_sorted"})
    data = walk_api(app.test_client(), answers, locale="en", stop_at="action_ideas")
    why = {option["id"]: option.get("why") for option in data["step"]["options"]}
    assert why["debt_settlement"] == "Suggested because of what you said is hard: debts."
    assert list(why)[:2] == ["debt_settlement", "household_budget"]


def test_the_question_about_help_with_the_children_is_asked_only_of_parents_of_younger_children(app):
    make_office(app)
    asked = start_and_reach(app.test_client(), "childcare_help", typical(app, {"children_now": "school_age"}), "en")
    assert 'data-step="childcare_help"' in asked
    kiosk = app.test_client()
    page = start_and_reach(kiosk, "feelings_now", typical(app, {"children_now": "older"}), "en")
    assert 'data-step="feelings_now"' in page
    kiosk.post("/kiosk/back")
    assert 'data-step="children_now"' in kiosk.get("/kiosk/step").get_data(as_text=True)  # not childcare_help


def typical(app, changes: dict) -> dict:
    with app.test_request_context():
        return answers_for(office_today()) | changes
