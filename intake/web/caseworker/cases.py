"""Cases: the queue, a case, intake tickets, claiming walk-in drafts, closing and reassigning."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import segno
from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import force_locale, gettext, pgettext
from flask_login import current_user

from ...domain.plan import Draft
from ...extensions import db
from ...i18n import format_day, second_language
from ...records import (
    CASE_ROLES,
    AuditEntry,
    CaseIntake,
    CaseStatus,
    Intake,
    IntakeStatus,
    PlanEdit,
    Ticket,
    TicketPurpose,
    as_utc,
    utcnow,
)
from ...services import audit_log, case_access, cases, tickets
from ...services.due_dates import due_soon
from ...services.errors import CaseworkError
from ...services.queue import QueueFilter, queue_rows
from ...services.retention import export_case
from ..common import as_download, engines, office_today
from ..history import edit_sentences
from ..plan_text import era_datetime
from .access import NO_DRAFTS_ROLES, error_message, load_case, roles, staff_blueprint

bp = staff_blueprint(Blueprint("caseworker", __name__, url_prefix="/caseworker"))
# Signing in and out (sign_in.py), open to translators too.
SIGN_IN_ENDPOINTS = {
    "caseworker.login",
    "caseworker.sign_in_code",
    "caseworker.enrol",
    "caseworker.change_password",
    "caseworker.logout",
}


@bp.before_request
def _no_translators():
    if request.endpoint not in SIGN_IN_ENDPOINTS and (
        current_user.is_authenticated and current_user.role in NO_DRAFTS_ROLES
    ):
        abort(403)


SORTS = {
    "number": lambda row: row.case.case_number,
    "name": lambda row: row.case.name_reading or row.case.name,
    "status": lambda row: (CaseStatus.ATTENTION.index(row.status), row.review_date or date.max),
    "review": lambda row: (row.review_date is None, row.review_date or date.max),
    "activity": lambda row: row.last_activity,
    "updated": lambda row: -row.case.id,
}


@bp.get("/")
def home():
    """Each role's starting page."""
    if not current_user.is_authenticated:
        return redirect(url_for("caseworker.login"))
    if current_user.role in CASE_ROLES:
        return redirect(url_for("caseworker.queue"))
    if current_user.role == "admin":
        return redirect(url_for("office.report"))
    abort(403, gettext("Your account has no access to the caseworker workspace."))


@bp.get("/cases")
@roles(*CASE_ROLES)
def queue():
    """My cases (a supervisor: the team's): status, code expiry, last activity, review date; searchable and filtered."""
    search = request.args.get("q", "")
    sort = request.args.get("sort", "status")
    status_filter = request.args.get("status", "")
    wanted = request.args.get("filter", "")
    today = office_today()
    all_rows = queue_rows(current_user, search, today, current_app.config["SUPERVISOR_SIGN_OFF"])
    counts: dict[str, int] = {}
    for row in all_rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    filter_counts = {name: sum(row.matches(name, today) for row in all_rows) for name in QueueFilter.ALL}
    rows = [
        row
        for row in all_rows
        if (not status_filter or row.status == status_filter)
        and (wanted not in QueueFilter.ALL or row.matches(wanted, today))
    ]
    rows.sort(key=SORTS.get(sort, SORTS["status"]))
    if request.args.get("order") == "desc":
        rows.reverse()
    rows.sort(key=lambda row: row.check_in != "help")  # a check-in that asks for help comes first, in any order
    return render_template(
        "caseworker/queue.html",
        rows=rows,
        counts=counts,
        filter_counts=filter_counts,
        search=search,
        sort=sort,
        status_filter=status_filter,
        wanted=wanted if wanted in QueueFilter.ALL else "",
        statuses=CaseStatus.ORDER,
        attention=CaseStatus.ATTENTION,
        today=today,
        due_rows=due_soon(current_user, today),
    )


@bp.route("/cases/new", methods=["GET", "POST"])
@roles(*CASE_ROLES)
def new_case():
    """Create a case and issue its intake ticket."""
    if request.method == "POST":
        form = request.form
        try:
            case = cases.create_case(
                current_user,
                case_number=form.get("case_number", ""),
                name=form.get("name", ""),
                reading=form.get("name_reading", ""),
                language=form.get("language", ""),
                note=form.get("note", ""),
                languages=current_app.config["LANGUAGES"],
            )
        except CaseworkError as err:
            flash(error_message(err))
            return render_template("caseworker/case_new.html", form=form), 422
        if form.get("ticket") != "no":
            ticket = tickets.issue_ticket(current_user, case, valid_days=current_app.config["TICKET_VALID_DAYS"])
            return redirect(url_for("caseworker.ticket", case_id=case.id, ticket_id=ticket.id))
        return redirect(url_for("caseworker.case", case_id=case.id))
    return render_template("caseworker/case_new.html", form={})


