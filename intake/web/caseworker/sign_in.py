"""Signing in (a password, then a one-time code or enrolling one), signing out, and changing one's own password.

The steps, each a plain form (no JavaScript):
1. `/login`: username and password. Right, the browser holds a pending sign-in (user, office, time) for a
   few minutes, and goes on to the code (or to enrol, the first time; or straight in where the office
   does not require a second factor and the user has none).
2. `/login/code`: a code from the authenticator app, or one of the recovery codes.
   `/login/enrol`: the QR code and the secret to type, then the first code; the recovery codes are shown once.
3. Signed in: a session row (services/staff_sessions.py) whose key the cookie keeps. A password that the
   rules now refuse (checked on the password just typed) sends the user to change it first.

Failures slow further tries down (services/throttle.py). While a wait runs for the account or the address,
step 1 asks for the password and the code together and answers every failure alike, so the right person
signs in at once and a guesser learns nothing. Every success, failure and sign-out is in the audit log.
"""

from __future__ import annotations

import time
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import segno
from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from ...extensions import db
from ...records import ROLES, Office, User
from ...services import accounts, audit_log, second_factor, staff_sessions, throttle
from ...services.errors import CaseworkError
from ...services.passwords import password_problem
from ...unit_of_work import keep_when_refused, office_of_account, use_office
from ..offices import current_office
from .access import NO_DRAFTS_ROLES, error_message, mark_signed_in, roles
from .cases import bp

PENDING_KEY = "sign_in_pending"
# How long a right password waits for its code (or for enrolling) before it must be typed again.
PENDING_SECONDS = 10 * 60


