"""What every staff blueprint shares: Japanese pages, no caching, sessions that expire, role checks."""

from __future__ import annotations

import time
from functools import wraps

from flask import Blueprint, abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext, refresh
from flask_login import current_user, logout_user

from ..i18n import CASEWORKER_LOCALE
from .common import no_store

SEEN_KEY, SIGNED_IN_KEY = "staff_seen", "staff_signed_in"


def staff_blueprint(bp: Blueprint) -> Blueprint:
    """Wire a staff blueprint: pages in Japanese, never cached, and the session's idle and absolute expiry."""
    bp.before_request(_japanese)
    bp.before_request(_expire)
    bp.after_request(no_store)
    return bp


def _japanese():
    g.locale = CASEWORKER_LOCALE
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
