"""Printing for many cases at once: the slips of the selected cases' codes, and the plans due for review."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from ...records import CASE_ROLES, Case, Ticket
from ...records.clock import utcnow
from ...services import audit_log, tickets
from ...services.queue import QueueFilter, queue_rows
from ..common import office_today
from .access import awaits_sign_off, load_case, roles, staff_blueprint
from .cases import slip

bp = staff_blueprint(Blueprint("bulk", __name__, url_prefix="/caseworker/print"))

# The plans printed when none are chosen: those whose review is overdue or due this month.
DUE = (QueueFilter.REVIEW_OVERDUE, QueueFilter.REVIEW_THIS_MONTH)


def _chosen() -> list[Case]:
    """The cases ticked in the queue, in the order given; each one the user may open (else 403/404, nothing printed)."""
    return [load_case(case_id) for case_id in dict.fromkeys(request.args.getlist("case", type=int))]


def _usable_ticket(case: Case) -> Ticket | None:
    now = utcnow()
    usable = [t for t in case.tickets if tickets.ticket_usable(t, now)]
    return usable[-1] if usable else None


@bp.get("/slips")
@roles(*CASE_ROLES)
def slips():
    """The slips of the chosen cases' unused codes, one a page, in one print; cases without a valid code are named."""
    printed, skipped = [], []
    for case in _chosen():
        ticket = _usable_ticket(case)
        if ticket is None:
            skipped.append(case)
            continue
        audit_log.audit(current_user, case, "print", f"ticket {ticket.display_code}")
        printed.append(slip(case, ticket))
    return render_template("caseworker/print_slips.html", slips=printed, skipped=skipped)


@bp.get("/plans")
@roles(*CASE_ROLES)
def plans():
    """The current plan of each chosen case (none chosen: every plan due for review), one sheet a page, in one print."""
    cases = _chosen()
    if not cases:
        today = office_today()
        rows = queue_rows(current_user, "", today, current_app.config["SUPERVISOR_SIGN_OFF"])
        cases = [row.case for row in rows if any(row.matches(name, today) for name in DUE)]
    sheets, skipped = [], []
    for case in cases:
        plan = case.current_plan
        if plan is None or awaits_sign_off(plan):
            skipped.append(case)
            continue
        audit_log.audit(current_user, case, "print", f"version {plan.number}")
        review = plan.reviews[-1] if plan.reviews else None
        sheets.append({"case": case, "plan": plan, "content": plan.plan, "review": review})
    return render_template("caseworker/print_plans.html", sheets=sheets, skipped=skipped)