def _safe_next(target: str | None, user: User) -> str:
    """Where Flask-Login sent the user from (a path on this site only), else the role's starting page."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("translator.index") if user.role in NO_DRAFTS_ROLES else url_for("caseworker.home")


def _keys(username: str) -> tuple[str, str]:
    return throttle.account_key(username), throttle.address_key(get_remote_address())


def _clock(until: float) -> str:
    """Until when, as the office's wall clock shows it (HH:MM:SS)."""
    zone = ZoneInfo(current_office().time_zone or current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.fromtimestamp(until, zone).strftime("%H:%M:%S")


def _find(username: str) -> User | None:
    """The account of this username, whichever office it is of; the request becomes that office's."""
    # Usernames are unique across the service: the account's office is found first, and the account read in it.
    office_id = office_of_account("sign_in", username=username) if username else None
    if office_id is None:
        return None
    _as_office_of(office_id)
    return db.session.scalar(db.select(User).filter_by(username=username))


def _as_office_of(office_id: int) -> None:
    """From here on the request is this office's (its records, its clock, its wall), as when signed in."""
    use_office(office_id)
    g.yorisoi_office = db.session.get(Office, office_id)


def _factor_required(user: User) -> bool:
    return second_factor.enrolled(user) or bool(current_office().second_factor_required)


def _failed(user: User | None, why: str, username: str) -> None:
    """A failure in the audit log (kept although the answer refuses): whose account, if it is one, and why."""
    keep_when_refused()
    detail = f"{username[:64]}: {why}" if user is None else why
    audit_log.audit(user, None, "sign_in_failed", detail, office_id=user.office_id if user else None)


def _login_page(message: str | None = None, status: int = 200, *, waiting_until: float = 0.0, username: str = ""):
    return render_template(
        "caseworker/login.html",
        message=message,
        waiting_until=_clock(waiting_until) if waiting_until else "",
        username=username,
    ), status


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in: the password (and, while failures make sign-ins wait, the one-time code with it)."""
    if request.method == "GET":
        return _login_page()
    form = request.form
    username, password = form.get("username", "").strip(), form.get("password", "")
    code = form.get("code", "").strip()
    keys = _keys(username)
    until = throttle.delayed_until(*keys)
    user = _find(username)
    if until:
        # Only the password and a code together are checked now, and every failure gets the same answer.
        usable = user is not None and user.active and second_factor.enrolled(user)
        if (
            code
            and usable
            and not throttle.delayed_until(throttle.code_key(user.id))
            and user.check_password(password)
            and _code_accepted(user, code)
        ):
            return _signed_in(user, password, request.args.get("next"))
        later = throttle.fail(*keys) if code else until
        _failed(user, "while waiting" + (" (with a code)" if code else ""), username)
        message = gettext(
            "Too many failed sign-ins for this account or from this address. A password alone is checked again"
            " after %(time)s. Until then, enter your password together with a one-time code from your app"
            " (or a recovery code).",
            time=_clock(max(later, until)),
        )
        return _login_page(message, 429, waiting_until=max(later, until), username=username)
    if user is None or not user.active or not user.check_password(password):
        later = throttle.fail(*keys)
        _failed(user, "inactive" if user is not None and not user.active else "password", username)
        message = gettext("The username or password is not correct.")
        return _login_page(message, 401, waiting_until=later, username=username)
    if not _factor_required(user):
        return _signed_in(user, password, request.args.get("next"))
    _note_password(user, password)
    session[PENDING_KEY] = {
        "user": user.id,
        "office": user.office_id,
        "at": time.time(),
        "next": request.args.get("next") or "",
    }
    target = "caseworker.sign_in_code" if second_factor.enrolled(user) else "caseworker.enrol"
    return redirect(url_for(target))


def _note_password(user: User, password: str) -> None:
    """The password just typed is right; if the rules would now refuse it, it must be changed after signing in."""
    if (
        password_problem(password, user.username, current_office().name) is not None
        and not user.password_change_required
    ):
        user.password_change_required = True


def _code_accepted(user: User, code: str) -> bool:
    if second_factor.looks_like_recovery_code(code):
        if second_factor.use_recovery_code(user, code):
            audit_log.audit(user, None, "recovery_code_used", str(second_factor.recovery_codes_left(user)))
            return True
        return False
    return second_factor.check_code(user, code)


def _signed_in(user: User, password: str | None, target: str | None):
    """The last step succeeded: a new session (its row and cookie), the account's failures forgotten, audited."""
    if password is not None:
        _note_password(user, password)
    session.pop(PENDING_KEY, None)
    user.session_key = staff_sessions.start(user)
    login_user(user)
    g.pop("yorisoi_office", None)
    current_office()  # the request is the user's office's from here on
    mark_signed_in()
    throttle.forget(throttle.account_key(user.username), throttle.code_key(user.id))
    audit_log.audit(user, None, "sign_in")
    if user.password_change_required:
        return redirect(url_for("caseworker.change_password"))
    return redirect(_safe_next(target, user))


def _pending_user() -> User | None:
    """The user whose password was right a moment ago in this browser, if the pending sign-in is still fresh."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        session.pop(PENDING_KEY, None)
        return None
    _as_office_of(int(pending["office"]))
    user = db.session.get(User, int(pending["user"]))
    return user if user is not None and user.active else None


def _code_waiting(user: User) -> str | None:
    """A message when wrong codes for this account make the next one wait."""
    until = throttle.delayed_until(throttle.code_key(user.id))
    if not until:
        return None
    return gettext(
        "Too many wrong codes for this account. Enter a code again after %(time)s."
        " If you did not type them, tell the office's administrator: someone may know your password.",
        time=_clock(until),
    )


@bp.route("/login/code", methods=["GET", "POST"])
def sign_in_code():
    """Sign in, second step: the code from the authenticator app, or a recovery code."""
    user = _pending_user()
    if user is None:
        flash(gettext("Please enter your username and password first."))
        return redirect(url_for("caseworker.login"))
    if not second_factor.enrolled(user):
        return redirect(url_for("caseworker.enrol"))
    if request.method == "GET":
        return render_template("caseworker/sign_in_code.html", message=None)
    waiting = _code_waiting(user)
    if waiting:
        _failed(user, "code while waiting", user.username)
        return render_template("caseworker/sign_in_code.html", message=waiting), 429
    code = request.form.get("code", "")
    if _code_accepted(user, code):
        return _signed_in(user, None, session[PENDING_KEY].get("next"))
    throttle.fail(throttle.code_key(user.id))
    _failed(user, "recovery code" if second_factor.looks_like_recovery_code(code) else "code", user.username)
    message = _code_waiting(user) or gettext(
        "The code is not correct, has expired or was already used. Enter the code your app shows now,"
        " or a recovery code you have not used yet."
    )
    return render_template("caseworker/sign_in_code.html", message=message), 401


def _enrol_page(user: User, message: str | None = None, status: int = 200):
    uri = second_factor.provisioning_uri(user, current_office().name)
    secret = user.totp_secret
    return render_template(
        "caseworker/enrol.html",
        qr=segno.make(uri, error="m").svg_inline(scale=5, title=gettext("QR code for your authenticator app")),
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        message=message,
    ), status


@bp.route("/login/enrol", methods=["GET", "POST"])
def enrol():
    """Sign in the first time (or after a reset): add this account to an authenticator app, then its first code."""
    user = _pending_user()
    if user is None:
        flash(gettext("Please enter your username and password first."))
        return redirect(url_for("caseworker.login"))
    if second_factor.enrolled(user):
        return redirect(url_for("caseworker.sign_in_code"))
    if request.method == "GET":
        second_factor.start_enrolment(user)
        return _enrol_page(user)
    waiting = _code_waiting(user)
    if waiting:
        _failed(user, "enrolment code while waiting", user.username)
        return _enrol_page(user, waiting, 429)
    codes = second_factor.confirm_enrolment(user, request.form.get("code", ""))
    if codes is None:
        throttle.fail(throttle.code_key(user.id))
        _failed(user, "enrolment code", user.username)
        message = _code_waiting(user) or gettext(
            "The code is not correct. Check that the app shows this account, and enter the code it shows now."
        )
        return _enrol_page(user, message, 422)
    target = session[PENDING_KEY].get("next")
    done = _signed_in(user, None, target)
    return render_template("caseworker/recovery_codes.html", codes=codes, next_url=done.location)


@bp.post("/logout")
def logout():
    """Sign out: this session ends, and so does every copy of its cookie."""
    if current_user.is_authenticated:
        row = g.get("staff_session")
        if row is not None:
            staff_sessions.end(row, "signed_out", current_user)
        audit_log.audit(current_user, None, "sign_out")
    logout_user()
    session.clear()
    return redirect(url_for("caseworker.login"))


@bp.route("/password", methods=["GET", "POST"])
@roles(*ROLES)
def change_password():
    """Change one's own password (required first when the current one no longer meets the rules)."""
    if request.method == "GET":
        return _password_page()
    form = request.form
    if form.get("new_password", "") != form.get("repeat_password", ""):
        return _password_page(gettext("The two new passwords are not the same."), 422)
    try:
        accounts.change_own_password(
            current_user, form.get("current_password", ""), form.get("new_password", ""), keep=g.get("staff_session")
        )
    except CaseworkError as err:
        return _password_page(error_message(err), 422)
    flash(gettext("Your password is changed. Your other sessions have ended."))
    return redirect(_safe_next(None, current_user), code=303)


def _password_page(message: str | None = None, status: int = 200):
    if current_user.password_change_required and message is None:
        message = gettext("Your password no longer meets the office's rules. Choose a new one to go on.")
    return render_template(
        "caseworker/password.html", message=message, min_password=accounts.MIN_PASSWORD_LENGTH
    ), status
