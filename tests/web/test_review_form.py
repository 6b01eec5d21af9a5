"""The review form (見直し) refused: each problem says which line it is about, links to it, and the line says it again;
what was typed stays."""

from __future__ import annotations

import html
import re

from staff import approved_case, make_office, sign_in, translated

from intake.web.plan_text import program_name


def test_a_review_without_evaluations_names_each_line(app, client):
    make_office(app)
    sign_in(client, "cw")
    case_id = approved_case(app, client)
    response = client.post(
        f"/caseworker/cases/{case_id}/review", data={"action-0-progress": "2回同行した", "action-1-evaluation": "partly"}
    )
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    problem = translated(app, "Please choose an evaluation.")
    with app.test_request_context():
        app.preprocess_request()
        program = program_name("employment_support")
    places = {
        "action-0": translated(app, "Action %(number)s", number=1),
        "goal": translated(app, "Goal"),
        "program-employment_support": program,
    }
    for where, place in places.items():
        link = translated(app, "%(place)s: %(problem)s", place=place, problem=problem)
        assert f'<a href="#{where}">{link}</a>' in page, where
        fieldset = re.search(rf'<fieldset class="action-item has-problem" id="{where}">(.*?)</fieldset>', page, re.S)
        assert fieldset and problem in fieldset.group(1)
        assert f'aria-describedby="{where}-problems"' in fieldset.group(1)
    assert 'href="#action-1"' not in page, "action 2 has its evaluation"
    assert "2回同行した</textarea>" in page and re.search(r'id="action-1-partly"[^>]*checked', page)