@bp.get("/cases/<int:case_id>")
@roles(*CASE_ROLES)
def case(case_id: int):
    """One case: status, tickets, the recipient's drafts, plan versions and reviews."""
    case = load_case(case_id)
    audit_log.audit(current_user, case, "view", "case")
    return render_template(
        "caseworker/case.html",
        case=case,
        status=cases.case_status(case, office_today(), current_app.config["SUPERVISOR_SIGN_OFF"]),
        intakes=cases.case_intakes(case),
        reassign_choices=case_access.reassign_choices(current_user, case),
        can_reopen=case.closed_at is not None and case_access.may_reopen(current_user, case),
        now=utcnow(),
        as_utc=as_utc,
    )


@bp.post("/cases/<int:case_id>/tickets")
@roles(*CASE_ROLES)
def issue_ticket(case_id: int):
    """Issue a new kiosk code for the case, for the intake or a review (earlier unused codes stop working)."""
    case = load_case(case_id)
    purpose = TicketPurpose.REVIEW if request.form.get("purpose") == TicketPurpose.REVIEW else TicketPurpose.INTAKE
    try:
        ticket = tickets.issue_ticket(
            current_user, case, valid_days=current_app.config["TICKET_VALID_DAYS"], purpose=purpose
        )
    except CaseworkError as err:
        flash(error_message(err))
        return redirect(url_for("caseworker.case", case_id=case.id))
    return redirect(url_for("caseworker.ticket", case_id=case.id, ticket_id=ticket.id))


@bp.get("/cases/<int:case_id>/tickets/<int:ticket_id>")
@roles(*CASE_ROLES)
def ticket(case_id: int, ticket_id: int):
    """The slip to hand the recipient: the code in large letters and a QR code of the kiosk address."""
    case = load_case(case_id)
    ticket = db.session.get(Ticket, ticket_id)
    if ticket is None or ticket.case_id != case.id:
        abort(404)
    audit_log.audit(current_user, case, "print", f"ticket {ticket.display_code}")
    return render_template("caseworker/ticket.html", **slip(case, ticket))


def slip(case, ticket: Ticket) -> dict:
    """What one slip shows: the code, a QR code of the kiosk address with it, and its words in Japanese and in the
    recipient's language (both the recipient's strings: the slip is theirs to take home)."""
    link = url_for("kiosk.landing", code=ticket.display_code, _external=True)
    language = case.preferred_language
    return {
        "case": case,
        "ticket": ticket,
        "link": link,
        "qr": segno.make(link, error="m").svg_inline(scale=5, title=ticket.display_code),
        "japanese": slip_text(ticket, "ja"),
        "other": slip_text(ticket, language) if second_language(language) else None,
        "locale": language,
    }


def slip_text(ticket: Ticket, locale: str) -> dict:
    """The slip's words in one language (context "ticket slip": the recipient catalogue of every language)."""
    expires = as_utc(ticket.expires_at).astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))
    # The Japanese side writes the day as official papers do (令和…); another language as its readers write days.
    day = era_datetime(ticket.expires_at) if locale == "ja" else format_day(expires.date())
    with force_locale(locale):
        return {
            # i18n: recipient: the heading of the slip with the code a caseworker hands the recipient.
            "heading": pgettext("ticket slip", "Your code for the kiosk"),
            "how": (
                # i18n: recipient: on the slip with a review code.
                pgettext(
                    "ticket slip",
                    "Type this code at the kiosk, or scan the QR code, to look back at your plan before we meet. "
                    "It works once.",
                )
                if ticket.purpose == TicketPurpose.REVIEW
                # i18n: recipient: on the slip with an intake code.
                else pgettext(
                    "ticket slip",
                    "Type this code at the kiosk, or scan the QR code, to prepare your self-reliance plan. It works once.",
                )
            ),
            # i18n: recipient: on the slip; %(day)s is the last day the code works.
            "valid": pgettext("ticket slip", "Valid until %(day)s", day=day),
        }


@bp.post("/cases/<int:case_id>/claim")
@roles(*CASE_ROLES)
def claim(case_id: int):
    """Tie a walk-in draft to this case by its receipt code."""
    case = load_case(case_id)
    try:
        tickets.claim_walk_in(current_user, case, request.form.get("receipt_code", ""))
    except CaseworkError as err:
        flash(error_message(err))
        return redirect(url_for("caseworker.case", case_id=case.id)), 303
    flash(gettext("The draft now belongs to this case."))
    return redirect(url_for("plan.worksheet", case_id=case.id))


