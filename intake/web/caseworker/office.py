"""The office pages: the report and its CSV, and the office audit log.

The report counts participants, achievers and the rate per program and group, and the barriers named.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext, pgettext
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ...domain.answers import N_
from ...domain.dates import fiscal_year, parse_day
from ...extensions import db
from ...i18n import option_label
from ...records import OFFICE_FIGURES_ROLES, AuditEntry, Case
from ...services import case_access, office_report
from ...services.audit_log import audit
from ..charts import bar_widths
from ..common import intake_engine, office_today
from ..plan_text import audit_action_label, audit_actor, audit_detail, era_datetime, group_label, program_name
from .access import roles, staff_blueprint

bp = staff_blueprint(Blueprint("office", __name__, url_prefix="/caseworker/office"))


def _period() -> tuple[date, date, list[str]]:
    """The period asked for, else the fiscal year (年度, April to March) the office is in, as offices report."""
    first, last = fiscal_year(office_today())
    errors = []
    start = parse_day(request.args.get("start")) if request.args.get("start") else first
    end = parse_day(request.args.get("end")) if request.args.get("end") else last
    if start is None or end is None:
        start, end = first, last
        errors.append(gettext("Please give the period as two dates."))
    if end < start:
        errors.append(gettext("The period ends before it starts. Showing this fiscal year."))
        start, end = first, last
    return start, end, errors


def build_report(start: date, end: date):
    """The report for the period, of the programs offered and those retired (plans of the period may name them)."""
    engine = intake_engine()
    return office_report.report(start, end, engine.programs + engine.retired_programs)


# Barriers as the 2021 survey names them (docs/domain.md §6): short enough for a chart and a CSV column.
# The recipient's own wording (the dialogue's option label) is used for an option not listed here.
BARRIER_SHORT_LABELS = {
    "illness": N_("Illness"),
    "disability": N_("Disability"),
    "unstable_work": N_("Unstable work"),
    "job_search": N_("Difficulty finding work"),
    "job_keeping": N_("Difficulty keeping a job"),
    "self_employed": N_("Self-employed or freelance"),
    "low_pension": N_("Low pension"),
    "debt": N_("Debts"),
    "budget": N_("Household budget"),
    "family": N_("Family relations"),
    "housing": N_("Unstable housing"),
    "single_parent": N_("Single parent"),
    "isolation": N_("Social isolation"),
    "day_night": N_("Day and night reversed"),
    "dependence": N_("Alcohol or gambling dependence"),
    "language": N_("Japanese language"),
    "childcare": N_("Childcare"),
    "school": N_("Children and school"),
    "other": N_("Other barriers"),
}


def barrier_label(barrier_id: str) -> str:
    """A barrier's short label for the report; the dialogue's option label for one the list does not name."""
    if barrier_id in BARRIER_SHORT_LABELS:
        return gettext(BARRIER_SHORT_LABELS[barrier_id])

    engine = intake_engine()
    step_id = engine.dialogue.produces.step("barriers.chosen")
    option = engine.step(step_id).option(barrier_id) if step_id else None
    return option_label(option) if option else barrier_id


@bp.get("/report")
@roles(*OFFICE_FIGURES_ROLES)
def report():
    """Participants, achievers and achievement rate per program and group, with the barriers recipients named."""
    start, end, errors = _period()
    report = build_report(start, end)
    audit(current_user, None, "view", f"report {start}..{end}")
    return render_template(
        "caseworker/report.html",
        report=report,
        errors=errors,
        programs={p.id: p for p in intake_engine().programs + intake_engine().retired_programs},
        group_bars=bar_widths([(line.key, line.participants) for line in report.groups], 360),
        barrier_bars=bar_widths(list(report.barriers), 360),
        count_bars=bar_widths(list(report.barrier_counts), 360),
        barrier_label=barrier_label,
        plain=str,
    )


@bp.get("/report.csv")
@roles(*OFFICE_FIGURES_ROLES)
def report_csv():
    """The report as CSV, in the national survey's columns."""
    start, end, _ = _period()
    report = build_report(start, end)
    groups = {p.id: p.group for p in intake_engine().programs + intake_engine().retired_programs}
    out = io.StringIO()
    writer = csv.writer(out)
    # The survey's wording for the columns, every value in Japanese; the ids a spreadsheet matches on only in the
    # last two columns, named for them.
    levels = {
        # i18n: staff: a kind of line in the report's CSV: a kind of self-reliance (経済的自立…).
        "group": gettext("Kind of self-reliance"),
        # i18n: staff: a kind of line in the report's CSV: a sub-line inside a kind (うち就労…).
        "subgroup": gettext("Of which"),
        # i18n: staff: a kind of line in the report's CSV: one support program.
        "program": gettext("Support program"),
        # i18n: staff: a kind of line in the report's CSV: the sum of every line.
        "total": gettext("Total"),
        # i18n: staff: a kind of line in the report's CSV: a barrier recipients named.
        "barrier": gettext("Barrier"),
    }
    writer.writerow(
        [
            # i18n: staff: a column of the report's CSV: the kind of line (a kind of self-reliance, a program…).
            gettext("Line"),
            # i18n: staff: a column of the report's CSV: the kind of self-reliance the line belongs to.
            gettext("Kind of self-reliance"),
            # i18n: staff: a column of the report's CSV: the name of the group, program or barrier (not a person's).
            pgettext("report", "Item"),
            gettext("Participants"),
            gettext("Achievers"),
            gettext("Achievement rate"),
            # i18n: staff: a column of the report's CSV: the kind of self-reliance's id (economic, daily_life…).
            gettext("Group ID"),
            # i18n: staff: a column of the report's CSV: the id of the program, sub-line or barrier.
            gettext("Item ID"),
        ]
    )
    for line in report.groups:
        writer.writerow(
            [
                levels["group"],
                group_label(line.key),
                group_label(line.key),
                line.participants,
                line.achievers,
                _rate(line.rate),
                line.key,
                "",
            ]
        )
        for sub in report.subgroups_of(line.key):
            writer.writerow(
                [
                    levels["subgroup"],
                    group_label(line.key),
                    group_label(sub.key),
                    sub.participants,
                    sub.achievers,
                    _rate(sub.rate),
                    line.key,
                    sub.key,
                ]
            )
    for line in report.programs:
        writer.writerow(
            [
                levels["program"],
                group_label(groups[line.key]),
                program_name(line.key),
                line.participants,
                line.achievers,
                _rate(line.rate),
                groups[line.key],
                line.key,
            ]
        )
    writer.writerow(
        [
            levels["total"],
            "",
            "",
            report.total.participants,
            report.total.achievers,
            _rate(report.total.rate),
            "",
            "",
        ]
    )
    for barrier, count in report.barriers:
        writer.writerow([levels["barrier"], "", barrier_label(barrier), count, "", "", "", barrier])
    audit(current_user, None, "export", f"report.csv {start}..{end}")
    return Response(
        "\ufeff" + out.getvalue(),  # a BOM, so spreadsheet software opens the Japanese names as UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=yorisoi-report-{start}-{end}.csv"},
    )


