"""The step-kind registry: one entry per kind, a template for every kind a recipient sees, one form shape."""

from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from intake.domain.dates import DateRange
from intake.domain.dialogue import Step
from intake.domain.step_kinds import KINDS, TERMINAL_KINDS, kind_of, nudges
from intake.web.step_view import answer_from_form as raw_from_form

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "kiosk" / "steps"


def test_every_kind_a_recipient_sees_has_its_template_and_no_template_is_left_over():
    shown = {name for name, kind in KINDS.items() if kind.asked}
    assert {path.stem for path in TEMPLATES.glob("*.html")} == shown
    assert all(KINDS[name].template == f"kiosk/steps/{name}.html" for name in shown)


def test_flags_agree_with_each_other():
    assert TERMINAL_KINDS == {"done", "end"}
    for kind in KINDS.values():
        if kind.terminal or not kind.takes_answer:
            assert kind.from_form is None, kind.name  # a form there sends no answer
        if kind.choices:
            assert {"options", "options_from"} <= kind.keys, kind.name
    assert {name for name, kind in KINDS.items() if kind.takes_answer and kind.checked} == {
        "single_choice",
        "multi_choice",
        "text",
        "yes_no",
        "scale",
        "date",
        "month",
        "actions",
    }


def test_the_form_shape_of_each_kind():
    form = MultiDict(
        [("value", "a"), ("value", "b"), ("item-0-text", "Call"), ("item-0-date", "2027-01-05"), ("item-2-text", "x")]
    )
    assert raw_from_form(Step("s", "s", "multi_choice"), form) == ["a", "b"]
    assert raw_from_form(Step("s", "s", "single_choice"), form) == "a"
    assert raw_from_form(Step("s", "s", "info"), form) is None
    actions = raw_from_form(Step("s", "s", "actions", max=3), form)
    assert actions == [
        {"text": "Call", "date": "2027-01-05", "confidence": ""},
        {"text": "", "date": "", "confidence": ""},
        {"text": "x", "date": "", "confidence": ""},
    ]
    assert len(raw_from_form(Step("s", "s", "actions"), form)) == 3  # the default number of rows


def test_a_date_comes_from_its_lists_as_the_api_takes_it():
    """The kiosk's year, month and day lists join into 'YYYY-MM-DD' / 'YYYY-MM'; a missing part stays missing."""
    date_step, month_step = Step("d", "s", "date"), Step("m", "s", "month")
    form = MultiDict({"value-year": "2027", "value-month": "3", "value-day": "5"})
    assert raw_from_form(date_step, form) == "2027-03-05"
    assert raw_from_form(month_step, form) == "2027-03"
    assert raw_from_form(date_step, MultiDict({"value-year": "2027", "value-day": "5"})) == "2027--05"
    assert raw_from_form(date_step, MultiDict({"value-year": "２０２７", "value-month": "x"})) == "２０２７-x-"
    assert raw_from_form(date_step, MultiDict()) == ""
    assert raw_from_form(date_step, MultiDict({"value": "2027-03-05"})) == "2027-03-05"  # a page from before the lists
    rows = MultiDict({"item-1-text": "Call", "item-1-date-year": "2027", "item-1-date-month": "12", "item-1-date-day": "1"})
    assert raw_from_form(Step("s", "s", "actions", max=2), rows)[1]["date"] == "2027-12-01"


class Shown:
    """A stand-in for the i18n layer's display text."""

    def choices(self, step, ids):
        return "+".join(ids)

    def scale(self, value):
        return f"{value}/10"

    def day(self, value, kind):
        return f"{kind}:{value}"


@pytest.mark.parametrize(
    ("kind", "value", "shown"),
    [
        ("multi_choice", ["a", "b"], "a+b"),
        ("yes_no", "yes", "yes"),
        ("scale", 7, "7/10"),
        ("month", "2027-05", "month:2027-05"),
        ("text", "My own words", "My own words"),
        (
            "actions",
            [{"text": "Call", "date": "2027-01-05", "confidence": 6}],
            [{"text": "Call", "date": "date:2027-01-05", "confidence": 6}],
        ),
    ],
)
def test_display_text_goes_through_the_viewers_language(kind, value, shown):
    step = Step("s", "s", kind)
    assert kind_of(step).show(step, value, Shown()) == shown


def test_only_actions_get_nudges():
    vague = [{"text": "Try", "date": "2027-01-05", "confidence": 2}]
    actions = Step("s", "s", "actions", range=DateRange((1, "m"), (6, "m")))
    assert {n.code for n in nudges(actions, vague, ())} == {"vague", "low_confidence"}
    assert nudges(Step("s", "s", "text"), "Try", ()) == []
