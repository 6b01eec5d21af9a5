"""The kiosk's way into a check-in: the pocket card's code, scanned (a USB scanner types it) or typed.

A plain form on the welcome screen, so it works without JavaScript. The check-in then runs on the kiosk's own
pages (kiosk.py) like any dialogue: idle wipe, quick exit and the end of the session apply to it unchanged.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import refresh

from ..domain.plan import PlanGoal
from ..i18n import known_locale, message
from ..security import rate_limit, rejected
from ..services import pocket_cards
from ..services.errors import CaseworkError
from .common import engines, no_store, office_today
from .kiosk import _begin_kiosk_session, _kiosk_page
from .offices import current_office, kiosk_may_serve
from .plan_text import goal_sentence

bp = Blueprint("kiosk_check_in", __name__, url_prefix="/kiosk")
bp.context_processor(_kiosk_page)  # its pages use the kiosk layout


@bp.after_request
def _no_store(response):
    return no_store(response)


def card_key() -> bytes:
    """The key that signs pocket cards' tokens, derived from the app's secret (a new secret ends every card's QR)."""
    return hashlib.sha256(b"yorisoi pocket card\0" + current_app.config["SECRET_KEY"].encode()).digest()


@bp.post("/check-in")
@rate_limit("RATELIMIT_CODE_ENTRY", scope="code-entry", deduct_when=rejected)
def check_in():
    """Start a check-in with a pocket card; an unknown, revoked or other office's card says so and starts nothing."""
    locale = known_locale(request.form.get("locale"))
    g.locale = locale
    refresh()
    if not kiosk_may_serve():
        return redirect(url_for("kiosk.landing"))
    raw = request.form.get("card", "")
    try:
        intake = pocket_cards.start_check_in(
            raw,
            key=card_key(),
            office_id=current_office().id,
            locale=locale,
            engine=engines()[current_app.config["CHECK_IN_DIALOGUE"]],
            goal_text=_goal_text,
            today=office_today(),
        )
    except CaseworkError as err:
        flash(message(err.message, **err.params))
        return render_template("kiosk/landing.html", card=raw[:40]), 422
    _begin_kiosk_session(intake)
    return redirect(url_for("kiosk.show_step"))


def _goal_text(goal: PlanGoal) -> str:
    """The plan's goal in the page's language (the recipient's own or the caseworker's words verbatim)."""
    return goal_sentence(goal)
