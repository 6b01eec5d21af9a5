"""The case record's pure rules: templates an office may reword, numbered items, CP932, and what comes due."""

from __future__ import annotations

from datetime import date

from intake.domain.case_record import (
    CP932_SUBSTITUTE,
    DueKind,
    csv_bytes,
    due_dates,
    fill,
    numbered,
    unencodable,
)

SOURCE = "Goal: %(goal)s, by %(month)s."


def test_an_office_template_may_drop_a_placeholder():
    assert fill("目標：%(goal)s。", SOURCE, {"goal": "働く", "month": "令和9年"}) == "目標：働く。"


def test_a_template_that_does_not_format_falls_back_to_the_source():
    values = {"goal": "働く", "month": "令和9年"}
    assert fill("目標：%(gaol)s。", SOURCE, values) == "Goal: 働く, by 令和9年."
    assert fill("達成率100%。%(goal)s", SOURCE, values) == "Goal: 働く, by 令和9年."


def test_items_are_numbered_as_records_write_them():
    assert numbered(["行く", "受診する"], "") == "①行く②受診する"
    assert numbered([], "") == ""


def test_cp932_names_what_it_cannot_hold_and_writes_same_glyphs_as_its_own():
    rows = [["山田", "〜と−"], ["Tôi", "𠮷野家"], ["ok", "ok"]]
    found = unencodable(rows)
    assert found.characters == ("ô", "𠮷") and found.rows == (2,)
    data = csv_bytes(["氏名", "内容"], rows, "cp932").decode("cp932")
    assert data == f"氏名,内容\r\n山田,～と－\r\nT{CP932_SUBSTITUTE}i,{CP932_SUBSTITUTE}野家\r\nok,ok\r\n"
    assert csv_bytes(["氏名"], [["Tôi"]], "utf-8").decode("utf-8") == "\ufeff氏名\r\nTôi\r\n"


def test_what_comes_due_within_two_weeks_or_is_past_and_not_done():
    today = date(2027, 3, 1)
    found = due_dates(
        7,
        action_days=["2027-02-01", "2027-03-15", "2027-03-16", None, "2027-02-10"],
        achieved=[False, False, False, False, True],
        review_date=date(2027, 3, 10),
        reviewed=False,
        today=today,
    )
    assert [(d.kind, d.day, d.index) for d in found] == [
        (DueKind.ACTION, date(2027, 2, 1), 0),
        (DueKind.ACTION, date(2027, 3, 15), 1),
        (DueKind.REVIEW, date(2027, 3, 10), None),
    ]
    assert found[0].overdue(today) and found[0].days_left(today) == -28 and not found[1].overdue(today)
    assert due_dates(7, action_days=[], achieved=[], review_date=date(2027, 2, 1), reviewed=True, today=today) == []
