"""The case record (ケース記録): drafts written on approval, review and check-in in the office's words; edited,
confirmed once and never again; copied, or exported as CSV in UTF-8 or CP932."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from conftest import in_office, office_today
from sqlalchemy.exc import DBAPIError
from staff import approved_case, make_office, sign_in

from intake.config import Defaults
from intake.domain.dates import add_months
from intake.extensions import db
from intake.records import AuditEntry, Case, CaseRecordEntry, Immutable
from intake.services import case_records
from intake.web.caseworker.record_text import PLAN


def reiwa(day: date) -> str:
    return f"令和{day.year - 2018}年{day.month}月{day.day}日"


def entry_forms(page: str) -> list[dict]:
    """Each draft's form on the record page: its action, version, day and content as the browser would send them."""
    forms = []
    for action, body in re.findall(r'<form method="post" action="([^"]+)"[^>]*data-testid="record-form">(.*?)</form>', page, re.S):
        forms.append(
            {
                "action": action,
                "version": re.search(r'name="version" value="(\d+)"', body).group(1),
                "day": re.search(r'name="day" value="([^"]+)"', body).group(1),
                "content": html.unescape(re.search(r'name="content"[^>]*>(.*?)</textarea>', body, re.S).group(1)),
            }
        )
    return forms


def record_page(client, case_id: int) -> str:
    response = client.get(f"/caseworker/cases/{case_id}/record")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def approved(app, client) -> int:
    """cw's case whose plan (Vietnamese recipient, its Japanese written with an interpreter) was approved today."""
    make_office(app)
    sign_in(client, "cw")
    return approved_case(app, client, language="vi")


def test_approval_writes_a_draft_entry_in_the_offices_style(app, client, approved):
    today = office_today()
    page = record_page(client, approved)
    [form] = entry_forms(page)
    goal_month = add_months(today, 12)
    assert form["content"] == (
        "自立支援プログラム：本人と面談し自立計画書（第1版）を作成。"
        f"目標：座ってできる仕事で、パートタイムで働く（令和{goal_month.year - 2018}年{goal_month.month}月まで）。"
        f"取組：①12月の火曜日に、担当者とハローワークへ行く（{reiwa(add_months(today, 2))}まで）"
        f"②来月、膝のことで整形外科を受診する（{reiwa(add_months(today, 3))}まで）。"
        "支援方針：就労支援（ハローワークへ同行し、求人を一緒に探す）。"
        f"次回見直し：{reiwa(add_months(today, 3))}。"
    )
    assert form["day"] == today.isoformat()
    assert f"{reiwa(today)} 計画策定" in page and "下書き" in page
    case_page = client.get(f"/caseworker/cases/{approved}").get_data(as_text=True)
    assert f'href="/caseworker/cases/{approved}/record"' in case_page


def test_a_recorded_review_writes_a_draft_entry(app, client, approved):
    response = client.post(
        f"/caseworker/cases/{approved}/review",
        data={
            "action-0-progress": "2回同行した",
            "action-0-evaluation": "partly",
            "action-1-evaluation": "achieved",
            "program-employment_support-evaluation": "partly",
            "goal-evaluation": "not_yet",
            "review_date": office_today().isoformat(),
        },
    )
    assert response.status_code == 303
    review = entry_forms(record_page(client, approved))[1]
    assert review["content"] == (
        "自立支援プログラム：本人と面談し自立計画書（第1版）の見直しを実施。目標「座ってできる仕事で、パートタイムで働く」：未達成。"
        "取組の状況：①12月の火曜日に、担当者とハローワークへ行く：2回同行した（一部達成）②来月、膝のことで整形外科を受診する：なし（達成）。"
        "支援の状況：就労支援：なし（一部達成）。"
    )


def test_the_office_words_its_records_in_its_own_catalogue(make_app, tmp_path):
    """An office that writes 「面接」 for 「面談」 and leaves out the review date edits one msgstr of its staff catalogue."""
    catalog = Catalog(locale="ja", domain="staff")
    catalog.add(PLAN, "自立支援：本人と面接し計画書第%(number)s版を作成。目標は%(goal)s。")
    folder = tmp_path / "office" / "ja" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "staff.mo", "wb") as out:
        write_mo(out, catalog)
    app = make_app(BABEL_TRANSLATION_DIRECTORIES=f"{tmp_path / 'office'};{Defaults.BABEL_TRANSLATION_DIRECTORIES}")
    client = app.test_client()
    make_office(app)
    sign_in(client, "cw")
    case_id = approved_case(app, client, language="vi")
    [form] = entry_forms(record_page(client, case_id))
    assert form["content"] == "自立支援：本人と面接し計画書第1版を作成。目標は座ってできる仕事で、パートタイムで働く。"


