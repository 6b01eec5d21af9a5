"""Staff accounts: the office's rules for creating and changing them, shared by the admin's pages and `flask intake users`.

A change is checked whole before anything is stored, and leaves an "account" line in the audit log
(never a password). Beyond well-formed input, the rules keep the office working: no admin can lock
themselves out, no team is left without its supervisor, and no open case stays with someone who can
no longer open it.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from ..domain.answers import N_, Nn_
from ..extensions import db
from ..records import ROLES, Case, Office, User
from ..unit_of_work import StaleWrite, office_of_account
from . import audit_log, case_access, staff_sessions
from .errors import CaseworkError
from .passwords import MIN_PASSWORD_LENGTH, password_problem  # noqa: F401  (the admin's pages show it)

MAX_USERNAME_LENGTH = 64
MAX_DISPLAY_NAME_LENGTH = 128
NO_ONE = "—"


class AccountError(CaseworkError):
    """An account change the office's rules refuse; nothing was stored."""


def find_user(username: str | None) -> User | None:
    """The account of this username in the unit of work's office (the wall: unit_of_work.use_office)."""
    username = (username or "").strip()
    if not username:
        return None
    return db.session.scalar(db.select(User).filter_by(username=username))


def open_cases(user: User) -> list[Case]:
    return list(
        db.session.scalars(
            db.select(Case).where(Case.caseworker_id == user.id, Case.closed_at.is_(None)).order_by(Case.id)
        ).all()
    )


def open_case_counts() -> dict[int, int]:
    """Open cases per assigned user id, for the list of accounts."""
    rows = db.session.execute(
        db.select(Case.caseworker_id, db.func.count(Case.id))
        .where(Case.closed_at.is_(None))
        .group_by(Case.caseworker_id)
    )
    return {user_id: count for user_id, count in rows}


def supervised(user: User) -> list[User]:
    """The active staff who have this user as their supervisor."""
    return list(
        db.session.scalars(db.select(User).filter_by(supervisor_id=user.id, active=True).order_by(User.username)).all()
    )


def active_with_role(role: str) -> list[User]:
    return list(
        db.session.scalars(
            db.select(User).filter_by(role=role, active=True).order_by(User.username)
        ).all()
    )


# --- the rules ----------------------------------------------------------------------------------


def _username(raw: str | None) -> str:
    username = (raw or "").strip()
    if not username or len(username) > MAX_USERNAME_LENGTH or any(ch.isspace() for ch in username):
        raise AccountError(
            Nn_(
                "Give a username of up to %(count)s character, without spaces.",
                "Give a username of up to %(count)s characters, without spaces.",
            ),
            count=MAX_USERNAME_LENGTH,
        )
    return username


def _display_name(raw: str | None, username: str) -> str:
    return (raw or "").strip()[:MAX_DISPLAY_NAME_LENGTH] or username


def _role(role: str | None) -> str:
    if role not in ROLES:
        raise AccountError(N_("Choose a role from the list."))
    return role


def _password(password: str | None, username: str, office_id: int) -> str:
    """The password, if the rules (services/passwords.py) accept it for this user of this office."""
    office = db.session.get(Office, office_id)
    problem = password_problem(password, username, office.name if office is not None else "")
    if problem is not None:
        message, params = problem
        raise AccountError(message, **params)
    return password


def _supervisor(user: User | None, role: str, username: str | None) -> User | None:
    """The supervisor named for an account (none when the name is blank)."""
    username = (username or "").strip()
    if not username:
        return None
    if user is not None and username == user.username:
        raise AccountError(N_("No one can be their own supervisor."))
    # A supervisor opens the cases of their team; other roles have no cases to be seen.
    if role != "caseworker":
        raise AccountError(N_("Only a caseworker has a supervisor."))
    supervisor = find_user(username)  # of the same office: a team never spans two
    if supervisor is None or supervisor.role != "supervisor" or not supervisor.active:
        raise AccountError(N_("%(username)s is not an active supervisor."), username=username)
    return supervisor


def _nothing_left_behind(user: User) -> None:
    """Refuse to take a role or the account away while a team or open cases still depend on it."""
    team = supervised(user)
    if team:
        raise AccountError(
            N_("%(username)s still supervises %(names)s. Give them another supervisor first."),
            username=user.username,
            names=", ".join(member.username for member in team),
        )
    count = len(open_cases(user))
    if count:
        raise AccountError(
            Nn_(
                "%(username)s still has %(count)s open case. Move it to another caseworker first.",
                "%(username)s still has %(count)s open cases. Move them to another caseworker first.",
            ),
            username=user.username,
            count=count,
        )


def _is_self(actor: User | None, user: User) -> bool:
    return actor is not None and actor.id == user.id


def _record(actor: User | None, user: User, what: str) -> None:
    audit_log.audit(actor, None, "account", f"{user.username}: {what}", office_id=user.office_id)


# --- changes (each is stored with the request or command, or raises AccountError and stores nothing) --


