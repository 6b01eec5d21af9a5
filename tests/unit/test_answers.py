"""Parsing raw answers: dates and months inside their window, the 0–10 scale, actions."""

from datetime import date

import pytest

from intake.domain.answers import AnswerInvalid
from intake.domain.dates import DateRange, add_months
from intake.domain.dialogue import Step
from intake.domain.step_kinds import parse_answer

TODAY = date(2026, 11, 26)
WINDOW = DateRange((1, "m"), (6, "m"))


def parse(step, raw):
    return parse_answer(step, raw, options=(), languages=["en"], today=TODAY)


def codes(step, raw):
    with pytest.raises(AnswerInvalid) as err:
        parse(step, raw)
    return [p.code for p in err.value.problems]


def test_month_arithmetic_clamps_to_the_last_day():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 26), 14) == date(2028, 1, 26)


def test_a_date_must_fall_inside_its_window():
    step = Step("when", "s", "date", prompt="When?", range=WINDOW)
    assert parse(step, "2026-12-26") == "2026-12-26"
    assert parse(step, "2027-05-26") == "2027-05-26"
    assert codes(step, "2026-12-25") == ["out_of_range"]
    assert codes(step, "2027-05-27") == ["out_of_range"]
    assert codes(step, "2026-02-30") == ["invalid_date"]
    assert codes(step, "soon") == ["invalid_date"]


def test_a_month_is_compared_by_month():
    step = Step("when", "s", "month", prompt="When?", range=DateRange((6, "m"), (3, "y")))
    assert parse(step, "2027-05") == "2027-05"
    assert parse(step, "2029-11") == "2029-11"
    assert codes(step, "2027-04") == ["out_of_range"]
    assert codes(step, "2029-12") == ["out_of_range"]
    assert codes(step, "2027-13") == ["invalid_date"]


@pytest.mark.parametrize(("raw", "expected"), [(0, 0), ("10", 10), (7.0, 7)])
def test_the_scale_takes_whole_numbers_from_0_to_10(raw, expected):
    assert parse(Step("s", "s", "scale", prompt="?"), raw) == expected


@pytest.mark.parametrize("raw", [-1, 11, "seven", 7.5, True, None, [5]])
def test_the_scale_refuses_anything_else(raw):
    assert codes(Step("s", "s", "scale", prompt="?"), raw)


def test_actions_skip_empty_rows_and_checks_each_item():
    step = Step("actions", "s", "actions", prompt="?", min=1, max=3, max_length=30, range=WINDOW)
    items = parse(
        step,
        [
            {"text": " Call the clinic ", "date": "2027-01-05", "confidence": "6"},
            {"text": "", "date": "", "confidence": ""},
        ],
    )
    assert items == [{"text": "Call the clinic", "date": "2027-01-05", "confidence": 6}]
    assert codes(step, [{"text": "", "date": "", "confidence": ""}]) == ["too_few_items"]
    assert set(codes(step, [{"text": "x" * 31, "date": "2030-01-01", "confidence": "11"}])) == {
        "too_long",
        "out_of_range",
        "out_of_range_number",
    }
    assert codes(step, [{"text": "Call", "date": "2027-01-05", "confidence": 5, "extra": 1}]) == [
        "unknown_field",
        "too_few_items",
    ]
