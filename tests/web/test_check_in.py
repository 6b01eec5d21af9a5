"""The pocket card and the check-in at the kiosk (issue 24): printed, scanned or typed, refused when it no longer
works (in the recipient's language), landing on the case, flagged in the queue and starting the next review."""

from __future__ import annotations

import re
from datetime import date

from conftest import in_office
from staff import (
    approve_typical_plan,
    enrol_kiosk,
    make_office,
    make_second_office,
    new_case,
    sign_in,
    translated,
    walk_with_code,
)
from walk import walk_forms

from intake.domain.pocket_card import card_token, read_card
from intake.extensions import db
from intake.records import AuditEntry, CheckIn, PocketCard
from intake.services import check_ins
from intake.web.kiosk_check_in import card_key

TODAY = date(2019, 5, 1)
CHECK_IN_ANSWERS = {"action_1_status": "partly", "action_2_status": "help", "note": "The clinic was full", "talk": "yes"}


def _approved(app, client, *, language: str = "vi", number: str = "C-0001", office: str | None = None) -> int:
    case_id, code = new_case(client, number=number, language=language)
    kiosk = app.test_client()
    if office is not None:
        enrol_kiosk(app, kiosk, office)
    walk_with_code(kiosk, code, TODAY, locale=language)
    approve_typical_plan(client, case_id, TODAY, date(2019, 8, 1))
    return case_id


def _approved_in_office(app, client, language: str) -> int:
    """The demo office on the pinned day, the caseworker signed in, and a plan approved in `language`."""
    make_office(app)
    app.config["OFFICE_TODAY"] = TODAY
    sign_in(client, "cw")
    return _approved(app, client, language=language)


def _card(client, case_id: int, number: int = 1) -> tuple[str, str, str]:
    """(the printed page, the short code, the QR code's token)."""
    page = client.get(f"/caseworker/cases/{case_id}/versions/{number}/card")
    assert page.status_code == 200, page.get_data(as_text=True)[:500]
    html = page.get_data(as_text=True)
    short = re.search(r'data-testid="card-code">([A-Z0-9-]+)<', html).group(1)
    with in_office(client.application):
        card = db.session.scalar(db.select(PocketCard).order_by(PocketCard.id.desc()))
        with client.application.test_request_context():
            token = card_token(card_key(), card.office_id, card.code)
    return html, short, token


def _audit(app, action: str) -> list[str]:
    with in_office(app):
        return list(db.session.scalars(db.select(AuditEntry.detail).filter_by(action=action).order_by(AuditEntry.id)))


def test_a_card_is_printed_bilingual_and_a_check_in_lands_on_the_case_and_starts_the_review(app, client):
    make_office(app)
    app.config["OFFICE_TODAY"] = TODAY
    sign_in(client, "cw")
    case_id = _approved(app, client)
    html, short, token = _card(client, case_id)
    assert translated(app, "My plan card", "vi") in html and translated(app, "My plan card", "ja") in html
    assert translated(app, "My plan card", "vi") != "My plan card"
    assert "Go to Hello Work with my caseworker on a Tuesday in December" in html
    assert "令和元年8月1日" in html  # the next review, in Japanese
    # The QR code carries no personal data: only the office's number, the short code and a signature.
    assert re.fullmatch(r"YC1-\d+-[A-Z0-9]{10}-[0-9A-F]{16}", token) and short.replace("-", "") in token
    # Printing again shows the same card; the audit log says it was issued once.
    assert _card(client, case_id)[1] == short
    assert len(_audit(app, "card_issue")) == 1

    app.config["OFFICE_TODAY"] = date(2019, 6, 10)
    kiosk = app.test_client()
    response = kiosk.post("/kiosk/check-in", data={"card": token, "locale": "vi"})
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    shown = walk_forms(kiosk, CHECK_IN_ANSWERS, locale="vi", started=True, dialogue="check_in")
    assert shown[-1] == "done" and "action_3_status" not in shown
    done = kiosk.get("/kiosk/step").get_data(as_text=True)
    assert 'data-testid="receipt-code"' not in done  # the check-in is on the case already: no code to keep
    with in_office(app):
        check_in = db.session.scalar(db.select(CheckIn))
        assert check_in.case_id == case_id and check_in.day == date(2019, 6, 10)
        assert check_in.needs_help and check_in.wants_talk
        assert check_in.result.statuses == ("partly", "help") and check_in.result.note == "The clinic was full"
        # What the service hands on for anything else a check-in should write: plain facts, actions in Japanese.
        facts = check_ins.received(check_in.intake, check_in.intake.plan.content, date(2019, 6, 10))
        assert facts.case_id == case_id and facts.day == date(2019, 6, 10) and facts.needs_help and facts.wants_talk
        assert facts.actions == (("12月の火曜日に、担当者とハローワークへ行く", "partly"), ("来月、膝のことで整形外科を受診する", "help"))
        assert facts.note == "The clinic was full"
        db.session.rollback()
    # The screen was left for the next person: the kiosk's landing again after Finish.
    kiosk.post("/kiosk/finish")
    landing = kiosk.get("/kiosk/").get_data(as_text=True)
    assert 'data-step="' not in landing and "The clinic was full" not in landing and 'data-testid="card-form"' in landing

    queue = client.get("/caseworker/cases").get_data(as_text=True)
    assert translated(app, "Check-in: needs help") in queue
    review = client.get(f"/caseworker/cases/{case_id}/review").get_data(as_text=True)
    assert 'data-testid="check-ins"' in review and "The clinic was full" in review
    assert 'id="action-0-partly" name="action-0-evaluation" value="partly" checked' in review
    assert translated(app, "needs help") in review  # action 2's progress says they asked for help
    assert "令和元年6月10日" in review