def create_account(
    actor: User | None,
    *,
    username: str,
    display_name: str,
    role: str,
    supervisor: str,
    password: str,
    office_id: int,
) -> User:
    """A new staff account of the office; `actor` is None from the command line.

    Usernames are unique across the service (signing in names no office), so the check looks at every office.
    """
    username = _username(username)
    taken = AccountError(N_("The username %(username)s is already taken."), username=username)
    if office_of_account("unique_username", username=username) is not None:
        raise taken
    role = _role(role)
    boss = _supervisor(None, role, supervisor)
    user = User(
        office_id=office_id,
        username=username,
        display_name=_display_name(display_name, username),
        role=role,
        supervisor_id=boss.id if boss else None,
        active=True,
    )
    user.set_password(_password(password, username, office_id))
    try:
        with db.session.begin_nested():  # created by someone else since the check above
            db.session.add(user)
    except IntegrityError:
        raise taken from None
    _record(actor, user, f"created as {role}" + (f", supervisor {boss.username}" if boss else ""))
    return user


def change_account(
    actor: User, user: User, *, display_name: str, role: str, supervisor: str, expected_version: object = None
) -> bool:
    """Change the name shown, the role and the supervisor; False when nothing differs.

    `expected_version` is the account's version when the form was loaded (None: no form, as from the CLI).
    """
    if expected_version is not None and str(expected_version) != str(user.version):
        raise StaleWrite()
    role = _role(role)
    boss = _supervisor(user, role, supervisor)
    name = _display_name(display_name, user.username)
    changes = []
    if role != user.role:
        if _is_self(actor, user) and user.role == "admin":
            raise AccountError(N_("You cannot take the admin role from your own account. Another admin can."))
        _nothing_left_behind(user)
        changes.append(f"role {user.role} → {role}")
    boss_id = boss.id if boss else None
    if boss_id != user.supervisor_id:
        previous = db.session.get(User, user.supervisor_id) if user.supervisor_id else None
        changes.append(f"supervisor {previous.username if previous else NO_ONE} → {boss.username if boss else NO_ONE}")
    if name != user.display_name:
        changes.append(f"name {user.display_name} → {name}")
    if not changes:
        return False
    user.role, user.supervisor_id, user.display_name = role, boss_id, name
    _record(actor, user, ", ".join(changes))
    return True


def set_active(actor: User | None, user: User, active: bool) -> bool:
    """Deactivate (the records stay; a signed-in session ends at its next request) or reactivate."""
    if user.active == active:
        return False
    if not active:
        if _is_self(actor, user):
            raise AccountError(N_("You cannot deactivate your own account. Another admin can."))
        _nothing_left_behind(user)
    user.active = active
    _record(actor, user, "reactivated" if active else "deactivated")
    if not active:
        staff_sessions.end_all(actor, user, "deactivated")
    return True


def set_password(actor: User | None, user: User, password: str) -> None:
    """The admin (or an operator) sets a password: every session of the user ends, they sign in with the new one."""
    user.set_password(_password(password, user.username, user.office_id))
    user.password_change_required = False
    _record(actor, user, "password set")
    staff_sessions.end_all(actor, user, "password_set")


def change_own_password(user: User, current: str, new: str, *, keep=None) -> None:
    """The signed-in user changes their password: the current one first; their other sessions end."""
    if not user.check_password(current or ""):
        raise AccountError(N_("The current password is not correct."))
    if new == current:
        raise AccountError(N_("Choose a password different from the current one."))
    user.set_password(_password(new, user.username, user.office_id))
    user.password_change_required = False
    _record(user, user, "password changed")
    staff_sessions.end_all(user, user, "password_changed", keep=keep)


def end_sessions(actor: User, user: User) -> int:
    """The admin ends every session of the user (a lost or shared computer); audited."""
    ended = staff_sessions.end_all(actor, user, "ended_by_admin")
    if not ended:
        raise AccountError(N_("%(username)s has no open sessions."), username=user.username)
    return ended


def reset_second_factor(actor: User, user: User) -> None:
    """The admin resets the second factor (a lost phone): the user enrols again at the next sign-in; sessions end."""
    from . import second_factor

    if not user.totp_secret:
        raise AccountError(N_("%(username)s has no second factor to reset."), username=user.username)
    second_factor.reset(actor, user)
    staff_sessions.end_all(actor, user, "factor_reset")


def move_open_cases(actor: User, user: User, to_username: str) -> tuple[int, User]:
    """Hand every open case of `user` to an active caseworker (someone leaves); each case is audited."""
    target = find_user(to_username)
    if target is None or target.role != "caseworker" or not target.active:
        raise AccountError(N_("Choose an active caseworker to take the cases."))
    if target.id == user.id:
        raise AccountError(N_("Choose someone other than %(username)s."), username=user.username)
    cases = open_cases(user)
    if not cases:
        raise AccountError(N_("%(username)s has no open cases."), username=user.username)
    for case in cases:
        case_access.hand_over(actor, case, target)
    return len(cases), target
