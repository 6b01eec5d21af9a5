"""The kiosk with JavaScript off: a whole walk in Japanese and English, bad input, back and change."""

import re

import pytest
from conftest import current_step_id, day_ahead, in_office
from staff import make_user, sign_in
from walk import date_parts, form_fields, start_and_reach, typical_answers, walk_forms
from werkzeug.datastructures import MultiDict

from intake.extensions import db
from intake.records import DraftPlan, Intake, IntakeStatus, User


def only_intake(app) -> Intake:
    with in_office(app):
        return db.session.scalars(db.select(Intake)).one()


def sign_in_caseworker(app, client):
    """A caseworker's account (tests/staff.py), signed in through both steps."""
    user_id = make_user(app, "cw", "caseworker")
    with in_office(app):
        db.session.get(User, user_id).display_name = "担当 一郎"
        db.session.commit()
    response = sign_in(client, "cw")
    assert response.status_code == 302


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_whole_walk_leaves_a_draft_the_caseworker_reads(app, client, locale):
    answers = typical_answers() | {"language": locale}
    shown = walk_forms(client, answers, locale=locale)
    assert shown[0] == "welcome" and shown[-1] == "done"
    assert len(shown) <= 29  # the typical recipient has a child at school: who else helps look after the children
    assert "childcare_help" in shown
    intake = only_intake(app)
    assert intake.status == IntakeStatus.SUBMITTED and intake.locale == locale
    assert intake.consent_notice_version == "2026-12" and intake.consent_at is not None

    staff = app.test_client()
    sign_in_caseworker(app, staff)
    # A walk-in draft stays hidden until a caseworker claims it with the receipt code the recipient brings.
    assert intake.receipt_code not in staff.get("/caseworker/walk-ins").get_data(as_text=True)
    created = staff.post(
        "/caseworker/cases/new", data={"case_number": "K-1", "name": "山田 花子", "language": locale, "ticket": "no"}
    )
    case_url = created.headers["Location"]
    staff.post(f"{case_url}/claim", data={"receipt_code": f"{intake.receipt_code[:4]}-{intake.receipt_code[4:]}"})
    page = staff.get(f"{case_url}/drafts/{intake.id}").get_data(as_text=True)
    assert answers["goal_own"] in page
    for action in answers["actions"]:
        assert action["text"] in page


def test_the_done_page_shows_the_receipt_code_on_the_screen_that_sent_it_only(app, client):
    walk_forms(client, typical_answers())
    html = client.get("/kiosk/step").get_data(as_text=True)
    code = only_intake(app).receipt_code
    assert f"{code[:4]}-{code[4:]}" in html
    other = app.test_client()  # another screen that somehow holds the token: the done page without the code
    with other.session_transaction() as session:
        session["intake"] = only_intake(app).token
    elsewhere = other.get("/kiosk/step").get_data(as_text=True)
    assert 'data-testid="receipt-code"' not in elsewhere and f"{code[:4]}-{code[4:]}" not in elsewhere
    client.post("/kiosk/finish")
    assert f"{code[:4]}-{code[4:]}" not in client.get("/kiosk/").get_data(as_text=True)


def assert_unchanged(app, before):
    after = only_intake(app)
    assert (after.state, after.answers, after.version) == (before.state, before.answers, before.version)


