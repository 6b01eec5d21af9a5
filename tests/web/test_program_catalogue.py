"""The office's own program catalogue: the admin's page, the file's rules, retiring, audit, translation, the kiosk."""

from __future__ import annotations

import html
import re
import shutil
import time
from pathlib import Path

import pytest
import yaml
from conftest import in_office
from staff import (
    answers_for,
    approve_typical_plan,
    make_office,
    new_case,
    sign_in,
    translated,
    version_of,
    walk_with_code,
)
from walk import start_and_reach
from werkzeug.datastructures import MultiDict

from intake.config import ROOT
from intake.domain.office import load_engines
from intake.domain.yamlfile import DataFileError
from intake.extensions import db
from intake.records import AuditEntry, OfficeProgram
from intake.services import programs
from intake.services.offices import default_office
from intake.unit_of_work import use_office
from intake.web.common import office_today

P = "/caseworker/office/programs"
NEW_NAME, NEW_ACTION = "しごと相談（新）", "月曜日にハローワークの窓口で相談する"


def form_of(page: str) -> MultiDict:
    """The program form as the page fills it in (what a browser would send back unchanged)."""
    text = html.unescape(page)
    data = MultiDict()
    data["version"] = re.search(r'name="version" value="(\d*)"', text).group(1)
    for name in ("name",):
        data[name] = re.search(rf'id="{name}" name="{name}"[^>]*value="([^"]*)"', text).group(1)
    for name in ("description", "action"):
        data[name] = re.search(rf'<textarea id="{name}"[^>]*>(.*?)</textarea>', text, re.S).group(1)
    data["group"] = re.search(r'<option value="(\w+)" selected>', text).group(1)
    for name, value in re.findall(r'<input type="checkbox" name="([\w:]+)" value="(\w+)" checked>', text):
        data.add(name, value)
    return data


def edit(client, key: str, **changes) -> tuple[int, str]:
    data = form_of(client.get(f"{P}/{key}").get_data(as_text=True))
    for name, value in changes.items():
        if isinstance(value, list):
            data.setlist(name, value)
        else:
            data[name] = value
    response = client.post(f"{P}/{key}", data=data)
    return response.status_code, response.get_data(as_text=True)


def catalogue_version(app) -> int | None:
    with in_office(app):
        return default_office().program_catalogue_version


def kiosk_until(client, step: str, locale: str = "ja", **changed) -> str:
    """A new recipient at the kiosk, with the typical answers (some `changed`), at `step`; its page."""
    with client.application.test_request_context():
        answers = answers_for(office_today(), locale) | changed
    return start_and_reach(client, step, answers, locale)


@pytest.fixture
def admin(app, client):
    make_office(app)
    sign_in(client, "admin")
    return client


def test_an_edit_shows_at_the_kiosk_and_on_the_worksheet(app, admin):
    """The admin renames a program and changes its first action; the next recipient reads the new text."""
    assert NEW_ACTION not in kiosk_until(app.test_client(), "action_ideas")
    status, _ = edit(admin, "employment_support", name=NEW_NAME, action=NEW_ACTION)
    assert status == 200 or status == 303
    page = kiosk_until(app.test_client(), "action_ideas")
    assert NEW_ACTION in page and NEW_NAME in page
    listing = admin.get(f"{P}/").get_data(as_text=True)
    assert NEW_NAME in listing and listing.count("data-program=") == 24


