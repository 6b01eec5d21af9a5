"""The office report counts the fiscal year (年度, April to March) unless asked otherwise; its CSV speaks Japanese."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from staff import make_office, sign_in, translated

from intake.domain.dates import fiscal_year


@pytest.mark.parametrize(
    ("day", "first", "last"),
    [
        (date(2026, 12, 3), date(2026, 4, 1), date(2027, 3, 31)),
        (date(2027, 3, 31), date(2026, 4, 1), date(2027, 3, 31)),
        (date(2027, 4, 1), date(2027, 4, 1), date(2028, 3, 31)),
        (date(2027, 1, 15), date(2026, 4, 1), date(2027, 3, 31)),
    ],
)
def test_the_fiscal_year_runs_from_april_to_march(day, first, last):
    assert fiscal_year(day) == (first, last)


def test_the_report_defaults_to_the_fiscal_year(make_app):
    app = make_app(OFFICE_TODAY=date(2027, 1, 15))
    make_office(app)
    client = app.test_client()
    sign_in(client, "sv")
    page = client.get("/caseworker/office/report").get_data(as_text=True)
    assert 'name="start" value="2026-04-01"' in page and 'name="end" value="2027-03-31"' in page
    wrong = client.get("/caseworker/office/report?start=2027-03-01&end=2026-05-01").get_data(as_text=True)
    assert 'name="start" value="2026-04-01"' in wrong
    assert translated(app, "The period ends before it starts. Showing this fiscal year.") in wrong


def test_the_csv_headers_are_japanese(app, client):
    make_office(app)
    sign_in(client, "sv")
    body = client.get("/caseworker/office/report.csv").get_data(as_text=True).lstrip("\ufeff")
    header = next(csv.reader(io.StringIO(body)))
    assert header[3:6] == [
        translated(app, "Participants"),
        translated(app, "Achievers"),
        translated(app, "Achievement rate"),
    ]
    assert header[3] == "参加者数" and "participants" not in header
    # The names column is headed for what it holds (a program's or group's name), not 氏名 (a person's name).
    assert header[2] == "名称" and "氏名" not in header
    assert header[6:] == ["自立の種類ID", "項目ID"]


def test_barriers_have_short_labels_a_data_table_and_unclipped_chart_values(app, client):
    from conftest import office_today
    from staff import new_case, walk_with_code

    make_office(app)
    sign_in(client, "cw")
    _, code = new_case(client)
    walk_with_code(app.test_client(), code, office_today())
    sign_in(client, "sv")
    page = client.get("/caseworker/office/report").get_data(as_text=True)
    table = page.split('data-testid="barriers"', 1)[1].split("</table>", 1)[0]
    labels = re.findall(r'<th scope="row">([^<]+)</th>', table)
    assert labels and all(len(label) <= 20 for label in labels), labels
    assert "100.0%" in table
    for chart in re.findall(r"<svg.*?</svg>", page, re.S):
        width = int(re.search(r'width="(\d+)"', chart).group(1))
        for x, value in re.findall(r'<text x="(\d+)"[^>]*>([^<]*)</text>', chart):
            if not value.strip():
                continue
            assert int(x) + 8 * len(value) <= width, (x, value, width)
