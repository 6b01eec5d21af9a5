"""Where people stop (issue 25): anonymous counts per step and language, the office's page and CSV, the translator's
outliers, small cells hidden, no link from a count to an intake or a person, and the counts' retention."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from conftest import day_ahead, in_office
from html_checker import nu_errors
from staff import make_office, sign_in, translated
from walk import start_and_reach, typical_answers, walk_api

from intake.domain import step_counts as measures
from intake.extensions import db
from intake.records import Intake, StepCount, utcnow
from intake.services.offices import default_office
from intake.services.retention import purge_office

TOO_LONG = "x" * 600  # future_picture takes at most 500 characters


def _walks(app) -> None:
    """Five whole walks in Japanese and five in Spanish (JSON API); six Vietnamese kiosk walks that each get an answer
    error on future_picture and then leave it (three quick exits, three idle wipes); two Spanish intakes left at the
    barriers step, then deleted by the purge (walked away)."""
    for locale in ("ja", "es"):
        for _ in range(5):
            assert (
                walk_api(app.test_client(), typical_answers() | {"language": locale}, locale=locale)["step"]["id"]
                == "done"
            )
    for index in range(6):
        kiosk = app.test_client()
        start_and_reach(kiosk, "future_picture", locale="vi")
        refused = kiosk.post("/kiosk/step", data={"step": "future_picture", "value": TOO_LONG})
        assert refused.status_code == 422
        left = kiosk.post("/kiosk/exit" if index % 2 else "/kiosk/reset")
        assert left.status_code == 303
    for _ in range(2):
        walk_api(app.test_client(), typical_answers() | {"language": "es"}, locale="es", stop_at="barriers")
    with in_office(app):
        deleted = len(purge_office(default_office(), now=utcnow() + timedelta(days=2)).intakes)
        db.session.commit()
    assert deleted == 8  # the six Vietnamese intakes and the two Spanish ones


def _counts(app) -> dict[tuple[str, str, str], int]:
    with in_office(app):
        rows = db.session.execute(
            sa.select(StepCount.step_id, StepCount.locale, StepCount.measure, sa.func.sum(StepCount.count)).group_by(
                StepCount.step_id, StepCount.locale, StepCount.measure
            )
        ).all()
    return {(s, loc, m): n for s, loc, m, n in rows}


def _cell(page: str, testid: str, step: str, measure: str) -> str:
    table = page[page.index(f'data-testid="{testid}"') :]
    row = table[table.index(f'<tr data-step="{step}"') :]
    row = row[: row.index("</tr>")]
    return re.search(rf'data-measure="{re.escape(measure)}">([^<]*)<', row).group(1)


def test_walks_in_three_languages_show_in_the_counts_the_funnel_and_the_translators_outliers(app):
    make_office(app)
    _walks(app)
    counts = _counts(app)
    assert counts[("welcome", "ja", measures.REACHED)] == 5
    assert counts[("done", "es", measures.COMPLETED)] == 5
    assert counts[("future_picture", "vi", "error:too_long")] == 6
    assert counts[("future_picture", "vi", "abandoned:exit")] == 3
    assert counts[("future_picture", "vi", "abandoned:idle")] == 3
    assert counts[("future_picture", "vi", "abandoned:walked")] == 6
    assert counts[("barriers", "es", "abandoned:walked")] == 2
    assert counts[("health_now", "ja", measures.ANSWERED)] == 5
    assert (
        sum(
            n
            for (step, loc, m), n in counts.items()
            if m.startswith(measures.TIME) and step == "notice" and loc == "ja"
        )
        == 5
    )

    office = app.test_client()
    sign_in(office, "sv")
    page = office.get("/caseworker/office/counts/").get_data(as_text=True)
    assert "<svg" in page and 'data-testid="funnel-self_reliance"' in page
    assert _cell(page, "funnel-self_reliance", "welcome", "reached") == "18"  # 5 + 5 + 6 + the two Spanish who stopped
    assert _cell(page, "funnel-self_reliance", "future_picture", "errors") == "6"
    assert _cell(page, "funnel-self_reliance", "future_picture", "abandoned:walked") == "6"
    assert _cell(page, "funnel-self_reliance", "barriers", "abandoned:walked") == "&lt;5"  # two people: hidden
    assert _cell(page, "funnel-self_reliance", "future_picture", "abandoned:exit") == "&lt;5"
    languages = page[page.index('data-testid="languages-self_reliance"') :]
    assert 'data-locale="vi"' in languages and 'data-locale="es"' in languages and 'data-locale="ja"' in languages

    translator = app.test_client()
    sign_in(translator, "tr")
    vi = translator.get("/translate/vi/stops").get_data(as_text=True)
    assert '<tr data-step="future_picture" data-what="errors">' in vi
    assert '<tr data-step="future_picture" data-what="abandonments">' in vi
    assert 'href="/translate/vi/kiosk/self_reliance/future_picture"' in vi
    assert "Imagine that a year or two from now" in vi  # the English source beside this language's string
    assert translator.get("/translate/ja/stops").get_data(as_text=True).count('data-testid="no-stops"') == 1
    assert translator.get("/translate/es/stops").status_code == 200


def test_small_cells_are_hidden_on_the_page_in_the_chart_and_in_the_csv(app):
    make_office(app)
    for _ in range(2):
        walk_api(app.test_client(), typical_answers() | {"language": "es"}, locale="es", stop_at="barriers")
    for _ in range(5):
        walk_api(app.test_client(), typical_answers() | {"language": "ja"}, locale="ja", stop_at="future_picture")
    office = app.test_client()
    sign_in(office, "admin")
    page = office.get("/caseworker/office/counts/").get_data(as_text=True)
    assert _cell(page, "funnel-self_reliance", "welcome", "reached") == "7"
    assert _cell(page, "funnel-self_reliance", "barriers", "reached") == "&lt;5"
    section = page[page.index('data-dialogue="self_reliance"') :]
    chart = section[section.index("<svg") : section.index("</svg>")]
    assert '<rect x="238" y="' in chart and re.search(
        r'width="0" height="16" fill="#0b5d3b" data-step="barriers"', chart
    )
    response = office.get("/caseworker/office/counts/counts.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == [
        translated(app, header)
        for header in (
            "From", "To", "Dialogue ID", "Step ID", "Question", "Language shown", "Language code", "Item", "Item code", "Count"
        )
    ]
    assert {r[5] for r in rows[1:] if r[6] == "es"} == {"スペイン語"}  # staff read a language by its Japanese name
    cells = {(r[3], r[6], r[8]): r[9] for r in rows[1:]}
    assert cells[("barriers", "es", "reached")] == "<5"
    assert cells[("welcome", "es", "reached")] == "<5"
    assert cells[("welcome", "ja", "reached")] == "5"
    assert all(value == "<5" or value == "0" or int(value) >= 5 for value in cells.values())
    assert translated(app, "Shown") in {r[7] for r in rows[1:]}


def test_no_table_links_a_count_to_an_intake_a_person_or_a_moment(app):
    """Every table of the schema is read: the counts point only at their office, nothing points at the counts, and
    no column of theirs could name an intake, a person, a session or a time finer than a day."""
    tables = {table.name: table for table in db.metadata.sorted_tables}
    counts = tables["step_counts"]
    assert {fk.column.table.name for fk in counts.foreign_keys} == {"offices"}
    for table in tables.values():
        assert all(fk.column.table.name != "step_counts" for fk in table.foreign_keys), table.name
    people = re.compile(r"intake|user|case|person|session|token|receipt|kiosk|screen|client|address|code|name", re.I)
    for column in counts.columns:
        assert not people.search(column.name), column.name
        assert not isinstance(column.type, sa.DateTime | sa.Time | sa.Interval), column.name
    assert isinstance(counts.columns["day"].type, sa.Date)
    with app.app_context():  # and the database built from the models agrees
        inspected = sa.inspect(db.engine)
        assert {fk["referred_table"] for fk in inspected.get_foreign_keys("step_counts")} == {"offices"}
        for name in inspected.get_table_names():
            assert all(fk["referred_table"] != "step_counts" for fk in inspected.get_foreign_keys(name)), name


def test_an_answer_error_is_counted_though_the_answer_is_refused_and_the_intake_unchanged(app):
    client = app.test_client()
    data = walk_api(client, typical_answers() | {"language": "en"}, locale="en", stop_at="future_picture")
    with in_office(app):
        before = db.session.scalar(sa.select(Intake.version).filter_by(token=data["token"]))
    refused = client.post(f"/api/v1/intakes/{data['token']}/answer", json={"step": "future_picture", "value": TOO_LONG})
    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "invalid_answer"
    with in_office(app):
        assert db.session.scalar(sa.select(Intake.version).filter_by(token=data["token"])) == before
    assert _counts(app)[("future_picture", "en", "error:too_long")] == 1
    assert client.post(f"/api/v1/intakes/{data['token']}/back", json={}).status_code == 200
    assert _counts(app)[("future_picture", "en", measures.WENT_BACK)] == 1


def test_a_translators_preview_walk_is_never_counted(app):
    make_office(app)
    translator = app.test_client()
    sign_in(translator, "tr")
    translator.post("/translate/vi/walk")
    translator.post("/kiosk/step", data={"step": "welcome"})
    assert _counts(app) == {}


def test_the_admin_sets_how_long_counts_are_kept_and_the_purge_deletes_older_days(app, runner):
    make_office(app)
    admin = app.test_client()
    sign_in(admin, "admin")
    page = admin.get("/caseworker/office/counts/").get_data(as_text=True)
    assert 'name="months"' in page and 'value="60"' in page
    refused = admin.post("/caseworker/office/counts/retention", data={"months": "0"})
    assert refused.status_code == 422
    assert translated(
        app, "Please give the number of months as a whole number from %(low)s to %(high)s.", low=1, high=120
    ) in refused.get_data(as_text=True)
    assert admin.post("/caseworker/office/counts/retention", data={"months": "abc"}).status_code == 422
    assert admin.post("/caseworker/office/counts/retention", data={"months": "13"}).status_code == 303
    assert 'value="13"' in admin.get("/caseworker/office/counts/").get_data(as_text=True)
    supervisor = app.test_client()
    sign_in(supervisor, "sv")
    assert supervisor.post("/caseworker/office/counts/retention", data={"months": "2"}).status_code == 403
    assert 'name="months"' not in supervisor.get("/caseworker/office/counts/").get_data(as_text=True)
    caseworker = app.test_client()
    sign_in(caseworker, "cw")
    assert caseworker.get("/caseworker/office/counts/").status_code == 403

    today = utcnow().date()
    with in_office(app):
        office_id = db.session.scalar(sa.text("SELECT id FROM offices"))
        for day in (today - timedelta(days=500), today - timedelta(days=300)):
            db.session.add(
                StepCount(
                    office_id=office_id,
                    day=day,
                    dialogue_id="self_reliance",
                    step_id="welcome",
                    locale="ja",
                    measure="reached",
                    count=7,
                )
            )
        db.session.commit()
    result = runner.invoke(args=["intake", "purge"])
    assert result.exit_code == 0 and "1 step count row(s) older" in result.output, result.output
    with in_office(app):
        assert db.session.scalars(sa.select(StepCount.day)).all() == [today - timedelta(days=300)]


@pytest.mark.parametrize(
    ("query", "first", "last"),
    [
        ("", date(2026, 4, 1), date(2027, 3, 31)),
        ("?year=2025&month=2", date(2026, 2, 1), date(2026, 2, 28)),
        ("?year=2026&month=4", date(2026, 4, 1), date(2026, 4, 30)),
    ],
)
def test_the_page_reads_a_fiscal_year_or_one_month_of_it(make_app, query, first, last):
    app = make_app(OFFICE_TODAY=date(2027, 1, 15))
    make_office(app)
    client = app.test_client()
    sign_in(client, "sv")
    page = client.get(f"/caseworker/office/counts/{query}").get_data(as_text=True)
    csv_link = re.search(r'href="(/caseworker/office/counts/counts\.csv[^"]*)"', page).group(1)
    response = client.get(csv_link.replace("&amp;", "&"))
    assert f"yorisoi-step-counts-{first}-{last}.csv" in response.headers["Content-Disposition"]


def test_a_wrong_period_says_so_in_japanese_and_shows_the_fiscal_year(make_app):
    app = make_app(OFFICE_TODAY=date(2027, 1, 15))
    make_office(app)
    client = app.test_client()
    sign_in(client, "sv")
    page = client.get("/caseworker/office/counts/?year=abc&month=13").get_data(as_text=True)
    assert translated(app, "Please choose a fiscal year from the list. Showing this fiscal year.") in page
    assert translated(app, "Please choose a month from the list. Showing the whole fiscal year.") in page
    assert '<option value="2026" selected>' in page


def test_the_counts_page_and_the_translators_page_are_valid_html(app, tmp_path):
    """The W3C Nu checker over the office's page (with every table and the chart filled) and a translator's outliers."""
    make_office(app)
    _walks(app)
    admin, translator = app.test_client(), app.test_client()
    sign_in(admin, "admin")
    sign_in(translator, "tr")
    pages = {"counts": admin.get("/caseworker/office/counts/"), "stops": translator.get("/translate/vi/stops")}
    for name, response in pages.items():
        assert response.status_code == 200, name
    errors = nu_errors({name: response.get_data() for name, response in pages.items()}, tmp_path)
    assert [f"{name}:{m.get('lastLine')}: {m['message']}" for name, m in errors] == []


def test_going_back_and_forward_again_counts_nobody_twice(app):
    """Back from strengths to future_areas and forward again: future_areas is answered once, strengths reached once."""
    client = app.test_client()
    data = walk_api(client, typical_answers() | {"language": "en"}, locale="en", stop_at="strengths")
    token = data["token"]
    assert client.post(f"/api/v1/intakes/{token}/back", json={}).get_json()["step"]["id"] == "future_areas"
    moved = client.post(f"/api/v1/intakes/{token}/answer", json={"step": "future_areas", "value": ["work"]})
    assert moved.get_json()["step"]["id"] == "strengths"
    counts = _counts(app)
    assert counts[("future_areas", "en", measures.ANSWERED)] == 1
    assert counts[("strengths", "en", measures.REACHED)] == 1
    assert counts[("strengths", "en", measures.WENT_BACK)] == 1


def test_an_answer_held_with_a_suggestion_then_kept_is_answered_once(app):
    client = app.test_client()
    data = walk_api(client, typical_answers() | {"language": "en"}, locale="en", stop_at="actions")
    token, vague = data["token"], [{"text": "Do my best", "date": day_ahead(2), "confidence": 5}]
    held = client.post(f"/api/v1/intakes/{token}/answer", json={"step": "actions", "value": vague}).get_json()
    assert held["step"]["id"] == "actions"
    kept = client.post(f"/api/v1/intakes/{token}/answer", json={"step": "actions", "value": vague, "keep_as_is": True})
    assert kept.get_json()["step"]["id"] != "actions"
    counts = _counts(app)
    assert counts[("actions", "en", measures.ANSWERED)] == 1
    assert sum(n for (step, _loc, name), n in counts.items() if step == "actions" and name.startswith("nudge:")) >= 1


def test_staff_read_why_answers_were_refused_in_japanese_not_as_codes(app):
    make_office(app)
    for _ in range(5):  # five, so the count is shown and not "<5"
        client = app.test_client()
        data = walk_api(client, typical_answers() | {"language": "en"}, locale="en", stop_at="future_picture")
        refused = client.post(f"/api/v1/intakes/{data['token']}/answer", json={"step": "future_picture", "value": TOO_LONG})
        assert refused.status_code == 422
    office = app.test_client()
    sign_in(office, "admin")
    page = office.get("/caseworker/office/counts/").get_data(as_text=True)
    errors = page[page.index('data-testid="errors-self_reliance"') :]
    errors = errors[: errors.index("</table>")]
    label = translated(app, "Answer error: %(kind)s") % {"kind": translated(app, "text too long")}
    assert "文章が長すぎる" in label and label in errors and "too_long" not in errors.replace('data-measure="error:too_long"', "")
    rows = list(csv.reader(io.StringIO(office.get("/caseworker/office/counts/counts.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert [r[7] for r in rows[1:] if r[8] == "error:too_long"] == [label]  # the code only in the column named for it