def test_the_short_code_typed_works_without_javascript(app, client):
    case_id = _approved_in_office(app, client, "en")
    _html, short, _token = _card(client, case_id)
    kiosk = app.test_client()
    landing = kiosk.get("/kiosk/").get_data(as_text=True)
    assert 'name="card"' in landing and 'action="/kiosk/check-in"' in landing
    typed = short.lower().replace("-", " ")
    assert kiosk.post("/kiosk/check-in", data={"card": typed, "locale": "en"}).status_code == 302
    shown = walk_forms(kiosk, {"action_1_status": "done", "action_2_status": "not_yet"}, locale="en", started=True, dialogue="check_in")
    assert shown[-1] == "done"
    # The case page lists it with the kiosk's drafts; it opens the review form it starts.
    with in_office(app):
        intake_id = db.session.scalar(db.select(CheckIn.intake_id))
    opened = client.get(f"/caseworker/cases/{case_id}/drafts/{intake_id}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/caseworker/cases/{case_id}/review")
    # Left half-way, the idle reset (a page without JavaScript reloads it) wipes the screen like any kiosk session.
    assert kiosk.post("/kiosk/check-in", data={"card": typed, "locale": "en"}).status_code == 302
    assert 'data-step="welcome"' in kiosk.get("/kiosk/step").get_data(as_text=True)
    kiosk.get("/kiosk/reset")
    assert kiosk.get("/kiosk/step").status_code == 302
    queue = client.get("/caseworker/cases").get_data(as_text=True)
    assert translated(app, "New check-in") in queue
    # Once the caseworker records the review it started, the check-in is no longer new.
    page = client.get(f"/caseworker/cases/{case_id}/review").get_data(as_text=True)
    review = {"review_date": TODAY.isoformat(), "goal-evaluation": "partly"}
    for prefix in re.findall(r'name="([a-z0-9_-]+)-evaluation"', page):
        review.setdefault(f"{prefix}-evaluation", "achieved")
    assert client.post(f"/caseworker/cases/{case_id}/review", data=review).status_code == 303
    assert 'data-testid="check-in-flag"' not in client.get("/caseworker/cases").get_data(as_text=True)
    assert 'data-testid="check-ins"' not in client.get(f"/caseworker/cases/{case_id}/review").get_data(as_text=True)


def test_the_check_page_asks_each_question_as_it_was_asked_with_the_action_it_names(app, client):
    """The check page lists "Your action: “…”. How is it going?" with the plan's action in it, as the question
    itself showed it, never the catalogue's placeholder."""
    case_id = _approved_in_office(app, client, "vi")
    _html, short, _token = _card(client, case_id)
    kiosk = app.test_client()
    assert kiosk.post("/kiosk/check-in", data={"card": short, "locale": "vi"}).status_code == 302
    pages: dict[str, str] = {}
    walk_forms(kiosk, CHECK_IN_ANSWERS, locale="vi", started=True, dialogue="check_in", until="check", pages=pages)
    questions = re.findall(r'<dt id="prompt-(action_\d_status)">(.*?)</dt>', pages["check"], re.S)
    assert [step for step, _ in questions] == ["action_1_status", "action_2_status"]
    assert "Go to Hello Work with my caseworker on a Tuesday in December" in questions[0][1]
    assert "See the orthopaedic doctor about my knee next month" in questions[1][1]
    assert "%(" not in pages["check"]


