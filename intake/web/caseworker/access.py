"""What every staff blueprint shares: Japanese pages, no caching, sessions that expire, role checks, opening a case."""

from __future__ import annotations

import time
from functools import wraps

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext, ngettext, refresh
from flask_login import current_user, logout_user
from werkzeug.exceptions import HTTPException

from ...extensions import db, login_manager
from ...i18n import CASEWORKER_LOCALE, use_staff_catalogue
from ...records import Case, PlanVersion, User
from ...services import casework
from ...services.casework import CaseworkError
from ...unit_of_work import office_of_account, use_office
from ..common import no_store

SEEN_KEY, SIGNED_IN_KEY = "staff_seen", "staff_signed_in"


def staff_blueprint(bp: Blueprint) -> Blueprint:
    """Wire a staff blueprint: pages in Japanese, never cached, the session's idle and absolute expiry, refusals as pages."""
    bp.before_request(_japanese)
    bp.before_request(_expire)
    bp.after_request(no_store)
    for code in (403, 404, 409, 410, 500):
        bp.register_error_handler(code, _refused)
    return bp


def _japanese():
    g.locale = CASEWORKER_LOCALE
    use_staff_catalogue()
    refresh()


def mark_signed_in() -> None:
    now = time.time()
    session.permanent = True
    session[SIGNED_IN_KEY] = session[SEEN_KEY] = now


def _expire():
    """Sign out after STAFF_IDLE_MINUTES without a request, or PERMANENT_SESSION_LIFETIME after signing in."""
    if not current_user.is_authenticated:
        return None
    now = time.time()
    idle = current_app.config["STAFF_IDLE_MINUTES"] * 60
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    seen, signed_in = session.get(SEEN_KEY, 0), session.get(SIGNED_IN_KEY, 0)
    if now - seen > idle or now - signed_in > lifetime:
        logout_user()
        session.clear()
        flash(gettext("Your session has expired. Please sign in again."))
        return redirect(url_for("caseworker.login", next=request.path))
    session[SEEN_KEY] = now
    return None


def roles(*allowed: str):
    """Only signed-in staff with one of these roles; others are sent to sign in, or refused."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("caseworker.login", next=request.path))
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate


CASE_ROLES = ("caseworker", "supervisor")
# Translators preview catalogues; recipients' answers are none of their business (APPI Art. 61).
NO_DRAFTS_ROLES = {"translator"}


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    """The signed-in user, whose office then becomes the request's (web/offices.py): the account's office first."""
    office_id = office_of_account("staff_session", user_id=int(user_id)) if user_id.isdigit() else None
    if office_id is None:
        return None
    use_office(office_id)
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


def _refused(err):
    """A refusal or failure as a Japanese staff page; Werkzeug's own English descriptions are replaced."""
    code = getattr(err, "code", None) or 500
    own = err.description if isinstance(err, HTTPException) and err.description != type(err).description else None
    messages = {
        403: gettext("You do not have access to this page."),
        404: gettext("This page or record does not exist. It may have been removed, or the address is wrong."),
        410: gettext("This record is no longer kept."),
        500: gettext(
            "Something went wrong on the server. Nothing more was saved; please try again, or tell the office's administrator."
        ),
    }
    return render_template("caseworker/error.html", message=own or messages.get(code, messages[500]), code=code), code


def error_message(err: CaseworkError) -> str:
    if err.plural:
        return ngettext(err.message, err.plural, err.params["count"], **err.params)
    return gettext(err.message, **err.params)


def load_case(case_id: int) -> Case:
    """The case, if the signed-in user may open it (another office's case is not found); another caseworker's is refused."""
    case = db.session.get(Case, case_id)
    if case is None:
        abort(404)
    if not casework.can_open(current_user, case):
        abort(403, gettext("This case is assigned to another caseworker. Only they and their supervisor can open it."))
    if case.erased_at is not None:
        abort(410, gettext("The records of this case were erased on request. Its audit log is kept."))
    return case


def awaits_sign_off(plan: PlanVersion) -> bool:
    """Whether the office signs plans off (決裁) and this version is not signed yet: it may not be printed."""
    return bool(current_app.config["SUPERVISOR_SIGN_OFF"]) and plan.signed_off_at is None


def load_plan(case, number: int) -> PlanVersion:
    plan = next((p for p in case.plans if p.number == number), None)
    if plan is None:
        abort(404)
    return plan