def _rate(rate: float | None) -> str:
    return "" if rate is None else f"{rate:.3f}"


def _visible_entries():
    """The office's audit entries this user may read, newest first: the whole office, a supervisor their team's."""
    query = (
        db.select(AuditEntry)
        .order_by(AuditEntry.id.desc())
    )
    if current_user.role == "supervisor":
        team = case_access.team_ids(current_user)
        query = query.where(
            AuditEntry.case_id.in_(db.select(Case.id).where(Case.caseworker_id.in_(team)))
            | AuditEntry.user_id.in_(team)
        )
    return query


@bp.get("/audit")
@roles(*OFFICE_FIGURES_ROLES)
def audit_log():
    """The office's audit log, newest first (a supervisor sees their team's cases)."""
    entries = db.session.scalars(_visible_entries().limit(500)).all()
    return render_template("caseworker/audit.html", case=None, entries=entries, edits=[])


@bp.get("/audit.csv")
@roles(*OFFICE_FIGURES_ROLES)
def audit_csv():
    """The audit log the page shows, every entry, as CSV with Japanese headers; the export is itself logged."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            # i18n: staff: a column of the audit log's CSV: the entry's number in the database.
            gettext("Entry"),
            gettext("When"),
            gettext("Who"),
            gettext("Username"),
            gettext("Case"),
            gettext("What"),
            gettext("Detail"),
            # i18n: staff: a column of the audit log's CSV: the entry's place in the office's hash chain.
            gettext("Chain number"),
            # i18n: staff: a column of the audit log's CSV: the entry's SHA-256 hash in the chain.
            gettext("Hash"),
        ]
    )
    query = _visible_entries().options(selectinload(AuditEntry.user), selectinload(AuditEntry.case))
    for entry in db.session.scalars(query.execution_options(yield_per=500)):
        writer.writerow(
            [
                entry.id,
                era_datetime(entry.at),
                audit_actor(entry),
                entry.user.username if entry.user else "",
                entry.case.case_number if entry.case else "",
                audit_action_label(entry.action),
                audit_detail(entry),
                entry.seq or "",
                entry.hash or "",
            ]
        )
    audit(current_user, None, "export", "audit.csv")
    return Response(
        "\ufeff" + out.getvalue(),  # a BOM, so spreadsheet software opens the Japanese as UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=yorisoi-audit-{office_today()}.csv"},
    )