def test_an_easy_japanese_reader_takes_home_easy_japanese_beside_the_japanese(app, client):
    """Easy Japanese is the reader's language like any other: the card, the slip, the letter and the copy carry it."""
    case_id = _approved_in_office(app, client, "ja@easy")
    card, _short, _token = _card(client, case_id)
    assert "わたしの計画カード" in card and "わたしの けいかく カード" in card
    slip_url = client.post(f"/caseworker/cases/{case_id}/tickets", data={"purpose": "review"}).headers["Location"]
    slip = client.get(slip_url).get_data(as_text=True)
    assert "受付端末で使うコード" in slip and "うけつけきで つかう コード" in slip
    letter = client.get(f"/caseworker/cases/{case_id}/reminder").get_data(as_text=True)
    assert "次回の見直し面談のお知らせ" in letter and "つぎの めんだんの おしらせ" in letter
    copy = client.get(f"/caseworker/cases/{case_id}/versions/1/print?copy=recipient").get_data(as_text=True)
    assert "自立計画書" in copy and "じりつの けいかくしょ" in copy


def test_a_revised_plans_card_a_reissued_card_and_a_closed_cases_card_are_refused_in_the_recipients_language(app, client):
    make_office(app)
    app.config["OFFICE_TODAY"] = TODAY
    sign_in(client, "cw")
    case_id = _approved(app, client)
    _html, _short, old_token = _card(client, case_id)
    # A revision approved as version 2 revokes version 1's card.
    version = re.search(r'name="version" value="(\d+)"', client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True))
    client.post(f"/caseworker/cases/{case_id}/plan/revise", data={"version": version.group(1)})
    approve_typical_plan(client, case_id, TODAY, date(2019, 9, 1))
    refused = app.test_client().post("/kiosk/check-in", data={"card": old_token, "locale": "vi"})
    assert refused.status_code == 422
    no_longer = translated(app, "This card no longer works. Please ask your caseworker for your new card.", "vi")
    assert no_longer in refused.get_data(as_text=True) and no_longer.startswith("Thẻ")
    assert _audit(app, "card_revoke")[-1].startswith("revision ")

    # A reissue revokes the card it replaces.
    _html, short2, token2 = _card(client, case_id, 2)
    assert client.post(f"/caseworker/cases/{case_id}/versions/2/card/reissue").status_code == 303
    assert app.test_client().post("/kiosk/check-in", data={"card": token2, "locale": "vi"}).status_code == 422
    assert _audit(app, "card_revoke")[-1] == f"reissue {short2}"
    _html, short3, token3 = _card(client, case_id, 2)
    assert short3 != short2

    # Closing the case revokes its card.
    client.post(f"/caseworker/cases/{case_id}/close", data={"reason": "other", "note": "moved"})
    assert app.test_client().post("/kiosk/check-in", data={"card": short3, "locale": "vi"}).status_code == 422
    assert _audit(app, "card_revoke")[-1] == f"closure {short3}"
    with in_office(app):
        assert db.session.scalar(db.select(db.func.count()).select_from(CheckIn)) == 0


def test_a_card_of_another_office_and_a_made_up_token_are_refused(app, client):
    make_office(app)
    make_second_office(app)
    app.config["OFFICE_TODAY"] = TODAY
    sign_in(client, "cw")
    case_id = _approved(app, client, office="main")
    _html, short, token = _card(client, case_id)
    north = app.test_client()
    enrol_kiosk(app, north, "north")
    refused = north.post("/kiosk/check-in", data={"card": token, "locale": "vi"})
    assert refused.status_code == 422
    other = translated(app, "This card is from another welfare office. Please check in at your own office.", "vi")
    assert other in refused.get_data(as_text=True) and other.startswith("Thẻ")
    # The short code typed there is as unknown as a mistyped one.
    typed = north.post("/kiosk/check-in", data={"card": short, "locale": "vi"})
    unknown = translated(app, "This card is not known. Please check the code, or ask at the counter.", "vi")
    assert typed.status_code == 422 and unknown in typed.get_data(as_text=True)
    # A token whose signature does not match is refused without a lookup.
    forged = token[:-1] + ("0" if token[-1] != "0" else "1")
    with app.test_request_context():
        assert read_card(card_key(), forged) is None and read_card(card_key(), token).code == short.replace("-", "")
    main = app.test_client()
    enrol_kiosk(app, main, "main")
    assert main.post("/kiosk/check-in", data={"card": forged, "locale": "vi"}).status_code == 422
    assert main.post("/kiosk/check-in", data={"card": token, "locale": "vi"}).status_code == 302  # its own office


