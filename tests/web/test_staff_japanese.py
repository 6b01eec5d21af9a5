"""Staff read Japanese (issue 22): the defects a caseworker met, each as they would check it."""

from __future__ import annotations

import csv
import html
import io
import re
from types import SimpleNamespace

import pytest
from conftest import office_today
from staff import approve_typical_plan, make_office, new_case, sign_in, translated, walk_with_code

from intake.domain.dates import add_months


def _staff_request(app):
    """A request as a staff page has it: Japanese, the staff catalogue first."""
    from flask_babel import force_locale

    from intake.i18n import use_staff_catalogue

    context = app.test_request_context()
    context.push()
    app.preprocess_request()
    forced = force_locale("ja")
    forced.__enter__()
    use_staff_catalogue()
    return context, forced


@pytest.fixture
def staff_request(app):
    context, forced = _staff_request(app)
    yield
    forced.__exit__(None, None, None)
    context.pop()


@pytest.mark.parametrize(
    ("action", "stored", "reads"),
    [
        ("print", "version 1 recipient copy", "計画の第1版（本人用の控え）"),
        ("print", "version 2 pdf", "計画の第2版（PDF）"),
        ("edit", "worksheet started", "計画の作成を開始"),
        ("edit", "actions, consent, goal", "変更した項目：取組、本人同意、目標"),
        ("view", "versions 1→2", "計画の第1版と第2版の比較"),
        ("view", "report 2026-04-01..2027-03-31", "実施状況報告（令和8年4月1日～令和9年3月31日）"),
        ("ticket", "review ABCDE-FGHJK", "見直し用コード ABCDE-FGHJK"),
        ("account", "cw: created as caseworker, supervisor sv", "cw：ケースワーカーとして作成（査察指導員 sv）"),
        ("account", "cw: role caseworker → supervisor", "cw：役割：ケースワーカー → 査察指導員"),
        ("account", "cw: deactivated", "cw：無効にしました"),
        (
            "purge",
            "case R1-0001; closed 2019-05-01, kept 5 years; intakes 2, plan_versions 1",
            "ケースR1-0001（令和元年5月1日終結、5年保存）。削除：受付端末の回答 2件、計画の版 1件",
        ),
        (
            "purge",
            "unfinished kiosk answers ABCD-2345; the resume window ended",
            "未送信の受付端末の回答（受付番号ABCD-2345）：再開できる期間が終了",
        ),
        ("erase", "case R1-0002; request REQ-7; tickets 1", "ケースR1-0002（依頼 REQ-7）。削除：コード 1件"),
        ("operator", "purge", "全事務所の期限切れ記録の削除（コマンド）"),
        ("office_setting", "second factor required", "サインイン時のワンタイムコードを必須に"),
    ],
)
def test_an_audit_detail_reads_as_a_japanese_sentence(app, staff_request, action, stored, reads):
    from intake.web.plan_text import audit_detail

    assert audit_detail(SimpleNamespace(action=action, detail=stored)) == reads


def test_an_audit_detail_of_an_unknown_shape_is_shown_as_stored(app, staff_request):
    from intake.web.plan_text import audit_detail

    assert audit_detail(SimpleNamespace(action="print", detail="something new")) == "something new"


def test_the_edit_history_names_a_chosen_goal_by_its_japanese_sentence(app, staff_request):
    from intake.web.history import edit_sentences

    before = {"kind": "economic", "suggestion": "steady_job", "text": None, "date": "2027-11"}
    after = dict(before, suggestion="more_work_days")
    [sentence] = edit_sentences("goal", before, after)
    assert "steady_job" not in sentence and "more_work_days" not in sentence
    assert "目標の目標" not in sentence
    assert sentence.startswith("目標の候補からの選択を「")
    from intake.domain.plan import PlanGoal
    from intake.web.plan_text import goal_sentence

    chosen = goal_sentence(PlanGoal(suggestion="more_work_days"))
    assert chosen and chosen != "Work four days a week and pay part of my living costs myself"  # its Japanese
    assert sentence.endswith(f"「{chosen}」に変更しました。")


@pytest.fixture
def nepali_case(app, client):
    """A Nepali recipient's case: walked at the kiosk in Nepali, approved, as a caseworker signed in."""
    make_office(app)
    sign_in(client, "cw")
    case_id, code = new_case(client, number="N-0001", name="Sita Gurung", language="ne")
    walk_with_code(app.test_client(), code, office_today(), locale="ne")
    return case_id


