"""The admin's staff accounts: create, rename, change role and supervisor, passwords, (de)activate, move cases."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user

from ...extensions import db
from ...records import ROLES, User
from ...records import offices as records
from ...services import accounts, audit_log, second_factor, staff_sessions
from ...services.errors import CaseworkError
from ...unit_of_work import stale_page
from ..offices import current_office, enrolment_url
from .access import error_message, roles, staff_blueprint

bp = staff_blueprint(Blueprint("accounts", __name__, url_prefix="/caseworker/office"))


@bp.get("/users")
@roles("admin")
def users():
    """Staff accounts (role, supervisor, open cases) and a form for a new one."""
    return _users_page()


@bp.post("/users")
@roles("admin")
def create_user():
    """Create a staff account."""
    form = request.form
    try:
        user = accounts.create_account(
            current_user,
            username=form.get("username", ""),
            display_name=form.get("display_name", ""),
            role=form.get("role", ""),
            supervisor=form.get("supervisor", ""),
            password=form.get("password", ""),
            office_id=current_user.office_id,
        )
    except CaseworkError as err:
        return _users_page(form, error_message(err), 422)
    flash(gettext("Account %(username)s created.", username=user.username))
    return redirect(url_for("accounts.account", user_id=user.id), code=303)


@bp.get("/users/<int:user_id>")
@roles("admin")
def account(user_id: int):
    """One account: name, role and supervisor, password, its open cases, signing in."""
    return _account_page(_user(user_id))


@bp.post("/users/<int:user_id>")
@roles("admin")
def update_user(user_id: int):
    """Change the name shown, the role and the supervisor."""
    user, form = _user(user_id), request.form
    return _change(
        user,
        lambda: accounts.change_account(
            current_user,
            user,
            display_name=form.get("display_name", ""),
            role=form.get("role", ""),
            supervisor=form.get("supervisor", ""),
            expected_version=form.get("version", ""),
        ),
        lambda _: gettext("Changes to %(username)s saved.", username=user.username),
    )


@bp.post("/users/<int:user_id>/deactivate")
@roles("admin")
def deactivate_user(user_id: int):
    """Stop the account from signing in; its records stay."""
    user = _user(user_id)
    return _change(
        user,
        lambda: accounts.set_active(current_user, user, False),
        lambda _: gettext("%(username)s is deactivated.", username=user.username),
    )


@bp.post("/users/<int:user_id>/reactivate")
@roles("admin")
def reactivate_user(user_id: int):
    """Let a deactivated account sign in again."""
    user = _user(user_id)
    return _change(
        user,
        lambda: accounts.set_active(current_user, user, True),
        lambda _: gettext("%(username)s can sign in again.", username=user.username),
    )


@bp.post("/users/<int:user_id>/password")
@roles("admin")
def set_password(user_id: int):
    """Set a new password (the admin tells it to the person, who signs in with it)."""
    user = _user(user_id)
    return _change(
        user,
        lambda: accounts.set_password(current_user, user, request.form.get("password", "")),
        lambda _: gettext("The new password for %(username)s is set.", username=user.username),
    )


@bp.post("/users/<int:user_id>/factor/reset")
@roles("admin")
def reset_factor(user_id: int):
    """Reset the account's one-time codes (a lost phone): the person enrols again at the next sign-in."""
    user = _user(user_id)
    return _change(
        user,
        lambda: accounts.reset_second_factor(current_user, user),
        lambda _: gettext("The one-time codes of %(username)s are reset.", username=user.username),
    )


@bp.post("/users/<int:user_id>/sessions/end")
@roles("admin")
def end_sessions(user_id: int):
    """End every session of the account (a computer left signed in, a shared cookie)."""
    user = _user(user_id)
    return _change(
        user,
        lambda: accounts.end_sessions(current_user, user),
        lambda count: ngettext(
            "%(count)s session of %(username)s ended.",
            "%(count)s sessions of %(username)s ended.",
            count,
            count=count,
            username=user.username,
        ),
    )


