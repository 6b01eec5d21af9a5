"""The periodic review (見直し) of an approved plan: progress and evaluation per action and program."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from ...domain.answers import AnswerInvalid
from ...domain.plan import Plan, ReviewLine
from ...domain.worksheet import EVALUATIONS, ReviewEdit
from ...records import CASE_ROLES
from ...services import audit_log, reviews
from ...services.errors import CaseworkError
from ..common import office_today
from .access import error_message, load_case, roles, staff_blueprint
from .check_ins import check_in_start, status_label

bp = staff_blueprint(Blueprint("review", __name__, url_prefix="/caseworker/cases/<int:case_id>"))


@bp.route("/review", methods=["GET", "POST"])
@roles(*CASE_ROLES)
def periodic_review(case_id: int):
    """見直し: progress and evaluation per action and program, and the goal's mark, for the current plan."""
    case = load_case(case_id)
    plan = case.current_plan
    if plan is None:
        abort(404)
    problems, message, status = [], None, 200
    start = reviews.review_start(case, plan)
    prefill, checked_in = check_in_start(case, start.draft)
    form = request.form if request.method == "POST" else prefill
    if request.method == "POST":
        try:
            reviews.record_review(current_user, plan, _review_form(request.form, plan.plan), today=office_today())
        except AnswerInvalid as err:
            problems, status = err.problems, 422
        except CaseworkError as err:
            message, status = error_message(err), 409
        else:
            return redirect(url_for("plan.plan", case_id=case.id, number=plan.number), code=303)
    else:
        audit_log.audit(current_user, case, "view", "review form")
    return (
        render_template(
            "caseworker/review.html",
            case=case,
            plan=plan,
            form=form,
            kiosk_review=start.kiosk_review,
            check_ins=checked_in,
            check_in_status=status_label,
            draft=start.draft,
            distance=start.distance,
            evaluations=EVALUATIONS,
            problems=problems,
            message=message,
            today=office_today(),
        ),
        status,
    )


def _review_form(form, plan: Plan) -> ReviewEdit:
    """The review form as typed: its date, and a line per action and program of the plan, and the goal's."""

    def line(prefix: str) -> ReviewLine:
        return ReviewLine(
            form.get(f"{prefix}-progress", ""), form.get(f"{prefix}-evaluation"), form.get(f"{prefix}-note", "")
        )

    return ReviewEdit(
        review_day=form.get("review_date"),
        actions=tuple(line(f"action-{i}") for i in range(len(plan.actions))),
        programs={p.id: line(f"program-{p.id}") for p in plan.programs},
        goal=line("goal"),
    )
