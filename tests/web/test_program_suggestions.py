"""The caseworker sees why each program is suggested, from the recipient's own answers."""

from __future__ import annotations

import html
import re

from flask_babel import force_locale, pgettext
from staff import answers_for, make_office, new_case, sign_in
from walk import walk_forms

from intake.web.common import office_today


def _label(app, context: str, text: str) -> str:
    with app.test_request_context(), force_locale("ja"):
        return pgettext(context, text)


def test_the_worksheet_says_which_answers_each_suggestion_matches(app, client):
    make_office(app)
    sign_in(client, "cw")
    case_id, code = new_case(client)
    kiosk = app.test_client()
    with app.test_request_context():
        answers = answers_for(office_today())
    answers.update(age_band="75_plus", work_now="retired", barriers=["debt", "isolation"], goal_kind="social_life")
    answers["goal_pick"] = "someone_to_talk"
    answers["future_areas"] = ["people"]
    assert kiosk.post("/kiosk/code", data={"code": code, "locale": "ja"}).status_code == 302
    assert walk_forms(kiosk, answers, started=True)[-1] == "done"
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    suggested = re.findall(r'data-testid="why-(\w+)">(.*?)</p>', page)
    why = {program: html.unescape(text) for program, text in suggested}
    assert "debt_settlement" in why and "social_participation" in why and "older_people_support" in why
    assert _label(app, "self_reliance:barriers:option:debt", "I have debts that worry me") in why["debt_settlement"]
    older = why["older_people_support"]
    assert _label(app, "self_reliance:age_band:option:75_plus", "75 or older") in older
    assert _label(app, "self_reliance:work_now:option:retired", "I have retired") in older
    # Retired, no work area, a social goal: no employment program among the suggestions.
    assert not {"employment_support", "employment_preparation", "youth_employment"} & set(why)
