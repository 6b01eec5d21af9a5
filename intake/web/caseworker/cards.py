"""The pocket card: printed from a plan version's page (A6, or as a PDF) and in bulk from the queue (four on A4).

The card shows the goal, each action with its date, the next review and the office's contact, in Japanese and
(beside it) the recipient's language, and a QR code of a signed token with the short code under it
(domain/pocket_card.py). Printing a version's card the first time issues it; a reissue revokes the old card.
"""

from __future__ import annotations

import segno
from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, gettext
from flask_login import current_user

from ...domain.pocket_card import text_size
from ...i18n import format_day, second_language
from ...records import CASE_ROLES, Case
from ...services import audit_log, pocket_cards
from ...services.errors import CaseworkError
from ..common import as_download
from ..kiosk_check_in import card_key
from ..plan_text import goal_sentence, sheet_goal, sheet_office
from .access import awaits_sign_off, error_message, load_case, load_plan, roles, staff_blueprint
from .printing import _static_fetcher

bp = staff_blueprint(Blueprint("cards", __name__, url_prefix="/caseworker"))


def card_words(locale: str) -> dict:
    """The card's own words in one language (Japanese for the office's side, the recipient's beside it)."""
    with force_locale(locale):
        return {
            # i18n: recipient: the title of the pocket card that carries their plan between reviews.
            "title": gettext("My plan card"),
            # i18n: recipient: a heading on the pocket card.
            "goal": gettext("My goal"),
            # i18n: recipient: a heading on the pocket card: the plan's actions, each with its date.
            "actions": gettext("What I will do, and by when"),
            # i18n: recipient: on the pocket card, before the date of the next meeting to review the plan.
            "review": gettext("Next review"),
            # i18n: recipient: on the pocket card, before the welfare office's name and phone number.
            "contact": gettext("Contact"),
            # i18n: recipient: on the pocket card, before the name of the caseworker in charge.
            "caseworker": gettext("Caseworker"),
            # i18n: recipient: on the pocket card, beside the QR code and the short code under it.
            "how": gettext(
                "Check in at a kiosk of the office: scan the QR code, or type the code under it. It takes two minutes."
            ),
        }


def card_view(case: Case, plan, card) -> dict:
    """Everything one card shows: both languages' words and the plan's parts, the QR code and the short code."""
    content = plan.plan
    locale = content.recipient_language or case.preferred_language or "ja"
    other = None
    if second_language(locale):
        with force_locale(locale):
            other = {
                **card_words(locale),
                "goal_text": goal_sentence(content.goal),
                "action_days": [format_day(a.date) for a in content.actions],
                "review_day": format_day(plan.review_date),
            }
    token = pocket_cards.qr_text(card, card_key())
    goal_ja = sheet_goal(content.goal)
    # What the card's text size must hold: the goal and the actions, in each language they are printed in.
    printed = [goal_ja, *(a.sheet_text for a in content.actions)]
    if other:
        printed += [other["goal_text"], *(a.text for a in content.actions if a.needs_japanese)]
    return {
        "case": case,
        "plan": plan,
        "content": content,
        "card": card,
        "ja": card_words("ja"),
        "other": other,
        "locale": locale,
        "goal_ja": goal_ja,
        "text_size": text_size(printed),
        "office_name": sheet_office()[0],
        "contact": current_app.config["OFFICE_CONTACT"],
        "qr": segno.make(token, error="m").svg_inline(scale=3, title=card.display_code),
        "token": token,
    }


def _card_or_message(case: Case, plan):
    try:
        return pocket_cards.card_for(current_user, plan), None
    except CaseworkError as err:
        return None, error_message(err)


def _printable_card(case_id: int, number: int):
    """The case, the version and its working card (issued the first time it is printed), or the page saying why it
    cannot be printed: the one gate of the card page and the card PDF."""
    case = load_case(case_id)
    plan = load_plan(case, number)
    if awaits_sign_off(plan):
        return None, render_template(
            "caseworker/error.html", message=gettext("This plan waits for the supervisor's sign-off before it can be printed.")
        ), 409
    issued, message = _card_or_message(case, plan)
    if issued is None:
        return None, render_template("caseworker/error.html", message=message), 409
    return (case, plan, issued), None, None


@bp.get("/cases/<int:case_id>/versions/<int:number>/card")
@roles(*CASE_ROLES)
def card(case_id: int, number: int):
    """The version's pocket card on an A6 page (issued the first time it is printed)."""
    printable, refusal, status = _printable_card(case_id, number)
    if printable is None:
        return refusal, status
    case, plan, issued = printable
    audit_log.audit(current_user, case, "print", f"card {issued.display_code}")
    return render_template("caseworker/card.html", cards=[card_view(case, plan, issued)], skipped=[], bulk=False)


@bp.get("/cases/<int:case_id>/versions/<int:number>/card.pdf")
@roles(*CASE_ROLES)
def card_pdf(case_id: int, number: int):
    """The version's pocket card as an A6 PDF."""
    from weasyprint import HTML  # a heavy import, needed only when a PDF is made

    printable, refusal, status = _printable_card(case_id, number)
    if printable is None:
        return refusal, status
    case, plan, issued = printable
    audit_log.audit(current_user, case, "print", f"card {issued.display_code} pdf")
    html = render_template("caseworker/card.html", cards=[card_view(case, plan, issued)], skipped=[], bulk=False, pdf=True)
    document = HTML(string=html, base_url="file:///", url_fetcher=_static_fetcher(current_app.static_folder)).write_pdf()
    return as_download(Response(document, mimetype="application/pdf"), f"card-{case.case_number}-v{plan.number}.pdf")


@bp.post("/cases/<int:case_id>/versions/<int:number>/card/reissue")
@roles(*CASE_ROLES)
def reissue(case_id: int, number: int):
    """A new card for a lost one: the old card stops working at once."""
    case = load_case(case_id)
    plan = load_plan(case, number)
    try:
        pocket_cards.reissue(current_user, plan)
    except CaseworkError as err:
        flash(error_message(err))
        return redirect(url_for("plan.plan", case_id=case.id, number=plan.number), 303)
    flash(gettext("A new pocket card was issued. The old card no longer works."))
    return redirect(url_for("cards.card", case_id=case.id, number=plan.number), 303)


@bp.get("/print/cards")
@roles("caseworker", "supervisor")
def bulk():
    """The pocket cards of the cases ticked in the queue, four to an A4 sheet; cases without a printable plan are named."""
    views, skipped = [], []
    for case_id in dict.fromkeys(request.args.getlist("case", type=int)):
        case = load_case(case_id)
        plan = case.current_plan
        issued = None
        if plan is not None and not awaits_sign_off(plan):
            issued, _message = _card_or_message(case, plan)
        if issued is None:
            skipped.append(case)
            continue
        audit_log.audit(current_user, case, "print", f"card {issued.display_code}")
        views.append(card_view(case, plan, issued))
    return render_template("caseworker/card.html", cards=views, skipped=skipped, bulk=True)