def test_edit_then_confirm_and_a_confirmed_entry_never_changes(app, client, approved):
    [form] = entry_forms(record_page(client, approved))
    edited = form["content"] + "本人は意欲的。"
    response = client.post(form["action"], data={**form, "content": edited, "action": "save"})
    assert response.status_code == 303
    [saved] = entry_forms(record_page(client, approved))
    assert saved["content"] == edited and saved["version"] != form["version"]

    response = client.post(saved["action"], data={**saved, "content": edited + "次回は同行。", "action": "confirm"})
    assert response.status_code == 303
    page = html.unescape(record_page(client, approved))
    assert entry_forms(page) == [] and "確定済み" in page
    copy = re.search(r'data-testid="copy-text">(.*?)</textarea>', page, re.S).group(1)
    assert copy == f"{reiwa(office_today())}　計画策定\n{edited}次回は同行。"
    assert 'data-copy="copy-' in page, "a copy button beside the block"

    again = client.post(saved["action"], data={**saved, "version": str(int(saved["version"]) + 1), "content": "書き換え", "action": "save"})
    assert again.status_code == 409
    assert "この記録は確定済みのため、変更できません。" in again.get_data(as_text=True)
    with in_office(app):
        entry = db.session.scalar(db.select(CaseRecordEntry))
        assert entry.content == edited + "次回は同行。" and entry.confirmed_by is not None
        actions = db.session.scalars(db.select(AuditEntry.action).filter_by(case_id=approved)).all()
        assert actions.count("record_confirm") == 1
    audit_page = client.get(f"/caseworker/cases/{approved}/audit").get_data(as_text=True)
    assert "ケース記録の確定" in audit_page


def test_a_stale_edit_is_refused_and_changes_nothing(app, client, approved):
    [form] = entry_forms(record_page(client, approved))
    assert client.post(form["action"], data={**form, "content": "一回目", "action": "save"}).status_code == 303
    stale = client.post(form["action"], data={**form, "content": "二回目", "action": "confirm"})
    assert stale.status_code == 409
    assert "一回目" in stale.get_data(as_text=True) and "二回目" in stale.get_data(as_text=True), "shown as typed"
    with in_office(app):
        entry = db.session.scalar(db.select(CaseRecordEntry))
        assert entry.content == "一回目" and not entry.confirmed


def test_an_empty_entry_is_refused_in_japanese(app, client, approved):
    [form] = entry_forms(record_page(client, approved))
    response = client.post(form["action"], data={**form, "content": "  ", "action": "confirm"})
    assert response.status_code == 422
    assert "記録の内容を書いてください。" in response.get_data(as_text=True)
    with in_office(app):
        assert not db.session.scalar(db.select(CaseRecordEntry)).confirmed


def test_the_orm_and_the_database_refuse_to_change_a_confirmed_entry(app, client, approved):
    [form] = entry_forms(record_page(client, approved))
    client.post(form["action"], data={**form, "action": "confirm"})
    with in_office(app):
        entry = db.session.scalar(db.select(CaseRecordEntry))
        entry.content = "改ざん"
        with pytest.raises(Immutable):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(DBAPIError):  # around the ORM: the database's own trigger
            db.session.execute(db.update(CaseRecordEntry).values(content="改ざん"))
        db.session.rollback()
        assert db.session.scalar(db.select(CaseRecordEntry.content)) == form["content"]


def _check_in(app, case_id: int, note: str) -> None:
    with app.test_request_context(), in_office(app):
        case = db.session.get(Case, case_id)
        case_records.draft_check_in_entry(
            None,
            case,
            day=office_today(),
            action_statuses=[("ハローワークへ行く", "partly"), ("整形外科を受診する", "help")],
            note=note,
            wants_talk=True,
            needs_help=True,
        )
        db.session.commit()


