"""What every staff blueprint shares: Japanese pages, no caching, sessions checked and expired, role checks, opening a case."""

from __future__ import annotations

import time
from functools import wraps

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext, ngettext, refresh
from flask_login import current_user, logout_user
from werkzeug.exceptions import HTTPException

from ...database import DATABASE_FAILED
from ...extensions import db, login_manager
from ...i18n import CASEWORKER_LOCALE, use_staff_catalogue
from ...records import Case, Office, PlanVersion, User
from ...services import audit_log, case_access, staff_sessions
from ...services.errors import CaseworkError
from ...services.offices import default_office_id
from ...unit_of_work import use_office
from ..common import no_store

SEEN_KEY, SIGNED_IN_KEY, REFUSED_KEY = "staff_seen", "staff_signed_in", "staff_session_refused"


def staff_blueprint(bp: Blueprint) -> Blueprint:
    """Wire a staff blueprint: pages in Japanese, never cached, the session's idle and absolute expiry, refusals as pages."""
    bp.before_request(_japanese)
    bp.before_request(_expire)
    bp.before_request(password_first)
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
        _told_session_refused()
        return None
    now = time.time()
    idle = current_app.config["STAFF_IDLE_MINUTES"] * 60
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    seen, signed_in = session.get(SEEN_KEY, 0), session.get(SIGNED_IN_KEY, 0)
    if now - seen > idle or now - signed_in > lifetime:
        staff_sessions.end(g.staff_session, "idle" if now - seen > idle else "lifetime", current_user)
        logout_user()
        session.clear()
        flash(gettext("Your session has expired. Please sign in again."))
        return redirect(url_for("caseworker.login", next=request.path))
    session[SEEN_KEY] = now
    return None


def _told_session_refused():
    """A cookie whose session has ended (signed out, password changed, deactivated…) or was never one: say so once."""
    reason = session.pop(REFUSED_KEY, None)
    if reason in ("ended", "deactivated", "lifetime"):
        flash(gettext("This session has ended. Please sign in again."))
    elif reason == "unknown":
        flash(gettext("This session is not valid. Please sign in again."))


# Pages a user whose password no longer meets the rules may still open: the one that changes it, and signing out.
PASSWORD_FIRST_EXEMPT = {"caseworker.change_password", "caseworker.logout"}


def password_first():
    """An account whose password the rules now refuse changes it before anything else (the translator's pages too)."""
    if (
        current_user.is_authenticated
        and current_user.password_change_required
        and request.endpoint not in PASSWORD_FIRST_EXEMPT
    ):
        return redirect(url_for("caseworker.change_password"))
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


# Translators preview catalogues; recipients' answers are none of their business (APPI Art. 61).
NO_DRAFTS_ROLES = {"translator"}


@login_manager.user_loader
def _load_user(session_value: str) -> User | None:
    """The signed-in user of the session the cookie names, read within the cookie's office (services/staff_sessions.py);
    that office then becomes the request's (web/offices.py). An ended or unknown session is refused and audited."""
    if g.get(DATABASE_FAILED):  # the error page of a failed database: nobody, without asking it again
        return None
    found = staff_sessions.find(session_value, current_app.permanent_session_lifetime)
    if not found.reason:
        g.staff_session = found.row
        return found.user
    # Not logout_user(): it would ask for the current user, and so call this loader again.
    for key in ("_user_id", "_fresh", "_id", SEEN_KEY, SIGNED_IN_KEY):
        session.pop(key, None)
    session[REFUSED_KEY] = found.reason  # said on the next staff page drawn (the sign-in page, after a redirect)
    if found.row is not None:
        detail, office_id = f"{found.user.username}: {found.reason}", found.row.office_id
    else:  # a forged or garbled cookie: logged at the office it names, if there is one, else the installation's
        parsed = staff_sessions.parse(session_value)
        named = db.session.get(Office, parsed[0]) if parsed else None
        detail, office_id = found.reason, named.id if named is not None else default_office_id(db.session)
        use_office(office_id)  # the audit line is that office's record
    audit_log.audit(found.user, None, "session_refused", detail, office_id=office_id)
    return None


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
    if not case_access.can_open(current_user, case):
        abort(403, gettext("This case is assigned to another caseworker. Only they and their supervisor can open it."))
    if case.erased_at is not None:
        if audit_log.erased_on_request(case):
            abort(410, gettext("The records of this case were erased on request. Its audit log is kept."))
        abort(
            410,
            gettext(
                "The records of this case were deleted when the office's retention period ended. Its audit log is kept."
            ),
        )
    return case


def awaits_sign_off(plan: PlanVersion) -> bool:
    """Whether the office signs plans off (決裁) and this version is not signed yet: it may not be printed."""
    return bool(current_app.config["SUPERVISOR_SIGN_OFF"]) and plan.signed_off_at is None


def load_plan(case, number: int) -> PlanVersion:
    plan = next((p for p in case.plans if p.number == number), None)
    if plan is None:
        abort(404)
    return plan
