"""The case record (ケース記録): draft entries to edit and confirm, confirmed ones to copy, and their CSV."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from ...records import CASE_ROLES
from ...services import audit_log, case_records
from ...services.errors import CaseworkError
from ...unit_of_work import stale_page
from ..common import as_download, office_today
from ..plan_text import era_date
from .access import error_message, load_case, roles, staff_blueprint
from .record_text import OfficeWording, kind_label

bp = staff_blueprint(Blueprint("case_record", __name__, url_prefix="/caseworker/cases/<int:case_id>"))
bp.record_once(lambda state: state.app.extensions.setdefault(case_records.WORDING, OfficeWording()))


def copy_text(entry) -> str:
    """An entry as the office's record writes it, to paste into another system: date, kind, then the words."""
    return f"{era_date(entry.day)}　{kind_label(entry.kind)}\n{entry.content}"


def render_record(case, *, status: int = 200, message: str | None = None, typed=None, not_saved=None):
    """The case's record; `typed` is a refused edit (entry id → the form), shown as typed so nothing is lost;
    `not_saved` an edit refused for someone else's change (entry id → its words), shown beside the entry as it is now."""
    return (
        render_template(
            "caseworker/case_record.html",
            case=case,
            entries=case_records.entries(case),
            kind_label=kind_label,
            copy_text=copy_text,
            message=message,
            typed=typed or {},
            not_saved=not_saved or {},
            today=office_today(),
        ),
        status,
    )


@bp.get("/record")
@roles(*CASE_ROLES)
def record(case_id: int):
    """The case record: drafts written on approval, review and check-in, and confirmed entries."""
    case = load_case(case_id)
    audit_log.audit(current_user, case, "view", "case record")
    return render_record(case)


@stale_page(bp)
def _changed_meanwhile():
    """An edit of an entry someone changed or confirmed after the page was loaded: the record as it is now (409)."""
    case = load_case(request.view_args["case_id"])
    message = gettext("Someone changed this entry after you opened it. Here it is now; nothing was saved.")
    typed = {request.view_args.get("entry_id"): request.form.get("content", "")}
    return render_record(case, status=409, message=message, not_saved=typed)


@bp.post("/record/<int:entry_id>")
@roles(*CASE_ROLES)
def save(case_id: int, entry_id: int):
    """Save the edit of a draft entry, or save and confirm it (after which it never changes)."""
    case = load_case(case_id)
    entry = case_records.find_entry(case, entry_id)
    if entry is None:
        return render_template("caseworker/error.html", message=gettext("This record entry does not exist.")), 404
    confirm = request.form.get("action") == "confirm"
    try:
        case_records.save_entry(
            current_user,
            entry,
            expected_version=request.form.get("version"),
            day=request.form.get("day"),
            content=request.form.get("content", ""),
            confirm=confirm,
        )
    except CaseworkError as err:
        status = 409 if entry.confirmed else 422
        return render_record(case, status=status, message=error_message(err), typed={entry.id: request.form})
    flash(gettext("The entry is confirmed.") if confirm else gettext("The entry is saved."))
    return redirect(url_for("case_record.record", case_id=case.id, _anchor=f"entry-{entry.id}"), code=303)


@bp.get("/record.csv")
@roles(*CASE_ROLES)
def export(case_id: int):
    """The confirmed entries as CSV with Japanese headers: UTF-8, or CP932 for older systems (characters CP932
    cannot hold are named first, and written as 〓 only when the caseworker says so)."""
    case = load_case(case_id)
    encoding = "cp932" if request.args.get("encoding") == "cp932" else "utf-8"
    result = case_records.export_entries(
        current_user, case, encoding=encoding, substitute=request.args.get("substitute") == "yes"
    )
    if result.data is None:
        return render_template("caseworker/case_record_cp932.html", case=case, problem=result.problem)
    charset = "Windows-31J" if encoding == "cp932" else "utf-8"
    response = Response(result.data, mimetype="text/csv")
    response.headers["Content-Type"] = f"text/csv; charset={charset}"
    suffix = "-cp932" if encoding == "cp932" else ""
    return as_download(response, f"case-record-{case.case_number}-{office_today()}{suffix}.csv")