@pytest.mark.parametrize(
    ("step_id", "fields", "message"),
    [
        ("future_areas", [("value", "space_travel")], "Please choose from the answers shown."),
        (
            "future_areas",
            [("value", "work"), ("value", "health"), ("value", "home"), ("value", "money")],
            "Please choose no more than 3.",
        ),
        ("future_picture", [("value", "x" * 501)], "Please keep this to 500 characters or fewer (now 501)."),
        ("goal_date", [("value-year", "2020"), ("value-month", "1")], "Please choose a month between"),
        ("goal_date", [("value-year", "next year"), ("value-month", "1")], "Please choose a month between"),
        ("strengths", [("value", "not_sure"), ("value", "caring")], "cannot be combined with other answers."),
    ],
    ids=["unknown-option", "too-many", "text-too-long", "date-out-of-range", "not-a-date", "exclusive"],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(app, client, step_id, fields, message):
    start_and_reach(client, step_id)
    before = only_intake(app)
    response = client.post("/kiosk/step", data=MultiDict(fields + [("step", step_id)]))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and 'class="error-summary"' in html
    assert current_step_id(html) == step_id
    assert_unchanged(app, before)


def test_a_stale_answer_for_an_earlier_step_changes_nothing(app, client):
    start_and_reach(client, "future_areas")
    before = only_intake(app)
    response = client.post("/kiosk/step", data={"step": "notice", "value": "no"})
    assert response.status_code == 302
    assert_unchanged(app, before)
    assert "That answer was already saved" in client.get("/kiosk/step").get_data(as_text=True)


def test_the_script_gets_the_next_question_in_the_reply_to_its_answer(app, client):
    """kiosk.js sends X-Kiosk-Swap: the stored answer's next question comes back at once, with no redirect."""
    start_and_reach(client, "age_band")
    value = typical_answers()["age_band"]
    data = form_fields("single_choice", value) | {"step": "age_band"}
    response = client.post("/kiosk/step", data=data, headers={"X-Kiosk-Swap": "next"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    intake = only_intake(app)
    assert intake.answers["age_band"] == value and intake.state != "age_band"  # committed before it was sent
    shown = response.get_data(as_text=True)
    assert current_step_id(shown) == intake.state == current_step_id(client.get("/kiosk/step").get_data(as_text=True))
    # A stale answer is still refused by a redirect to where the intake is, changing nothing.
    again = client.post("/kiosk/step", data=data, headers={"X-Kiosk-Swap": "next"})
    assert again.status_code == 302 and only_intake(app).version == intake.version


def test_the_script_gets_only_the_bubbles_its_page_does_not_show(app, client):
    """kiosk.js sends the keys of the bubbles it shows: the reply leaves out those still the same, from the first."""
    start_and_reach(client, "age_band")
    page = client.get("/kiosk/step").get_data(as_text=True)
    keys = re.findall(r'<li class="bubble[^"]*" data-from="[^"]+" data-key="([0-9a-f]+)"', page)
    assert len(keys) > 6 and len(set(keys)) == len(keys)
    swap = {"X-Kiosk-Swap": "next"}

    def reply(held: list[str]) -> tuple[str, int, str]:
        response = client.get("/kiosk/step", headers=swap | {"X-Kiosk-Transcript": " ".join(held)})
        assert response.headers["X-Kiosk-Swap"] == "fragment" and "X-Kiosk-Transcript" in response.headers["Vary"]
        html = response.get_data(as_text=True)
        kept = int(re.search(r'data-keep="(\d+)"', html).group(1))
        return html, kept, " ".join(re.findall(r'data-key="([0-9a-f]+)"', html))

    html, kept, sent = reply(keys)
    assert kept == len(keys) and sent == "" and "<header" not in html and current_step_id(html) == "age_band"
    _, kept, sent = reply(keys[:3] + ["changed"] + keys[4:])  # a bubble shown differently: it and all after it
    assert kept == 3 and sent == " ".join(keys[3:])
    _, kept, sent = reply([])  # a page without the transcript (the check page) gets all of it
    assert kept == 0 and sent == " ".join(keys)
    assert "<html" in client.get("/kiosk/step").get_data(as_text=True)  # without the header: the whole page


def test_the_reply_to_the_language_step_is_in_the_language_chosen(app, client):
    start_and_reach(client, "language")
    response = client.post("/kiosk/step", data={"step": "language", "value": "ja"}, headers={"X-Kiosk-Swap": "next"})
    assert response.status_code == 200 and only_intake(app).locale == "ja"
    assert 'data-locale="ja"' in response.get_data(as_text=True)  # kiosk.js reloads the page in it


def test_declining_consent_ends_politely_and_stores_no_consent(app, client):
    start_and_reach(client, "notice")
    client.post("/kiosk/step", data={"step": "notice", "value": "no"})
    html = client.get("/kiosk/step").get_data(as_text=True)
    assert "Please talk to the staff at the counter." in html
    intake = only_intake(app)
    assert intake.status == IntakeStatus.DECLINED and intake.consent_at is None


def test_back_and_change_from_the_check_page(app, client):
    start_and_reach(client, "check")
    client.post("/kiosk/change", data={"step": "goal_kind"})
    assert current_step_id(client.get("/kiosk/step").get_data(as_text=True)) == "goal_kind"
    client.post("/kiosk/step", data={"step": "goal_kind", "value": "daily_life"})
    html = client.get("/kiosk/step").get_data(as_text=True)
    assert current_step_id(html) == "check"
    assert only_intake(app).answers["goal_kind"] == "daily_life"
    client.post("/kiosk/back")
    assert current_step_id(client.get("/kiosk/step").get_data(as_text=True)) == "goal_kind"


def test_a_sensitive_question_can_be_skipped(app, client):
    start_and_reach(client, "health_now")
    client.post("/kiosk/step", data={"step": "health_now", "action": "skip"})
    intake = only_intake(app)
    assert intake.answers["health_now"] is None and intake.state == "age_band"


def test_switching_language_keeps_every_answer(app, client):
    start_and_reach(client, "strengths")
    before = only_intake(app).answers
    client.post("/kiosk/language", data={"locale": "ja"})
    after = only_intake(app)
    # The display changes; every answer stays, the preferred language (the language step) included.
    assert after.locale == "ja" and after.answers == before and before["language"] == "en"
    html = client.get("/kiosk/step").get_data(as_text=True)
    assert '<html lang="ja"' in html


def test_pages_with_answers_are_not_stored_by_the_browser(client):
    start_and_reach(client, "future_picture")
    assert client.get("/kiosk/step").headers["Cache-Control"] == "no-store"


def test_the_draft_is_built_only_from_the_path_taken(app, client):
    walk_forms(client, typical_answers() | {"goal_pick": "own"})
    with in_office(app):
        plan = db.session.scalars(db.select(DraftPlan)).one().content
    assert plan["goal"]["own"] and plan["goal"]["suggestion"] is None
    assert [a["text"] for a in plan["actions"]] == [a["text"] for a in typical_answers()["actions"]]
    assert plan["barriers"]["chosen"] == ["illness", "job_search"]


def test_the_caseworker_page_needs_a_login(client):
    response = client.get("/caseworker/")
    assert response.status_code == 302 and "/caseworker/login" in response.headers["Location"]


def test_a_wrong_password_is_refused(app, client):
    sign_in_caseworker(app, app.test_client())
    response = client.post("/caseworker/login", data={"username": "cw", "password": "wrong"})
    assert response.status_code == 401
    assert client.get("/caseworker/").status_code == 302


def test_a_vague_action_gets_a_gentle_prompt_and_can_be_kept(app, client):
    start_and_reach(client, "actions")
    vague = {"item-0-text": "Do my best", **date_parts("item-0-date", day_ahead(2)), "item-0-confidence": "3", "step": "actions"}
    response = client.post("/kiosk/step", data=vague)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and current_step_id(html) == "actions"
    assert "Could you make this more concrete?" in html and "A smaller first step may be easier." in html
    assert only_intake(app).answers["actions"][0]["text"] == "Do my best"  # committed, not lost
    kept = client.post("/kiosk/step", data=vague | {"action": "keep"})
    assert kept.status_code == 302 and only_intake(app).state == "check"


def test_a_month_out_of_range_is_told_in_months(app, client):
    """The month step's range is months: the message names two months, not two days."""
    start_and_reach(client, "goal_date")
    response = client.post("/kiosk/step", data={"step": "goal_date", "value-year": "2020", "value-month": "1"})
    html = response.get_data(as_text=True)
    found = re.search(r"Please choose a month between ([^<]+) and ([^<.]+)\.", html)
    assert found, html[:3000]
    for bound in found.groups():
        assert re.fullmatch(r"[A-Z][a-z]+ \d{4}", bound.strip()), bound


@pytest.mark.parametrize(
    ("step_id", "fields", "field"),
    [
        ("future_picture", [("value", "x" * 501)], "answer-text"),
        ("goal_date", [("value-year", "2020"), ("value-month", "1")], "answer-month-month"),  # English: month, year
    ],
)
def test_without_javascript_an_error_summary_takes_the_focus_and_links_to_the_field(
    app, client, step_id, fields, field
):
    start_and_reach(client, step_id)
    html = client.post("/kiosk/step", data=MultiDict(fields + [("step", step_id)])).get_data(as_text=True)
    summary = re.search(r'<div class="error-summary"[^>]*>', html).group(0)
    assert "autofocus" in summary
    assert f'<a href="#{field}">' in html
    control = re.search(rf'<(?:input|textarea|select)[^>]*id="{field}"[^>]*>', html, re.S).group(0)
    assert 'aria-invalid="true"' in control
    described = re.search(r'aria-describedby="([^"]+)"', control).group(1).split()
    assert "error-answer" in described and 'id="error-answer"' in html
