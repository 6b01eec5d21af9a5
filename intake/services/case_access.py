"""Who may open a case, and who carries it: the assigned caseworker, their supervisor, a hand-over.

A rejected operation raises CaseworkError (with a message for the page) or the domain's AnswerInvalid, and
nothing is stored; a stale form raises StaleWrite. Nothing here commits: the request or command that calls
these is one transaction (unit_of_work.py).
"""

from __future__ import annotations

from ..domain.answers import N_
from ..extensions import db
from ..records import (
    CASE_ROLES,
    CASEWORKER,
    SUPERVISOR,
    Case,
    User,
)
from .audit_log import audit
from .errors import CaseworkError


def supervises(user: User, case: Case) -> bool:
    """The supervisor rule: a supervisor (査察指導員) answers for the cases their team's caseworkers carry (opens them,
    signs off their plans, reassigns and reopens them). team_ids is the same rule as a list of caseworkers."""
    return user.role == SUPERVISOR and case.caseworker.supervisor_id == user.id


def team_ids(user: User) -> list[int]:
    """The caseworkers whose cases this user may open: themselves, and their team if a supervisor."""
    if user.role == SUPERVISOR:
        team = db.session.scalars(db.select(User.id).filter_by(supervisor_id=user.id)).all()
        return [user.id, *team]
    if user.role == CASEWORKER:
        return [user.id]
    return []


def can_open(user: User, case: Case) -> bool:
    """Only the assigned caseworker and their supervisor may open a case (and its special-care answers)."""
    return user.role in CASE_ROLES and (case.caseworker_id == user.id or supervises(user, case))


def may_reopen(user: User, case: Case) -> bool:
    """Reopening, like reassigning, is for the supervisor of the case's caseworker."""
    return _may_reassign(user, case)


def _team_caseworkers(supervisor: User) -> list[User]:
    return list(
        db.session.scalars(
            db.select(User)
            .filter_by(supervisor_id=supervisor.id, role="caseworker", active=True)
            .order_by(User.username)
        ).all()
    )


def _may_reassign(user: User, case: Case) -> bool:
    return user.role == SUPERVISOR and (case.caseworker_id == user.id or supervises(user, case))


def reassign_choices(user: User, case: Case) -> list[User]:
    """Whom this user may hand the case to: for its supervisor, the team's active caseworkers and themselves."""
    if not _may_reassign(user, case) or case.closed_at:
        return []
    return [person for person in (user, *_team_caseworkers(user)) if person.id != case.caseworker_id]


def hand_over(user: User | None, case: Case, caseworker: User) -> None:
    """Assign an open case to another active caseworker; the audit log keeps who had it."""
    if case.closed_at:
        raise CaseworkError(N_("This case is closed."))
    if not caseworker.active:
        raise CaseworkError(N_("%(username)s's account is inactive."), username=caseworker.username)
    if caseworker.id == case.caseworker_id:
        raise CaseworkError(N_("The case is already assigned to %(username)s."), username=caseworker.username)
    previous = case.caseworker.username
    case.caseworker = caseworker
    audit(user, case, "reassign", f"{previous} → {caseworker.username}")


def reassign_case(user: User, case: Case, username: str) -> User:
    """The supervisor hands a case of their team to a caseworker of the same team (someone leaves or is away)."""
    if not _may_reassign(user, case):
        raise CaseworkError(N_("Only the caseworker's supervisor can reassign this case."))
    caseworker = db.session.scalar(
        db.select(User).filter_by(username=(username or "").strip())
    )
    in_team = caseworker is not None and (
        caseworker.id == user.id or (caseworker.supervisor_id == user.id and caseworker.role == "caseworker")
    )
    if not in_team:
        raise CaseworkError(N_("Choose a caseworker of your own team."))
    hand_over(user, case, caseworker)
    return caseworker