def test_the_draft_page_shows_the_name_and_when_it_was_sent(app, client, nepali_case):
    case_page = html.unescape(client.get(f"/caseworker/cases/{nepali_case}").get_data(as_text=True))
    # A sent draft's status is a status (送信済み), with its moment as staff dates read, not a column's 送信日時.
    line = re.search(r'href="/caseworker/cases/\d+/drafts/\d+">[^<]+</a>([^<]*)</li>', case_page).group(1)
    assert "送信済み（令和" in line and "送信日時" not in line
    draft_link = re.search(r'href="(/caseworker/cases/\d+/drafts/\d+)"', case_page).group(1)
    draft = html.unescape(client.get(draft_link).get_data(as_text=True))
    assert re.search(r'data-testid="draft-name">Sita Gurung<', draft)
    assert re.search(r'data-testid="sent-on">受付端末から送信：令和\d+年\d+月\d+日 \d\d:\d\d<', draft)


def test_the_worksheet_writes_the_recipients_action_dates_as_official_dates(app, client, nepali_case):
    worksheet = html.unescape(client.get(f"/caseworker/cases/{nepali_case}/plan").get_data(as_text=True))
    words = worksheet[
        worksheet.index('class="recipient-words"') : worksheet.index(
            "</section>", worksheet.index('class="recipient-words"')
        )
    ]
    assert not re.search(r"\d{4}-\d{2}-\d{2}", words)
    assert re.search(r"— 令和\d+年\d+月\d+日", words)


def test_the_review_table_shows_each_action_in_official_japanese_with_the_recipients_words_beneath(
    app, client, nepali_case
):
    today = office_today()
    approve_typical_plan(client, nepali_case, today, add_months(today, 3))
    page = client.get(f"/caseworker/cases/{nepali_case}/review").get_data(as_text=True)
    form = {
        "review_date": today.isoformat(),
        "action-0-evaluation": "achieved",
        "action-1-evaluation": "partly",
        "goal-evaluation": "partly",
    }
    for program_id in re.findall(r'name="program-([a-z_]+)-evaluation"', page):
        form[f"program-{program_id}-evaluation"] = "not_yet"
    assert client.post(f"/caseworker/cases/{nepali_case}/review", data=form).status_code == 303
    version = html.unescape(client.get(f"/caseworker/cases/{nepali_case}/versions/1").get_data(as_text=True))
    rows = re.findall(r'<th scope="row" data-testid="review-action">(.*?)</th>', version, re.S)
    assert len(rows) == 2 and len(set(rows)) == 2  # no two rows read the same
    from staff import TYPICAL_JAPANESE

    japanese = [text for name, text in TYPICAL_JAPANESE.items() if name.startswith("action")]
    for number, (row, official) in enumerate(zip(rows, japanese, strict=True), start=1):
        assert row.startswith(f"{translated(app, 'Action %(number)s', number=number)}：{official}<br>")
        assert 'lang="ne"' in row and 'data-testid="review-own-words"' in row  # the recipient's words beneath


def test_a_nepali_walk_reads_nepali_in_japanese_on_worksheet_sheet_pdf_and_csv(app, client, nepali_case):
    from pypdf import PdfReader

    worksheet = client.get(f"/caseworker/cases/{nepali_case}/plan").get_data(as_text=True)
    assert "ネパール語で記入" in worksheet and "नेपाली" not in worksheet
    today = office_today()
    approve_typical_plan(client, nepali_case, today, add_months(today, 3))
    sheet = client.get(f"/caseworker/cases/{nepali_case}/versions/1/print").get_data(as_text=True)
    note = re.search(r'data-testid="interpreted-note">(.*?)</p>', sheet, re.S).group(1)
    assert "ネパール語で記入" in note and "नेपाली" not in sheet
    pdf = client.get(f"/caseworker/cases/{nepali_case}/versions/1.pdf")
    text = "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "ネパール語で記入" in text and "नेपाली" not in text
    sign_in(client, "sv")
    counts = client.get("/caseworker/office/counts/counts.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(counts)))
    shown = rows[0].index(translated(app, "Language shown"))
    assert {row[shown] for row in rows[1:] if row[rows[0].index(translated(app, "Language code"))] == "ne"} == {
        "ネパール語"
    }
    assert "नेपाली" not in counts


def test_the_edit_history_never_repeats_a_parts_name(app, staff_request):
    """「本人同意の同意を…」 and 「目標の目標の候補…」 read as a stutter: a part's own words name what changed in it."""
    from intake.web.history import edit_sentences

    sentences = edit_sentences("consent", {"given": False, "date": None}, {"given": True, "date": "2026-12-08"})
    assert sentences == ["本人同意の有無を「なし」から「あり」に変更しました。", "本人同意の日付を「令和8年12月8日」にしました。"]
