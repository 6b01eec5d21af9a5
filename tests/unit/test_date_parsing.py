"""The one parser of a day or a month typed into a form (intake/domain/dates.py), which the kiosk's date steps,
the worksheet, reviews and the office report all read through."""

from datetime import date

from intake.domain.answers import parse_date
from intake.domain.dates import parse_day, parse_month
from intake.domain.worksheet import record_consent, start_worksheet


def test_a_day_is_year_month_day_with_dashes_and_nothing_else():
    assert parse_day(" 2026-11-26 ") == date(2026, 11, 26)
    for raw in ("2026-02-30", "2026-W48-4", "20261126", "2026-11", "26/11/2026", "", None, 20261126):
        assert parse_day(raw) is None, raw


def test_a_month_is_its_first_day():
    assert parse_month("2027-03") == date(2027, 3, 1)
    for raw in ("2027-13", "2027-3", "2027-03-01", "202703", "", None):
        assert parse_month(raw) is None, raw


def test_the_kiosk_and_the_worksheet_refuse_the_same_inputs():
    """An ISO week date reads as a day to `date.fromisoformat`: no form of the app takes it."""
    window = (date(2026, 1, 1), date(2027, 12, 31))
    sheet = start_worksheet(None, "ja")
    for raw in ("2026-W48-4", "2026-11-31"):
        assert parse_date(raw, "date", window)[1][0].code == "invalid_date"
        assert record_consent(sheet, given=True, day=raw, today=date(2026, 12, 1))[1][0].code == "invalid_date"