def test_a_check_in_writes_a_draft_entry(app, client, approved):
    _check_in(app, approved, "膝が痛くて行けなかった")
    with in_office(app):
        entry = db.session.scalars(db.select(CaseRecordEntry).filter_by(kind="check_in")).one()
        assert entry.created_by is None and entry.day == office_today() and not entry.confirmed
        assert entry.content == (
            "自立支援プログラム：本人が窓口の端末で取組の状況を報告（チェックイン）。"
            "取組：①ハローワークへ行く：一部できた②整形外科を受診する：支援を希望。"
            "本人の記入：膝が痛くて行けなかった。担当者との面談を希望。支援を求めている。"
        )
    page = record_page(client, approved)
    assert "取組状況の報告（キオスク）" in page


def test_a_check_in_without_a_note_or_requests_says_none(app, client, approved):
    with app.test_request_context(), in_office(app):
        case = db.session.get(Case, approved)
        entry = case_records.draft_check_in_entry(
            None, case, day=office_today(), action_statuses=[("ハローワークへ行く", "done")], note=" ",
            wants_talk=False, needs_help=False,
        )
        assert entry.content.endswith("取組：①ハローワークへ行く：できた。本人の記入：なし。")
        with pytest.raises(ValueError):
            case_records.draft_check_in_entry(
                None, case, day=office_today(), action_statuses=[("行く", "maybe")], note="", wants_talk=False,
                needs_help=False,
            )
        db.session.rollback()


def _confirm_all(client, case_id: int) -> None:
    for form in entry_forms(record_page(client, case_id)):
        assert client.post(form["action"], data={**form, "action": "confirm"}).status_code == 303


def test_the_csv_in_utf8_has_japanese_headers_and_only_confirmed_entries(app, client, approved):
    _check_in(app, approved, "まだ")  # stays a draft
    [plan_form, _check_in_form] = entry_forms(record_page(client, approved))
    client.post(plan_form["action"], data={**plan_form, "action": "confirm"})
    response = client.get(f"/caseworker/cases/{approved}/record.csv")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.data
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["ケース番号", "日付", "種類", "内容", "確定日時", "確定者"]
    assert len(rows) == 2
    number, day, kind, content, confirmed_at, confirmed_by = rows[1]
    assert (number, day, kind, content) == ("A-0001", reiwa(office_today()), "計画策定", plan_form["content"])
    assert confirmed_at.startswith("令和") and confirmed_by == "caseworker cw"
    with in_office(app):
        details = db.session.scalars(db.select(AuditEntry.detail).filter_by(action="record_export")).all()
        assert details == ["case record csv utf-8 1"]


def test_cp932_names_what_it_cannot_hold_then_writes_it_as_geta_only_when_asked(app, client, approved):
    # A Vietnamese note (ô, ư, ạ have no CP932 code), and 〜 (WAVE DASH), which CP932 writes as its own ～.
    _check_in(app, approved, "Tôi chưa đi được 〜 đau chân")
    _confirm_all(client, approved)
    response = client.get(f"/caseworker/cases/{approved}/record.csv?encoding=cp932")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Shift_JIS（CP932）で書けない文字があります" in page
    assert "「ô」" in page and "「ư」" in page and "「〜」" not in page
    assert "CSV の 2 件目の記録にあります。" in page
    with in_office(app):
        assert db.session.scalar(db.select(AuditEntry.id).filter_by(action="record_export")) is None

    response = client.get(f"/caseworker/cases/{approved}/record.csv?encoding=cp932&substitute=yes")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=Windows-31J"
    text = response.data.decode("cp932")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["ケース番号", "日付", "種類", "内容", "確定日時", "確定者"]
    assert rows[1][2] == "計画策定" and rows[1][3].startswith("自立支援プログラム：本人と面談し")
    assert "本人の記入：T〓i ch〓a 〓i 〓〓〓c ～ 〓au ch〓n。" in rows[2][3]
    with in_office(app):
        details = db.session.scalars(db.select(AuditEntry.detail).filter_by(action="record_export")).all()
        assert details == ["case record csv cp932 2; 5 characters as 〓"]


def test_cp932_without_such_characters_downloads_at_once(app, client, approved):
    _confirm_all(client, approved)
    response = client.get(f"/caseworker/cases/{approved}/record.csv?encoding=cp932")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.decode("cp932").startswith("ケース番号,日付,種類,内容,確定日時,確定者\r\n")
