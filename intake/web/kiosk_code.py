"""The kiosk's "I have a code" entry: a caseworker's intake ticket starts the intake for that case."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import refresh

from ..domain.plan import PlanGoal
from ..i18n import known_locale, message
from ..records import TicketPurpose
from ..security import rate_limit, rejected
from ..services import tickets
from ..services.errors import CaseworkError
from .common import engines, intake_engine, no_store, office_today
from .kiosk import _begin_kiosk_session, _kiosk_page
from .offices import kiosk_may_serve
from .plan_text import goal_sentence

bp = Blueprint("kiosk_code", __name__, url_prefix="/kiosk")
bp.context_processor(_kiosk_page)  # its pages use the kiosk layout


@bp.after_request
def _no_store(response):
    return no_store(response)


@bp.post("/code")
@rate_limit("RATELIMIT_CODE_ENTRY", scope="code-entry", deduct_when=rejected)
def redeem():
    """Start the intake a ticket code allows; a wrong, used or expired code says so and starts nothing."""
    locale = known_locale(request.form.get("locale"))
    g.locale = locale
    refresh()
    if not kiosk_may_serve():
        return redirect(url_for("kiosk.landing"))
    try:
        intake = tickets.redeem_ticket(
            request.form.get("code", ""), locale, _engine_for, _goal_text, today=office_today()
        )
    except CaseworkError as err:
        flash(message(err.message, **err.params))
        return render_template("kiosk/landing.html", code=request.form.get("code", "")), 422
    _begin_kiosk_session(intake)
    return redirect(url_for("kiosk.show_step"))


def _engine_for(purpose: str):
    if purpose == TicketPurpose.REVIEW:
        return engines()[current_app.config["REVIEW_DIALOGUE"]]
    return intake_engine()


def _goal_text(goal: PlanGoal) -> str:
    """The plan's goal in the page's language (the recipient's own or the caseworker's words verbatim)."""
    return goal_sentence(goal)