@bp.post("/users/<int:user_id>/cases")
@roles("admin")
def move_cases(user_id: int):
    """Hand every open case of this account to another caseworker (the admin still cannot open them)."""
    user = _user(user_id)
    return _change(
        user,
        lambda: accounts.move_open_cases(current_user, user, request.form.get("to", "")),
        lambda moved: gettext("Open cases moved to %(name)s: %(count)s.", count=moved[0], name=moved[1].display_name),
    )


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:  # another office's account is not found: an admin manages their own office's staff only
        abort(404)
    return user


def _change(user: User, change: Callable[[], object], done: Callable[[object], str]):
    """Apply one change to an account: refused, the page again with the reason (422); else back to it (303).

    A form loaded before someone else's change is refused by `_changed_meanwhile` (409).
    """
    try:
        result = change()
    except CaseworkError as err:
        return _account_page(user, request.form, error_message(err), 422)
    flash(gettext("Nothing changed.") if result is False else done(result))
    return redirect(url_for("accounts.account", user_id=user.id), code=303)


@bp.get("/kiosks")
@roles("admin")
def kiosks():
    """The address that enrols a kiosk (or the office's web page's browser) to this office."""
    return render_template("caseworker/kiosks.html", enrolment_url=enrolment_url(current_office()))


@bp.post("/kiosks/key")
@roles("admin")
def new_kiosk_key():
    """A new enrolment key: every kiosk enrolled so far must be enrolled again (a lost or stolen address)."""
    office = current_office()
    office.kiosk_key = records.new_kiosk_key()
    audit_log.audit(current_user, None, "kiosk_key", office.code)
    flash(gettext("A new enrolment address was made. Enrol every kiosk of the office again with it."))
    return redirect(url_for("accounts.kiosks"), code=303)


@stale_page(bp)
def _changed_meanwhile():
    """Someone changed the account after the form was loaded: the account as it is now, nothing saved (409)."""
    message = gettext("Someone changed this account after you opened it. Here it is as it is now; nothing was saved.")
    return _account_page(_user(request.view_args["user_id"]), None, message, 409)


def _users_page(form=None, message: str | None = None, status: int = 200):
    staff = db.session.scalars(
        db.select(User).order_by(User.role, User.username)
    ).all()
    return render_template(
        "caseworker/users.html",
        accounts=staff,
        open_counts=accounts.open_case_counts(),
        roles=ROLES,
        supervisors=accounts.active_with_role("supervisor"),
        min_password=accounts.MIN_PASSWORD_LENGTH,
        form=form or {"role": "caseworker"},
        message=message,
    ), status


def _account_page(user: User, form=None, message: str | None = None, status: int = 200):
    supervisor = db.session.get(User, user.supervisor_id) if user.supervisor_id else None
    values = {
        "display_name": user.display_name,
        "role": user.role,
        "supervisor": supervisor.username if supervisor else "",
    }
    values.update({key: form[key] for key in values if form and key in form})
    # The current supervisor stays a choice even when no longer active, so saving never drops them unnoticed.
    supervisors = [s for s in accounts.active_with_role("supervisor") if s.id != user.id]
    if supervisor is not None and supervisor not in supervisors:
        supervisors.append(supervisor)
    return render_template(
        "caseworker/account.html",
        user=user,
        values=values,
        roles=ROLES,
        supervisors=supervisors,
        supervisor=supervisor,
        team=accounts.supervised(user),
        open_count=len(accounts.open_cases(user)),
        caseworkers=[c for c in accounts.active_with_role("caseworker") if c.id != user.id],
        factor_enrolled=second_factor.enrolled(user),
        recovery_left=second_factor.recovery_codes_left(user),
        session_count=len(staff_sessions.open_sessions(user)),
        min_password=accounts.MIN_PASSWORD_LENGTH,
        message=message,
    ), status
