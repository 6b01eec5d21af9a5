"""The step counts' pure part: what a move adds, the buckets, small cells, and when a language stands out."""

from __future__ import annotations

import pytest

from intake.domain import step_counts as m
from intake.web import small_cells


@pytest.mark.parametrize(
    ("seconds", "bucket"), [(0, "0-10s"), (9.9, "0-10s"), (10, "10-30s"), (119, "30s-2m"), (599, "2-10m"), (3600, "10m+")]
)
def test_time_on_a_step_goes_into_coarse_buckets(seconds, bucket):
    assert m.time_bucket(seconds) == bucket


@pytest.mark.parametrize(("screens", "bucket"), [(1, "1-20"), (20, "1-20"), (21, "21-30"), (50, "41-50"), (51, "51+")])
def test_screens_to_finish_go_into_buckets(screens, bucket):
    assert m.screens_bucket(screens) == bucket


def test_a_cell_of_one_to_four_people_is_hidden_and_draws_no_bar():
    assert [small_cells.shown(n) for n in (0, 1, 4, 5, 12)] == ["0", "<5", "<5", "5", "12"]
    assert [small_cells.visible(n) for n in (0, 3, 5)] == [0, 0, 5]


def _answer(**given):
    values = dict(
        step_id="health_now",
        first_answer=True,
        value=["pain"],
        takes_answer=True,
        sensitive=True,
        seconds_on_step=12,
        arrived="age_band",
        arrived_first_time=True,
        completed_screens=None,
    )
    return m.on_answer(**(values | given))


def test_an_answer_counts_how_the_step_was_left_its_time_and_the_step_reached():
    assert _answer() == [("health_now", "answered"), ("health_now", "time:10-30s"), ("age_band", "reached")]
    assert _answer(value=None)[0] == ("health_now", "prefer_not")  # the skip of a sensitive question
    assert _answer(value=None, sensitive=False)[0] == ("health_now", "skipped")
    assert _answer(first_answer=False, arrived_first_time=False) == []  # back and forward again: nothing twice
    assert _answer(nudge_codes=["vague"]) == [("health_now", "nudge:vague")]
    done = _answer(arrived="done", completed_screens=33)
    assert ("done", "completed") in done and ("done", "screens:31-40") in done


def _totals(locale_counts: dict[str, dict[str, int]]) -> dict:
    return {("d", "s1", loc, name): n for loc, counts in locale_counts.items() for name, n in counts.items()}


def test_a_language_stands_out_at_twice_the_others_pooled_rate_with_five_events_at_least():
    totals = _totals(
        {
            "vi": {"reached": 10, "error:too_long": 5, "skipped": 4},
            "ja": {"reached": 40, "error:too_long": 8, "skipped": 1},
            "es": {"reached": 10, "error:too_long": 2},
        }
    )
    found = m.outliers(totals, "d", ["s1"], "vi")
    assert [(o.step_id, o.what, o.count, o.others_count, o.others_reached) for o in found] == [
        ("s1", "errors", 5, 10, 50)
    ]  # 50 per 100 against 20: errors stand out; 4 skips are too few to single out
    assert m.outliers(totals, "d", ["s1"], "ja") == []  # 20 per 100 against 35


def test_stopped_counts_nobody_twice():
    line = m.StepLine("s", {"abandoned:idle": 3, "abandoned:exit": 2, "abandoned:walked": 6})
    assert line.abandoned == 6
    assert m.StepLine("s", {"abandoned:idle": 7, "abandoned:walked": 6}).abandoned == 7
