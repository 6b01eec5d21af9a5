"""Dates at the kiosk follow the recipient's language: one list per part (year, month, day), labelled and
written in their language, in its order; the first action can be today; a refused date names the allowed
window in their language. The JSON API keeps taking 'YYYY-MM-DD' and 'YYYY-MM'."""

from __future__ import annotations

import re
from datetime import date

import pytest
from babel.dates import format_date, format_skeleton
from conftest import day_ahead, in_office, month_ahead, office_today
from walk import date_parts, start_and_reach, typical_answers, walk_api
from werkzeug.datastructures import MultiDict

from intake.domain.dates import add_months
from intake.extensions import db
from intake.records import Intake


def only_intake(app) -> Intake:
    with in_office(app):
        return db.session.scalars(db.select(Intake)).one()


def lists(html: str, name: str) -> dict[str, dict]:
    """The date lists named `name`-year/-month/-day: their label, their options' texts, the selected value."""
    found = {}
    for part in ("year", "month", "day"):
        select = re.search(rf'<select id="([^"]+)" name="{name}-{part}"[^>]*>(.*?)</select>', html, re.S)
        if not select:
            continue
        label = re.search(rf'<label for="{select[1]}">(.*?)</label>', html, re.S)[1]
        options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select[2])
        found[part] = {
            "label": re.sub(r"<rt>.*?</rt>|<[^>]+>", "", label).strip(),
            "texts": {value: text for value, _, text in options if value},
            "selected": next((value for value, chosen, _ in options if chosen), ""),
            "at": select.start(),
        }
    return found


def order(found: dict) -> list[str]:
    return sorted(found, key=lambda part: found[part]["at"])


def test_a_nepali_recipient_chooses_the_target_month_from_lists_in_nepali(app, client):
    html = start_and_reach(client, "goal_date", locale="ne")
    assert 'type="month"' not in html and 'type="date"' not in html
    found = lists(html, "value")
    assert order(found) == ["year", "month"]  # Nepali writes the year first
    assert (found["year"]["label"], found["month"]["label"]) == ("वर्ष", "महिना")
    assert found["month"]["texts"]["1"] == "जनवरी" and found["month"]["texts"]["12"] == "डिसेम्बर"
    earliest, latest = add_months(office_today(), 6), add_months(office_today(), 36)
    assert list(found["year"]["texts"]) == [str(y) for y in range(earliest.year, latest.year + 1)]
    wanted = month_ahead(12)
    response = client.post("/kiosk/step", data={"step": "goal_date", **date_parts("value", wanted)})
    assert response.status_code == 302
    assert only_intake(app).answers["goal_date"] == wanted


def test_easy_japanese_lists_show_the_era_and_the_first_action_can_be_today(app, client):
    html = start_and_reach(client, "actions", locale="ja@easy")
    found = lists(html, "item-0-date")
    assert order(found) == ["year", "month", "day"]
    assert [found[part]["label"] for part in ("year", "month", "day")] == ["年", "月", "日"]
    today = office_today()
    year_text = found["year"]["texts"][str(today.year)]
    assert year_text.startswith(f"{today.year}年（令和") and year_text.endswith("年）"), year_text
    assert found["month"]["texts"]["4"] == "4月" and found["day"]["texts"]["9"] == "9日"
    step = {"text": "ハローワークに 行く", "date": today.isoformat(), "confidence": 7}
    fields = {"item-0-text": step["text"], "item-0-confidence": "7", **date_parts("item-0-date", step["date"])}
    response = client.post("/kiosk/step", data={"step": "actions", "action": "keep", **fields})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert only_intake(app).answers["actions"] == [step]


def test_vietnamese_lists_come_day_month_year(client):
    found = lists(start_and_reach(client, "actions", locale="vi"), "item-0-date")
    assert order(found) == ["day", "month", "year"]
    assert found["month"]["texts"]["3"] == "Tháng 3" and found["year"]["label"] == "Năm"


@pytest.mark.parametrize("locale", ["ne", "ja@easy"])
def test_a_date_without_its_day_is_refused_naming_the_window_and_keeps_what_was_chosen(app, client, locale):
    start_and_reach(client, "actions", locale=locale)
    before = only_intake(app)
    chosen = date_parts("item-0-date", day_ahead(2))
    del chosen["item-0-date-day"]
    data = MultiDict(
        {"step": "actions", "item-0-text": "Go to Hello Work with my caseworker", "item-0-confidence": "7", **chosen}
    )
    response = client.post("/kiosk/step", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    babel_locale = "ja" if locale == "ja@easy" else locale
    today = office_today()
    latest = add_months(today, 6)
    message = re.search(r'<p class="error-message" id="error-0-date"[^>]*>(.*?)</p>', html, re.S)[1]
    plain = re.sub(r"<rt>.*?</rt>|<[^>]+>", "", message)
    assert format_date(today, "long", locale=babel_locale) in plain, plain
    assert format_date(latest, "long", locale=babel_locale) in plain, plain
    assert "Please" not in plain  # in the recipient's language, not the English source
    found = lists(html, "item-0-date")
    assert found["year"]["selected"] == chosen["item-0-date-year"]
    assert found["month"]["selected"] == chosen["item-0-date-month"] and found["day"]["selected"] == ""
    assert f'href="#item-0-date-{order(found)[0]}"' in html  # the summary links to the first list
    after = only_intake(app)
    assert (after.state, after.answers, after.version) == (before.state, before.answers, before.version)


def test_a_day_the_month_does_not_have_is_refused(app, client):
    start_and_reach(client, "actions")
    fields = {"item-0-text": "Go to Hello Work", "item-0-confidence": "7"}
    fields |= {"item-0-date-year": str(office_today().year), "item-0-date-month": "2", "item-0-date-day": "31"}
    response = client.post("/kiosk/step", data={"step": "actions", **fields})
    assert response.status_code == 422
    assert "Please choose a date between" in response.get_data(as_text=True)
    assert only_intake(app).state == "actions"


def test_the_api_still_takes_iso_dates_and_today_for_the_first_action(app, client):
    answers = typical_answers() | {"language": "ne"}
    answers["actions"] = [{"text": "हेलो वर्कमा जाने", "date": office_today().isoformat(), "confidence": 6}]
    at_actions = walk_api(client, answers, locale="ne", stop_at="actions")
    assert at_actions["step"]["range"]["min"] == office_today().isoformat()  # the window starts today
    walk_api(client, answers, locale="ne", stop_at="check")
    second = db_intakes(app)[-1]
    assert second.answers["goal_date"] == answers["goal_date"] and re.fullmatch(r"\d{4}-\d{2}", answers["goal_date"])
    assert second.answers["actions"][0]["date"] == office_today().isoformat()


def db_intakes(app) -> list[Intake]:
    with in_office(app):
        return list(db.session.scalars(db.select(Intake).order_by(Intake.id)))


def test_the_hint_names_the_window_in_the_recipients_language(client):
    """The hint above the lists names the window as Babel writes it in the recipient's language."""
    html = start_and_reach(client, "goal_date", locale="vi")
    earliest = add_months(office_today(), 6)
    assert format_skeleton("yMMMM", date(earliest.year, earliest.month, 1), locale="vi") in html