def test_the_card_as_an_a6_pdf_and_in_bulk_four_to_an_a4_sheet(app, client):
    import io

    from pypdf import PdfReader

    make_office(app)
    app.config["OFFICE_TODAY"] = TODAY
    sign_in(client, "cw")
    first = _approved(app, client, number="C-0001")
    second = _approved(app, client, number="C-0002", language="es")
    without_plan, _code = new_case(client, number="C-0003", language="vi")
    response = client.get(f"/caseworker/cases/{first}/versions/1/card.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.data))
    assert len(pdf.pages) == 1
    width, height = (float(v) * 25.4 / 72 for v in pdf.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (105, 148)  # A6
    text = pdf.pages[0].extract_text()
    assert "Thẻ" in text and "計画カード" in text

    page = client.get(f"/caseworker/print/cards?case={first}&case={second}&case={without_plan}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and html.count('data-testid="pocket-card"') == 2
    assert translated(app, "My plan card", "es") in html and 'data-testid="skipped"' in html and "C-0003" in html
    # The card page offers printing and a reissue; the queue, printing the ticked cases' cards.
    assert "/card/reissue" in client.get(f"/caseworker/cases/{first}/versions/1/card").get_data(as_text=True)
    assert "/caseworker/print/cards" in client.get("/caseworker/cases").get_data(as_text=True)


def test_card_issues_revocations_and_check_ins_read_in_japanese_in_the_audit_log(app, client):
    make_office(app)
    app.config["OFFICE_TODAY"] = TODAY
    sign_in(client, "cw")
    case_id = _approved(app, client)
    _html, short, _token = _card(client, case_id)
    client.post(f"/caseworker/cases/{case_id}/versions/1/card/reissue")
    log = client.get(f"/caseworker/cases/{case_id}/audit").get_data(as_text=True)
    assert "携帯カード発行" in log and "携帯カード失効" in log and f"カード {short}（カード再発行）" in log
    _html, _short, token = _card(client, case_id)
    kiosk = app.test_client()
    kiosk.post("/kiosk/check-in", data={"card": token, "locale": "vi"})
    walk_forms(kiosk, {"action_1_status": "help"}, locale="vi", started=True, dialogue="check_in")
    assert "受付機でチェックイン" in client.get(f"/caseworker/cases/{case_id}/audit").get_data(as_text=True)
    # A disclosure request's export holds the cards and what the check-in said.
    with in_office(app):
        from intake.records import Case
        from intake.services.retention import export_case

        exported = export_case(db.session.get(Case, case_id))
    assert [card["revoked_reason"] for card in exported["pocket_cards"]] == ["reissue", None]
    assert exported["check_ins"][0]["statuses"] == ["help", None] and exported["check_ins"][0]["day"] == "2019-05-01"


def test_erasing_a_case_deletes_its_cards_and_check_ins_and_a_purged_unfinished_check_in_goes_with_its_intake(app, client):
    from datetime import timedelta

    from intake.records import Case, Intake, Office, User, utcnow
    from intake.services.retention import erase_case, purge_office

    make_office(app)
    app.config["OFFICE_TODAY"] = TODAY
    sign_in(client, "cw")
    case_id = _approved(app, client)
    _html, _short, token = _card(client, case_id)
    sent, left = app.test_client(), app.test_client()
    sent.post("/kiosk/check-in", data={"card": token, "locale": "vi"})
    walk_forms(sent, {"action_1_status": "done"}, locale="vi", started=True, dialogue="check_in")
    left.post("/kiosk/check-in", data={"card": token, "locale": "vi"})  # walked away from
    with in_office(app):
        unfinished = db.session.scalar(db.select(CheckIn).filter_by(submitted_at=None))
        walked_away = db.session.get(Intake, unfinished.intake_id)
        walked_away.updated_at = walked_away.created_at = utcnow() - timedelta(days=30)
        db.session.commit()
        purge_office(db.session.scalar(db.select(Office).filter_by(code="main")), now=utcnow())
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count()).select_from(CheckIn)) == 1
        admin = db.session.scalar(db.select(User).filter_by(username="admin"))
        deleted = erase_case(db.session.get(Case, case_id), by=admin, reference="REQ-1")
        db.session.commit()
        assert deleted["check_ins"] == 1 and deleted["pocket_cards"] == 1