@pytest.mark.parametrize(
    ("changes", "message", "params"),
    [
        (
            {"barriers": ["debt"], "always_for": ["job_search"]},
            "always_for names '%(barrier)s', not in barriers",
            {"barrier": "job_search"},
        ),
        (
            {"report_lines": ["children"]},
            "report_lines may name %(allowed)s, not '%(line)s'",
            {"allowed": "employment (in economic), children (in social_life)", "line": "children"},
        ),
        (
            {"answers:work_now": ["sometimes"]},
            "program '%(id)s' names unknown option '%(option)s' of '%(step)s'",
            {"id": "employment_support", "option": "sometimes", "step": "work_now"},
        ),
        (
            {"require:children_now": ["twins"]},
            "program '%(id)s' names unknown option '%(option)s' of '%(step)s'",
            {"id": "employment_support", "option": "twins", "step": "children_now"},
        ),
        (
            {"exclude:shoe_size": ["large"]},
            "program '%(id)s' reads step '%(step)s', not in the dialogue",
            {"id": "employment_support", "step": "shoe_size"},
        ),
    ],
)
def test_a_bad_edit_is_refused_with_the_problem_the_file_has(app, admin, tmp_path, changes, message, params):
    """One rule, one place: the same entry in programs.yaml fails start-up with the same problem, and the page
    says it in Japanese; nothing is stored."""
    status, page = edit(admin, "employment_support", **changes)
    assert status == 422
    assert translated(app, message, **params) in html.unescape(page)
    assert translated(app, message, **params) != message % params  # the staff catalogue has it in Japanese
    assert catalogue_version(app) is None  # the office still uses the file, untouched

    folder = tmp_path / "dialogues"
    shutil.copytree(ROOT / "dialogues", folder)
    data = yaml.safe_load((folder / "programs.yaml").read_text(encoding="utf-8"))
    entry = next(p for p in data["programs"] if p["id"] == "employment_support")
    for key, value in changes.items():
        if ":" in key:  # a list chosen per question: the file writes it as {step: [options]} or a rule
            field, step = key.split(":")
            entry[field] = {step: value} if field == "answers" else {"any_of": {"step": step, "values": value}}
        else:
            entry[key] = value
    (folder / "programs.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_engines(folder, {"ja": "日本語"})
    assert message % params in [p.reason for p in err.value.problems]


def test_a_new_program_with_a_used_id_or_no_name_is_refused(app, admin):
    data = {"id": "debt_settlement", "name": "", "group": "daily_life", "description": "d", "action": "a"}
    page = html.unescape(admin.post(f"{P}/", data=data).get_data(as_text=True))
    assert translated(app, "program id '%(id)s' is used twice", id="debt_settlement") in page
    assert translated(app, "%(key)s needs a text", key=translated(app, "Program name")) in page  # プログラム名 を入力…
    assert catalogue_version(app) is None  # refused: not even the copy of the file is kept
    with in_office(app):
        assert db.session.scalar(db.select(db.func.count(OfficeProgram.id))) == 0


def test_a_program_added_on_the_web_is_suggested_and_audited(app, admin):
    data = MultiDict(
        [("id", "japanese_class"), ("name", "日本語教室"), ("group", "social_life"), ("description", "週2回の日本語教室"),
         ("action", "市の日本語教室に一度行ってみる"), ("barriers", "isolation"), ("goal_kinds", "social_life")]
    )
    response = admin.post(f"{P}/", data=data)
    assert response.status_code == 303
    with in_office(app):
        details = db.session.scalars(db.select(AuditEntry.detail).filter_by(action="programs").order_by(AuditEntry.id)).all()
        assert details == ["programs.yaml copied into the office's own catalogue", "japanese_class: added"]
        assert programs.find_program(default_office(), "japanese_class").position == 24
    log = admin.get("/caseworker/office/audit").get_data(as_text=True)
    added = translated(app, "%(program)s: added", program="日本語教室")  # the detail as a sentence, the program by name
    assert translated(app, "Support programs changed") in log and html.escape(added) in log
    assert "市の日本語教室に一度行ってみる" not in kiosk_until(app.test_client(), "action_ideas")  # illness, job search
    page = kiosk_until(app.test_client(), "action_ideas", barriers=["isolation"], goal_kind="social_life")
    assert "市の日本語教室に一度行ってみる" in page


def test_a_stale_edit_by_a_second_admin_is_refused_not_merged(app, admin):
    edit(admin, "pension_claims", action="年金事務所へ行く")  # makes the catalogue the office's own
    first = form_of(admin.get(f"{P}/pension_claims").get_data(as_text=True))
    second = MultiDict(first)
    first["name"] = "年金の相談A"
    assert admin.post(f"{P}/pension_claims", data=first).status_code == 303
    second["description"] = "別の説明"
    response = admin.post(f"{P}/pension_claims", data=second)
    assert response.status_code == 409
    with in_office(app):
        row = programs.find_program(default_office(), "pension_claims")
        assert row.name == "年金の相談A" and row.description != "別の説明"


def test_a_form_from_the_file_is_stale_once_the_list_is_the_offices_own(app, admin):
    loaded = form_of(admin.get(f"{P}/debt_settlement").get_data(as_text=True))
    assert edit(admin, "pension_claims", action="年金事務所へ行く")[0] == 303
    loaded["name"] = "借金の相談"
    assert admin.post(f"{P}/debt_settlement", data=loaded).status_code == 409


def test_retiring_keeps_old_plans_readable(app, admin):
    """An approved plan names a program the office later retires: the plan still shows its name; new
    recipients are no longer offered it; the admin can offer it again; each step is audited."""
    cw = app.test_client()
    sign_in(cw, "cw")
    with in_office(app):
        today = office_today()
    case_id, code = new_case(cw)
    walk_with_code(app.test_client(), code, today)
    approve_typical_plan(cw, case_id, today, today.replace(year=today.year + 1))
    edit(admin, "employment_support", name=NEW_NAME)
    version = form_of(admin.get(f"{P}/employment_support").get_data(as_text=True))["version"]
    assert admin.post(f"{P}/employment_support/retire", data={"version": version}).status_code == 303
    assert "data-testid=\"retired\"" in admin.get(f"{P}/employment_support").get_data(as_text=True)

    for path in (f"/caseworker/cases/{case_id}/versions/1", f"/caseworker/cases/{case_id}/versions/1/print"):
        page = cw.get(path).get_data(as_text=True)
        assert NEW_NAME in page, path
    worksheet = cw.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    assert 'data-testid="why-employment_support"' not in worksheet  # no longer suggested
    assert cw.post(f"/caseworker/cases/{case_id}/plan/revise", data={"version": version_of(worksheet)}).status_code == 303
    worksheet = cw.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    assert 'value="employment_support" checked' in worksheet and NEW_NAME in worksheet  # still named, kept on saving
    kept = {"version": version_of(worksheet), "program": ["employment_support", "debt_settlement"]}
    assert cw.post(f"/caseworker/cases/{case_id}/plan", data={**kept, "part": "programs"}).status_code == 303
    worksheet = cw.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    assert 'value="employment_support" checked' in worksheet and 'value="debt_settlement" checked' in worksheet
    other, _ = new_case(cw, number="A-0002", ticket=False)
    fresh = cw.get(f"/caseworker/cases/{other}/plan").get_data(as_text=True)
    assert 'value="employment_support"' not in fresh and 'value="debt_settlement"' in fresh  # retired: not offered
    chosen = {"version": version_of(fresh), "program": ["employment_support"]}
    refused = cw.post(f"/caseworker/cases/{other}/plan", data={**chosen, "part": "programs"})
    assert refused.status_code == 422
    assert translated(app, "Please choose programs from the list.") in refused.get_data(as_text=True)
    assert NEW_ACTION not in kiosk_until(app.test_client(), "action_ideas")
    assert "employment_support" not in kiosk_until(app.test_client(), "action_ideas")

    version = form_of(admin.get(f"{P}/employment_support").get_data(as_text=True))["version"]
    assert admin.post(f"{P}/employment_support/reinstate", data={"version": version}).status_code == 303
    assert 'value="employment_support"' in kiosk_until(app.test_client(), "action_ideas")
    with in_office(app):
        details = db.session.scalars(db.select(AuditEntry.detail).filter_by(action="programs").order_by(AuditEntry.id)).all()
    assert details[1:] == [
        "employment_support: name changed",
        "employment_support: retired",
        "employment_support: offered again",
    ]


def test_untranslated_office_texts_fall_back_visibly_until_a_translator_enters_them(app, admin):
    english = kiosk_until(app.test_client(), "action_ideas", "en")
    assert "Go to Hello Work with my caseworker to look at job openings" in english
    edit(admin, "employment_support", action=NEW_ACTION)
    # The file's translations came along (other programs unchanged), the edited action is Japanese, marked.
    english = kiosk_until(app.test_client(), "action_ideas", "en")
    assert f'<span lang="ja" class="untranslated">{NEW_ACTION}</span>' in english
    assert "Visit a disability employment support centre with my caseworker" in english
    chinese = kiosk_until(app.test_client(), "action_ideas", "zh_Hans")
    assert f'<span lang="ja" class="untranslated">{NEW_ACTION}</span>' in chinese

    tr = app.test_client()
    sign_in(tr, "tr")
    status = tr.get("/translate/").get_data(as_text=True)
    assert re.search(r'data-locale="en">.*?<td>1</td>', status, re.S)
    page = tr.get("/translate/programs/en").get_data(as_text=True)
    assert NEW_ACTION in page and 'name="employment_support:action"' in page
    assert "Go to Hello Work with my caseworker" in page  # the earlier translation, to start from
    tr.post("/translate/programs/en", data={"employment_support:action": "Talk at the Hello Work desk on a Monday"})
    english = kiosk_until(app.test_client(), "action_ideas", "en")
    assert "Talk at the Hello Work desk on a Monday" in english and NEW_ACTION not in english
    assert 'data-testid="all-translated"' in tr.get("/translate/programs/en").get_data(as_text=True)
    chinese = kiosk_until(app.test_client(), "action_ideas", "zh_Hans")  # English before Japanese, marked as English
    assert '<span lang="en" class="untranslated">Talk at the Hello Work desk on a Monday</span>' in chinese


def test_each_worker_rebuilds_an_offices_catalogue_only_when_it_changes(app, admin, monkeypatch):
    builds = []
    real = programs._build
    monkeypatch.setattr(programs, "_build", lambda *args: builds.append(args[1]) or real(*args))
    edit(admin, "employment_support", action=NEW_ACTION)
    for _ in range(3):
        admin.get(f"{P}/employment_support")
    assert len(builds) == 1  # the GET after the change built version 2 once
    edit(admin, "employment_support", action="別の最初の一歩")
    admin.get(f"{P}/employment_support")
    assert builds == [2, 3]


def test_the_catalogue_read_costs_little_next_to_loading_the_file(app):
    """Per request the catalogue is one small read and a dictionary lookup; the file is never read again."""
    with app.test_request_context():
        office = default_office()
        use_office(office.id)
        office.program_catalogue_version = 1
        db.session.flush()
        programs.catalogue(office)
        runs = 200
        start = time.perf_counter()
        for _ in range(runs):
            programs.catalogue(office)
        cached = (time.perf_counter() - start) / runs
        start = time.perf_counter()
        for _ in range(20):
            load_engines(Path(app.config["DIALOGUES_DIR"]), app.config["LANGUAGES"])
        from_file = (time.perf_counter() - start) / 20
        db.session.rollback()
    print(f"catalogue per request {cached * 1e6:.0f} µs; dialogues and programs.yaml loaded and checked {from_file * 1e6:.0f} µs")
    assert cached * 10 < from_file


def test_conditions_are_chosen_from_lists_and_decide_what_is_suggested(app, admin):
    """No ids to type: the editor lists each question with its options, in Japanese. The admin makes volunteering
    a program for older people only; a recipient in their 40s is no longer offered it, one who skipped the age
    question still is (a skipped question counts neither way), and one of 75 is."""
    page = admin.get(f"{P}/discharge_support").get_data(as_text=True)
    assert "<textarea id=\"answers\"" not in page
    assert '<input type="checkbox" name="require:health_now" value="in_hospital" checked>' in page
    assert translated(app, "Suggested only for") in page
    assert _label_ja(app, "self_reliance:health_now:option:in_hospital", "I am staying in hospital at the moment") in page

    lonely = {"barriers": ["isolation"], "goal_kind": "social_life", "future_areas": ["people"], "goal_pick": "join_group"}
    action = _label_ja(app, "program:social_participation:action", "Try one volunteer activity through the social welfare council, such as a park clean-up")
    assert action in _text(kiosk_until(app.test_client(), "action_ideas", **lonely))
    status, _ = edit(admin, "social_participation", **{"require:age_band": ["65_to_74", "75_plus"]})
    assert status == 303
    with in_office(app):
        row = programs.find_program(default_office(), "social_participation")
        assert row.require == {"any_of": {"step": "age_band", "values": ["65_to_74", "75_plus"]}}
    assert action not in _text(kiosk_until(app.test_client(), "action_ideas", **lonely))  # 40s
    assert action in _text(kiosk_until(app.test_client(), "action_ideas", **lonely, age_band="75_plus"))
    skipped = kiosk_until(app.test_client(), "action_ideas", **lonely, age_band=None)
    assert action in _text(skipped)
    page = admin.get(f"{P}/social_participation").get_data(as_text=True)
    assert '<input type="checkbox" name="require:age_band" value="75_plus" checked>' in page

    with in_office(app):  # the copy of programs.yaml kept every other program's conditions
        discharge = programs.find_program(default_office(), "discharge_support")
        assert discharge.require == {"any_of": {"step": "health_now", "values": ["in_hospital"]}}
        single = programs.find_program(default_office(), "single_parent_support")
        assert single.exclude["any"][0] == {"any_of": {"step": "childcare_help", "values": ["partner"]}}
    status, _ = edit(admin, "single_parent_support")  # saved as shown: the lists give back the same condition
    assert status == 303
    with in_office(app):
        details = db.session.scalars(db.select(AuditEntry.detail).filter_by(action="programs")).all()
        assert not [d for d in details if d.startswith("single_parent_support")]
    status, _ = edit(admin, "social_participation", **{"require:age_band": []})  # unticked: the condition goes
    with in_office(app):
        assert programs.find_program(default_office(), "social_participation").require is None
    assert action in _text(kiosk_until(app.test_client(), "action_ideas", **lonely))


def _label_ja(app, context: str, text: str) -> str:
    from flask_babel import force_locale, pgettext

    with app.test_request_context(), force_locale("ja"):
        return pgettext(context, text)


def _text(page: str) -> str:
    """A kiosk page's text without its furigana (the readings in <rt> and every tag)."""
    return html.unescape(re.sub(r"<rt>.*?</rt>|<[^>]+>", "", page))
