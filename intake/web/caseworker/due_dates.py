"""Dates that come due: the printable list of actions and reviews due within two weeks or overdue, and the
reminder letter for the next review in the recipient's language beside Japanese."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, render_template
from flask_babel import force_locale, pgettext
from flask_login import current_user

from ...domain.case_record import DUE_WITHIN_DAYS
from ...i18n import format_day, second_language
from ...records import CASE_ROLES
from ...services import audit_log
from ...services.due_dates import due_soon
from ..common import office_today
from ..plan_text import era_date, goal_sentence, sheet_goal, sheet_office
from .access import load_case, roles, staff_blueprint

bp = staff_blueprint(Blueprint("due", __name__, url_prefix="/caseworker"))


@bp.get("/due")
@roles(*CASE_ROLES)
def due_list():
    """Actions and reviews of my cases (a supervisor: the team's) due within two weeks or overdue, to print (A4)."""
    today = office_today()
    rows = due_soon(current_user, today)
    audit_log.audit(current_user, None, "print", f"due dates list {today.isoformat()}: {len(rows)}")
    until = today + timedelta(days=DUE_WITHIN_DAYS)
    return render_template("caseworker/due_list.html", rows=rows, today=today, until=until)


def letter_text(case, plan, locale: str, *, japanese: bool) -> dict:
    """The reminder letter's words in one language: Japanese (the office's side) or the recipient's."""
    content = plan.plan
    day = era_date if japanese else format_day
    with force_locale(locale):
        return {
            # i18n: recipient: the title of a letter reminding them of their next review meeting.
            "title": pgettext("reminder letter", "Your next review meeting"),
            # i18n: recipient: the reminder letter's greeting; %(name)s is their name as the office writes it.
            "greeting": pgettext("reminder letter", "Dear %(name)s,", name=case.name),
            # i18n: recipient: the reminder letter; %(day)s is the date of the review meeting.
            "body": pgettext(
                "reminder letter",
                "We will look at your self-reliance plan together on %(day)s. Please come to the office on that day. "
                "If you cannot come, please tell your caseworker.",
                day=day(plan.review_date),
            ),
            # i18n: recipient: a heading in the reminder letter, above the goal of their plan.
            "goal_label": pgettext("reminder letter", "Your goal"),
            "goal": sheet_goal(content.goal) if japanese else goal_sentence(content.goal),
            # i18n: recipient: a heading in the reminder letter, above the actions of their plan with their dates.
            "actions_label": pgettext("reminder letter", "What you planned to do"),
            "actions": [
                # i18n: recipient: one action in the reminder letter: %(action)s what, %(day)s by when.
                pgettext("reminder letter", "%(action)s (by %(day)s)", action=a.sheet_text if japanese else a.text,
                         day=day(a.date))
                for a in content.actions
            ],
            # i18n: recipient: at the end of the reminder letter.
            "bring": pgettext("reminder letter", "Please bring this letter with you."),
            # i18n: recipient: at the end of the reminder letter; %(name)s is their caseworker's name.
            "caseworker": pgettext("reminder letter", "Your caseworker: %(name)s", name=case.caseworker.display_name),
            "issued": day(office_today()),
        }


@bp.get("/cases/<int:case_id>/reminder")
@roles(*CASE_ROLES)
def reminder(case_id: int):
    """A letter reminding the recipient of the next review, in their language beside Japanese (A4, to print)."""
    case = load_case(case_id)
    plan = case.current_plan
    if plan is None or case.closed_at:
        abort(404)
    locale = plan.plan.recipient_language or case.preferred_language
    audit_log.audit(current_user, case, "print", f"review reminder letter {plan.review_date.isoformat()}")
    return render_template(
        "caseworker/reminder.html",
        case=case,
        plan=plan,
        office=sheet_office()[0],
        japanese=letter_text(case, plan, "ja", japanese=True),
        other=letter_text(case, plan, locale, japanese=False) if second_language(locale) else None,
        locale=locale,
    )
