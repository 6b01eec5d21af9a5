"""The office pages: the report and its CSV, the office audit log, and the staff accounts the admin manages.

The report counts participants, achievers and the rate per program and group, and the barriers named.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from .. import accounts, casework
from ..cases import AuditEntry, Case, PlanVersion, Review
from ..casework import CaseworkError
from ..domain.dates import add_months
from ..domain.report import PlanSpan, ReviewMark, bar_widths, office_report
from ..extensions import db
from ..models import ROLES, Intake, IntakeStatus, User
from .caseworker import error_message
from .common import intake_engine, office_today
from .plan_text import group_label, program_name
from .staff import roles, staff_blueprint

bp = staff_blueprint(Blueprint("report", __name__, url_prefix="/caseworker/office"))
REPORT_ROLES = ("supervisor", "admin")


def _period() -> tuple[date, date, list[str]]:
    today = office_today()
    errors = []
    try:
        start = date.fromisoformat(request.args.get("start") or add_months(today, -12).isoformat())
        end = date.fromisoformat(request.args.get("end") or today.isoformat())
    except ValueError:
        start, end = add_months(today, -12), today
        errors.append(gettext("Please give the period as two dates."))
    if end < start:
        errors.append(gettext("The period ends before it starts. Showing the last twelve months."))
        start, end = add_months(today, -12), today
    return start, end, errors


def build_report(start: date, end: date):
    """Read plan versions, reviews and sent drafts, and count them for the period."""
    engine = intake_engine()
    spans = []
    plans = db.session.scalars(db.select(PlanVersion).order_by(PlanVersion.case_id, PlanVersion.number)).all()
    by_case: dict[int, list[PlanVersion]] = {}
    for plan in plans:
        by_case.setdefault(plan.case_id, []).append(plan)
    for versions in by_case.values():
        for index, plan in enumerate(versions):
            following = versions[index + 1].plan_date if index + 1 < len(versions) else None
            spans.append(
                PlanSpan(
                    plan.case_id, tuple(p["id"] for p in plan.content.get("programs") or []), plan.plan_date, following
                )
            )
    marks = [
        ReviewMark(
            r.case_id,
            r.review_date,
            tuple(
                pid for pid, part in (r.content.get("programs") or {}).items() if part.get("evaluation") == "achieved"
            ),
        )
        for r in db.session.scalars(db.select(Review)).all()
    ]
    drafts = db.session.scalars(db.select(Intake).where(Intake.status == IntakeStatus.SUBMITTED)).all()
    barrier_lists = []
    for intake in drafts:
        sent = intake.submitted_at.date() if intake.submitted_at else None
        if intake.plan is not None and sent and start <= sent <= end:
            barrier_lists.append((intake.plan.content.get("barriers") or {}).get("chosen") or [])
    return office_report(engine.programs, spans, marks, barrier_lists, start, end)


def barrier_label(barrier_id: str) -> str:
    from ..i18n import option_label

    step = intake_engine().dialogue.steps.get("barriers")
    option = step.option(barrier_id) if step else None
    return option_label(option) if option else barrier_id


@bp.get("/report")
@roles(*REPORT_ROLES)
def office():
    """Participants, achievers and achievement rate per program and group, with the barriers recipients named."""
    start, end, errors = _period()
    report = build_report(start, end)
    casework.audit(current_user, None, "view", f"report {start}..{end}")
    db.session.commit()
    return render_template(
        "caseworker/report.html",
        report=report,
        errors=errors,
        programs={p.id: p for p in intake_engine().programs},
        group_bars=bar_widths([(line.key, line.participants) for line in report.groups], 360),
        barrier_bars=bar_widths(list(report.barriers), 360),
        count_bars=bar_widths(list(report.barrier_counts), 360),
        barrier_label=barrier_label,
        plain=str,
    )


@bp.get("/report.csv")
@roles(*REPORT_ROLES)
def office_csv():
    """The report as CSV, in the national survey's columns."""
    start, end, _ = _period()
    report = build_report(start, end)
    groups = {p.id: p.group for p in intake_engine().programs}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["level", "group", "program", "name", "participants", "achievers", "achievement_rate"])
    for line in report.groups:
        writer.writerow(
            ["group", line.key, "", group_label(line.key), line.participants, line.achievers, _rate(line.rate)]
        )
        for sub in report.subgroups_of(line.key):
            writer.writerow(
                ["subgroup", line.key, sub.key, group_label(sub.key), sub.participants, sub.achievers, _rate(sub.rate)]
            )
    for line in report.programs:
        writer.writerow(
            [
                "program",
                groups[line.key],
                line.key,
                program_name(line.key),
                line.participants,
                line.achievers,
                _rate(line.rate),
            ]
        )
    writer.writerow(["total", "", "", "", report.total.participants, report.total.achievers, _rate(report.total.rate)])
    for barrier, count in report.barriers:
        writer.writerow(["barrier", "", barrier, barrier_label(barrier), count, "", ""])
    casework.audit(current_user, None, "export", f"report.csv {start}..{end}")
    db.session.commit()
    return Response(
        "\ufeff" + out.getvalue(),  # a BOM, so spreadsheet software opens the Japanese names as UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=yorisoi-report-{start}-{end}.csv"},
    )


def _rate(rate: float | None) -> str:
    return "" if rate is None else f"{rate:.3f}"


@bp.get("/audit")
@roles(*REPORT_ROLES)
def audit_log():
    """The office's audit log, newest first (a supervisor sees their team's cases)."""
    query = db.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(500)
    if current_user.role == "supervisor":
        team = casework.team_ids(current_user)
        query = query.where(
            AuditEntry.case_id.in_(db.select(Case.id).where(Case.caseworker_id.in_(team)))
            | AuditEntry.user_id.in_(team)
        )
    entries = db.session.scalars(query).all()
    return render_template("caseworker/audit.html", case=None, entries=entries, edits=[])


# --- staff accounts (the admin) -----------------------------------------------------------------


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
        )
    except CaseworkError as err:
        db.session.rollback()
        return _users_page(form, error_message(err), 422)
    flash(gettext("Account %(username)s created.", username=user.username))
    return redirect(url_for("report.account", user_id=user.id), code=303)


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
    if user is None:
        abort(404)
    return user


def _change(user: User, change: Callable[[], object], done: Callable[[object], str]):
    """Apply one change to an account: refused, the page again with the reason (422); else back to it (303)."""
    try:
        result = change()
    except accounts.AccountChanged as err:
        db.session.rollback()
        db.session.refresh(user)  # show the account as it is now, not the stale form
        return _account_page(user, None, error_message(err), 409)
    except CaseworkError as err:
        db.session.rollback()
        return _account_page(user, request.form, error_message(err), 422)
    flash(gettext("Nothing changed.") if result is False else done(result))
    return redirect(url_for("report.account", user_id=user.id), code=303)


def _users_page(form=None, message: str | None = None, status: int = 200):
    staff = db.session.scalars(db.select(User).order_by(User.role, User.username)).all()
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
        min_password=accounts.MIN_PASSWORD_LENGTH,
        message=message,
    ), status