@bp.get("/cases/<int:case_id>/drafts/<int:intake_id>")
@roles(*CASE_ROLES)
def draft(case_id: int, intake_id: int):
    """A draft as the recipient sent it, in Japanese whatever language they used."""
    case = load_case(case_id)
    intake = db.session.get(Intake, intake_id)
    if intake is None or intake.plan is None or intake not in cases.case_intakes(case):
        abort(404)
    if intake.plan.content.get("kind") == "check_in":  # a check-in is read with the review it starts
        return redirect(url_for("review.periodic_review", case_id=case.id))
    engine = engines()[intake.dialogue_id]
    audit_log.audit(current_user, case, "view", f"draft {intake.receipt_code}")
    return render_template(
        "caseworker/draft.html",
        case=case,
        intake=intake,
        plan=Draft.from_json(intake.plan.content, locale=intake.locale),
        engine=engine,
        programs={p.id: p for p in engine.programs},
        answers=engine.live_answers(intake.answers),
    )


@bp.route("/cases/<int:case_id>/close", methods=["GET", "POST"])
@roles(*CASE_ROLES)
def close(case_id: int):
    """Close the case after confirming, for one of the office's reasons (終結理由); its plans and log stay."""
    case = load_case(case_id)
    reasons = current_app.config["CASE_CLOSING_REASONS"]
    if case.closed_at:
        flash(gettext("This case is closed."))
        return redirect(url_for("caseworker.case", case_id=case.id), code=303)
    if request.method == "GET":
        return render_template("caseworker/close.html", case=case, reasons=reasons, form={})
    try:
        cases.close_case(
            current_user,
            case,
            reason=request.form.get("reason", ""),
            note=request.form.get("note", ""),
            reasons=reasons,
        )
    except CaseworkError as err:  # refused before any change; the 422 rolls back at the edge anyway
        return render_template(
            "caseworker/close.html", case=case, reasons=reasons, form=request.form, message=error_message(err)
        ), 422
    flash(gettext("The case is closed."))
    return redirect(url_for("caseworker.case", case_id=case.id), code=303)


@bp.post("/cases/<int:case_id>/reopen")
@roles("supervisor")
def reopen(case_id: int):
    """The supervisor reopens a closed case of the team."""
    case = load_case(case_id)
    try:
        cases.reopen_case(current_user, case)
    except CaseworkError as err:  # refused before any change
        flash(error_message(err))
    else:
        flash(gettext("The case is open again."))
    return redirect(url_for("caseworker.case", case_id=case.id), code=303)


@bp.post("/cases/<int:case_id>/reassign")
@roles("supervisor")
def reassign(case_id: int):
    """The supervisor hands the case to another caseworker of the team (someone leaves or is away)."""
    case = load_case(case_id)
    try:
        caseworker = case_access.reassign_case(current_user, case, request.form.get("caseworker", ""))
    except CaseworkError as err:
        flash(error_message(err))
    else:
        flash(gettext("The case is now assigned to %(name)s.", name=caseworker.display_name))
    return redirect(url_for("caseworker.case", case_id=case.id), code=303)


@bp.get("/drafts/<int:intake_id>")
@roles(*CASE_ROLES)
def legacy_draft(intake_id: int):
    """Old links to a draft lead to it inside its case (an unclaimed walk-in draft stays hidden)."""
    link = db.session.scalar(db.select(CaseIntake).filter_by(intake_id=intake_id))
    if link is None:
        abort(404)
    load_case(link.case_id)
    return redirect(url_for("caseworker.draft", case_id=link.case_id, intake_id=intake_id))


@bp.get("/cases/<int:case_id>/audit")
@roles(*CASE_ROLES)
def case_audit(case_id: int):
    """Who viewed, edited, printed or exported this case, and the plan's edit history."""
    case = load_case(case_id)
    entries = db.session.scalars(db.select(AuditEntry).filter_by(case_id=case.id).order_by(AuditEntry.id.desc())).all()
    edits = db.session.scalars(db.select(PlanEdit).filter_by(case_id=case.id).order_by(PlanEdit.id.desc())).all()
    return render_template(
        "caseworker/audit.html", case=case, entries=entries, edits=edits, edit_sentences=edit_sentences
    )


@bp.get("/cases/<int:case_id>/records.json")
@roles(*CASE_ROLES)
def case_records(case_id: int):
    """Everything stored about the case as one JSON file, for the recipient's disclosure request."""
    case = load_case(case_id)
    document = export_case(case)
    audit_log.audit(current_user, case, "export", "case records json")
    return as_download(jsonify(document), f"case-{case.case_number}-records.json")


@bp.get("/walk-ins")
@roles(*CASE_ROLES)
def walk_ins():
    """How many sent walk-in drafts wait to be claimed (codes only: the answers stay hidden until claimed)."""
    waiting = db.session.scalars(
        db.select(Intake)
        .where(Intake.status == IntakeStatus.SUBMITTED)
        .where(~Intake.id.in_(db.select(CaseIntake.intake_id)))
        .order_by(Intake.submitted_at.desc())
    ).all()
    return render_template("caseworker/walk_ins.html", waiting=waiting)
