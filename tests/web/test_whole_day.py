"""A plan's whole life in the browser: ticket → kiosk → review → programs → consent → approve → print → 見直し → version 2 → report."""

from __future__ import annotations

import csv as csv_module
import html
import io
import re
from datetime import date

from conftest import in_office
from staff import make_office, new_case, sign_in, translated, version_of, walk_with_code

from intake.extensions import db
from intake.records import PlanVersion


def test_the_whole_day(app, client):
    make_office(app)
    app.config["OFFICE_TODAY"] = date(2019, 4, 30)
    sign_in(client, "cw")
    case_id, code = new_case(client, number="2019-0042", name="山田 花子", language="en")
    queue = client.get("/caseworker/cases").get_data(as_text=True)
    assert "2019-0042" in queue and 'data-status="ticket_issued"' in queue

    # The recipient, at the kiosk with the code (the kiosk session replaces the staff sign-in in this browser).
    kiosk = app.test_client()
    shown = walk_with_code(kiosk, code, date(2019, 4, 30), locale="en")
    assert shown[-1] == "done"
    assert kiosk.post("/kiosk/code", data={"code": code}).status_code == 422  # single use

    queue = client.get("/caseworker/cases").get_data(as_text=True)
    assert 'data-status="submitted"' in queue

    # Review: the recipient's words stay; the caseworker edits separately.
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    assert "Work part-time in a job where I can sit" in page
    assert translated(app, "Special-care information") in page
    version = version_of(page)
    response = client.post(
        f"/caseworker/cases/{case_id}/plan",
        data={
            "part": "goal",
            "version": version,
            "goal_text": "座ってできる仕事でパートタイムで働く",
            "goal_shown": "x",
            "goal_kind": "economic",
            "goal_date": "2020-04",
        },
    )
    assert response.status_code == 303
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    assert "座ってできる仕事でパートタイムで働く" in page
    assert "Work part-time in a job where I can sit" in page  # the recipient's own words are still shown
    # A stale form (the old version) changes nothing.
    stale = client.post(
        f"/caseworker/cases/{case_id}/plan",
        data={
            "part": "goal",
            "version": version,
            "goal_text": "stale",
            "goal_shown": "x",
            "goal_kind": "economic",
            "goal_date": "2020-04",
        },
    )
    assert stale.status_code == 409
    version = version_of(page)

    # Programs: suggestions ranked by barriers (illness, job_search) and goal kind (economic).
    assert (
        page.index('id="program-disability_employment"') < page.index('id="program-social_participation"')
        if 'id="program-social_participation"' in page
        else True
    )
    response = client.post(
        f"/caseworker/cases/{case_id}/plan",
        data={
            "part": "programs",
            "version": version,
            "program": ["employment_support", "health_management"]
            if "program-health_management" in page
            else ["employment_support"],
            "support-employment_support": "ハローワークへ同行し、求人を一緒に探す",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    version = version_of(page)

    # Approving without consent is refused and changes nothing.
    refused = client.post(
        f"/caseworker/cases/{case_id}/plan/approve",
        data={"version": version, "plan_date": "2019-04-30", "review_date": "2019-07-31"},
    )
    assert refused.status_code == 422
    with in_office(app):
        assert db.session.scalar(db.select(db.func.count(PlanVersion.id))) == 0
    # The recipient wrote the actions in English: approval asks for their Japanese, written with an interpreter.
    refused_page = html.unescape(refused.get_data(as_text=True))
    assert (
        translated(app, "Write action %(number)s in Japanese (with an interpreter) for the official sheet.", number=1)
        in refused_page
    )
    actions = {
        "part": ["actions", "interpreter"],
        "version": version,
        "interpreter": "英語通訳 佐藤",
        "action-0-japanese": "12月の火曜日に担当者とハローワークへ行く",
        "action-1-japanese": "来月、膝のことで整形外科を受診する",
    }
    for index in range(2):
        actions[f"action-{index}-text"] = html.unescape(
            re.search(rf'name="action-{index}-text"[^>]*>([^<]*)</textarea>', page).group(1)
        )
        actions[f"action-{index}-date"] = re.search(rf'name="action-{index}-date" value="([^"]*)"', page).group(1)
    response = client.post(f"/caseworker/cases/{case_id}/plan", data=actions)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    version = version_of(page)

    response = client.post(
        f"/caseworker/cases/{case_id}/plan",
        data={"part": "consent", "version": version, "consent": "yes", "consent_date": "2019-04-30"},
    )
    assert response.status_code == 303
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    version = version_of(page)
    # Dates out of order: the review before the plan.
    refused = client.post(
        f"/caseworker/cases/{case_id}/plan/approve",
        data={"version": version, "plan_date": "2019-04-30", "review_date": "2019-04-01"},
    )
    assert refused.status_code == 422
    response = client.post(
        f"/caseworker/cases/{case_id}/plan/approve",
        data={"version": version, "plan_date": "2019-04-30", "review_date": "2019-07-31"},
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    # A second approve from the same (now stale) form does nothing.
    again = client.post(
        f"/caseworker/cases/{case_id}/plan/approve",
        data={"version": version, "plan_date": "2019-04-30", "review_date": "2019-07-31"},
    )
    assert again.status_code == 409

    # Print: the last day of 平成.
    sheet = client.get(f"/caseworker/cases/{case_id}/versions/1/print").get_data(as_text=True)
    assert "平成31年4月30日" in sheet
    assert "福祉事務所長 殿" in sheet and "自立計画書" in sheet
    assert "座ってできる仕事でパートタイムで働く" in sheet
    assert "12月の火曜日に担当者とハローワークへ行く" in sheet and "Go to Hello Work" not in sheet  # the Japanese only
    bilingual = client.get(f"/caseworker/cases/{case_id}/versions/1/print?copy=recipient").get_data(as_text=True)
    assert 'lang="en"' in bilingual and "自立計画書" in bilingual
    assert translated(app, "Self-reliance plan", "en") in bilingual
    assert (
        "12月の火曜日に担当者とハローワークへ行く" in bilingual and "Go to Hello Work with my caseworker" in bilingual
    )

    # 見直し three months later, in 令和元年.
    app.config["OFFICE_TODAY"] = date(2019, 7, 31)
    queue = client.get("/caseworker/cases").get_data(as_text=True)
    assert 'data-status="review_due"' in queue
    review = {
        "review_date": "2019-07-31",
        "action-0-progress": "2回同行した",
        "action-0-evaluation": "achieved",
        "action-1-progress": "受診した",
        "action-1-evaluation": "partly",
        "program-employment_support-progress": "週1回面談",
        "program-employment_support-evaluation": "achieved",
        "goal-progress": "",
        "goal-evaluation": "partly",
    }
    for key in list(review):
        if key.startswith("program-") and "employment_support" not in key:
            del review[key]
    page = client.get(f"/caseworker/cases/{case_id}/review").get_data(as_text=True)
    for program_id in re.findall(r'name="program-([a-z_]+)-evaluation"', page):
        review.setdefault(f"program-{program_id}-evaluation", "not_yet")
    bad = dict(review, **{"review_date": "2019-04-01"})
    assert client.post(f"/caseworker/cases/{case_id}/review", data=bad).status_code == 422
    response = client.post(f"/caseworker/cases/{case_id}/review", data=review)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    sheet = client.get(f"/caseworker/cases/{case_id}/versions/1/print").get_data(as_text=True)
    assert "2回同行した" in sheet and "達成" in sheet

    # Revise → version 2 with a diff.
    page = client.get(f"/caseworker/cases/{case_id}/versions/1").get_data(as_text=True)
    response = client.post(f"/caseworker/cases/{case_id}/plan/revise", data={"version": version_of(page)})
    assert response.status_code == 303
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    response = client.post(
        f"/caseworker/cases/{case_id}/plan",
        data={
            "part": "actions",
            "version": version_of(page),
            "action-0-text": "週2回ハローワークに行く",
            "action-0-date": "2019-10-31",
            "action-1-text": "Keep seeing the orthopaedic doctor",
            "action-1-date": "2019-09-30",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    client.post(
        f"/caseworker/cases/{case_id}/plan",
        data={"part": "consent", "version": version_of(page), "consent": "yes", "consent_date": "2019-07-31"},
    )
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    response = client.post(
        f"/caseworker/cases/{case_id}/plan/approve",
        data={"version": version_of(page), "plan_date": "2019-07-31", "review_date": "2019-10-31"},
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    sheet = client.get(f"/caseworker/cases/{case_id}/versions/2/print").get_data(as_text=True)
    assert "令和元年7月31日" in sheet
    diff = client.get(f"/caseworker/cases/{case_id}/versions?from=1&to=2").get_data(as_text=True)
    assert "週2回ハローワークに行く" in diff and "<del>" in diff
    # Version 1 is unchanged.
    assert "2回同行した" in client.get(f"/caseworker/cases/{case_id}/versions/1").get_data(as_text=True)

    # The office report counts the case: one participant in employment support, one achiever.
    client.post("/caseworker/logout")
    sign_in(client, "sv")
    report = client.get("/caseworker/office/report?start=2019-04-01&end=2019-12-31").get_data(as_text=True)
    row = re.search(r'<tr data-key="employment_support">(.*?)</tr>', report, re.S).group(1)
    assert re.findall(r"<td>([^<]*)</td>", row)[1:4] == ["1", "1", "100.0%"]
    assert "<svg" in report
    csv = client.get("/caseworker/office/report.csv?start=2019-04-01&end=2019-12-31")
    assert csv.mimetype == "text/csv"
    assert "employment_support" in csv.get_data(as_text=True)
    # The survey's "of which: employment" line sits under the economic group, on the page and in the CSV.
    row = re.search(r'<tr data-key="employment" class="sub-line">(.*?)</tr>', report, re.S).group(1)
    assert translated(app, "of which: employment") in row
    assert re.findall(r"<td>([^<]*)</td>", row) == ["1", "1", "100.0%"]
    assert (
        report.index('data-key="economic"')
        < report.index('data-key="employment"')
        < report.index('data-key="daily_life"')
    )
    lines = list(csv_module.reader(io.StringIO(csv.get_data(as_text=True).lstrip("\ufeff"))))
    sub_line = next(line for line in lines if line[-1] == "employment")
    assert sub_line[:3] == ["うち", translated(app, "Economic self-reliance"), translated(app, "of which: employment")]
    assert sub_line[-2:] == ["economic", "employment"]  # the ids, in the columns named for them
