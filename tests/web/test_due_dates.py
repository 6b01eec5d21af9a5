"""Dates that come due: actions and reviews due within two weeks and overdue, on the queue and on a printable list,
read in the same number of statements for 10 cases as for 300; and the reminder letter for the next review."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from caseload import add_cases
from conftest import in_office, office_today
from databases import statements_run
from staff import approved_case, make_office, sign_in

from intake.database import create_schema, drop_schema
from intake.domain.dates import add_months
from intake.extensions import db
from intake.records import AuditEntry, User


def reiwa(day) -> str:
    return f"令和{day.year - 2018}年{day.month}月{day.day}日"


def due_rows(page: str) -> list[tuple[str, str, str, bool]]:
    """The due list's rows: (case number, kind, date, overdue)."""
    table = page.split('data-testid="due-list"', 1)[1].split("</table>", 1)[0]
    rows = []
    for attrs, cells in re.findall(r"<tr (data-kind=[^>]*)>(.*?)</tr>", table, re.S):
        kind = re.search(r'data-kind="(\w+)"', attrs).group(1)
        case = re.search(r'data-case="([^"]+)"', attrs).group(1)
        day = re.search(r"<td>([^<]+)</td>", cells).group(1)
        rows.append((case, kind, day, 'data-overdue="yes"' in attrs))
    return rows


def test_the_due_list_shows_what_comes_due_within_two_weeks_and_what_is_overdue(make_app):
    """Plans approved today (actions in 2 and 3 months, review in 3), seen ten days before the second action."""
    today = office_today()
    first, second = add_months(today, 2), add_months(today, 3)
    app = make_app()
    make_office(app)
    cw, other = app.test_client(), app.test_client()
    sign_in(cw, "cw")
    sign_in(other, "cw3")
    approved_case(app, cw, number="A-1", language="vi")
    reviewed = approved_case(app, cw, number="A-2", language="vi")
    closed = approved_case(app, cw, number="A-3")
    approved_case(app, other, number="B-1")  # another team's
    # A-2's review is recorded, its first action achieved: neither is due any more; A-3 is closed.
    cw.post(
        f"/caseworker/cases/{reviewed}/review",
        data={
            "action-0-evaluation": "achieved",
            "action-1-evaluation": "partly",
            "program-employment_support-evaluation": "partly",
            "goal-evaluation": "partly",
            "review_date": today.isoformat(),
        },
    )
    assert cw.post(f"/caseworker/cases/{closed}/close", data={"reason": "moved"}).status_code in (302, 303)

    later = make_app(OFFICE_TODAY=second - timedelta(days=10))
    client = later.test_client()
    sign_in(client, "cw")
    page = html.unescape(client.get("/caseworker/due").get_data(as_text=True))
    assert due_rows(page) == [
        ("A-1", "action", reiwa(first), True),
        ("A-1", "action", reiwa(second), False),
        ("A-1", "review", reiwa(second), False),
        ("A-2", "action", reiwa(second), False),
    ]
    assert "取組1：12月の火曜日に、担当者とハローワークへ行く" in page
    assert "取組2：来月、膝のことで整形外科を受診する" in page and "自立計画書（第1版）の見直し" in page
    overdue_by = (second - timedelta(days=10) - first).days
    assert f"{overdue_by}日超過" in page and "あと10日" in page
    assert f"{reiwa(second - timedelta(days=10))} 現在" in page
    queue = html.unescape(client.get("/caseworker/cases").get_data(as_text=True))
    summary = queue.split('data-testid="due-summary"', 1)[1].split("</section>", 1)[0]
    assert "期限切れ：1件 · 2週間以内：3件" in summary
    assert summary.count("<li") == 4 and "A-3" not in summary and "B-1" not in summary
    with in_office(later):
        assert db.session.scalar(db.select(AuditEntry.detail).filter_by(action="print", case_id=None)).startswith(
            "due dates list"
        )

    # Two weeks before anything is due, nothing is listed.
    early = make_app(OFFICE_TODAY=first - timedelta(days=15))
    client = early.test_client()
    sign_in(client, "cw")
    page = client.get("/caseworker/due").get_data(as_text=True)
    assert 'data-testid="due-list"' not in page and "2週間以内の予定も、期限切れの予定もありません。" in page


def _statements(app, client, path: str) -> int:
    with statements_run(app) as executed:
        response = client.get(path)
    assert response.status_code == 200
    return len(executed)


def test_the_due_list_takes_the_same_number_of_statements_for_10_and_300_cases(make_app):
    counts = []
    for per_caseworker in (5, 150):
        app = make_app()
        with app.app_context():  # the second app shares the first one's database: start it afresh
            db.session.remove()
            drop_schema()
            create_schema()
        make_office(app)
        with in_office(app):
            for username in ("cw", "cw2"):
                add_cases(db.session.scalar(db.select(User).filter_by(username=username)), per_caseworker, office_today())
        client = app.test_client()
        sign_in(client, "sv")
        page = client.get("/caseworker/due").get_data(as_text=True)
        assert page.count('data-kind="review"') >= 2 * (per_caseworker // 9), "the overdue reviews of the caseload"
        counts.append(_statements(app, client, "/caseworker/due"))
    assert counts[0] == counts[1], counts


def test_the_reminder_letter_is_in_vietnamese_beside_japanese(app, client):
    make_office(app)
    sign_in(client, "cw")
    case_id = approved_case(app, client, language="vi")
    review_day = add_months(office_today(), 3)
    response = client.get(f"/caseworker/cases/{case_id}/reminder")
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    letter = page.split('data-testid="reminder"', 1)[1].split("</article>", 1)[0]
    assert '<h1 class="sheet-title">次回の見直し面談のお知らせ<span class="other" lang="vi">Thông báo buổi xem xét kế hoạch lần tới</span></h1>' in letter
    assert f"{reiwa(review_day)}に、あなたの自立計画を一緒に見直します。" in letter
    assert f"vào ngày {review_day.day} tháng {review_day.month}, {review_day.year}." in letter
    assert "山田 花子 様" in letter and "Kính gửi 山田 花子," in letter
    assert "12月の火曜日に、担当者とハローワークへ行く（" in letter, "the office's Japanese of their action"
    assert "Go to Hello Work with my caseworker on a Tuesday in December (trước" in letter, "their own words"
    assert "Vui lòng mang theo thư này." in letter and "この通知を持ってきてください。" in letter
    with in_office(app):
        details = db.session.scalars(db.select(AuditEntry.detail).filter_by(action="print", case_id=case_id)).all()
        assert f"review reminder letter {review_day.isoformat()}" in details
    case_page = client.get(f"/caseworker/cases/{case_id}").get_data(as_text=True)
    assert f'href="/caseworker/cases/{case_id}/reminder"' in case_page


def test_a_japanese_recipients_letter_is_japanese_only(app, client):
    make_office(app)
    sign_in(client, "cw")
    case_id = approved_case(app, client, language="ja")
    page = client.get(f"/caseworker/cases/{case_id}/reminder").get_data(as_text=True)
    assert "次回の見直し面談のお知らせ" in page and 'class="other"' not in page
