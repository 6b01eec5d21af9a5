"""The printed 自立計画書: one A4 page per plan version, and the recipient's bilingual copy."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request
from flask_babel import force_locale, gettext, pgettext
from flask_login import current_user

from ...i18n import format_day, second_language
from ...records import CASE_ROLES
from ...services import audit_log, plans
from ..common import as_download
from ..plan_text import evaluation_label, goal_kind_label, goal_sentence, program_name, sheet_office
from .access import awaits_sign_off, load_case, load_plan, roles, staff_blueprint

bp = staff_blueprint(Blueprint("printing", __name__, url_prefix="/caseworker/cases/<int:case_id>"))


def recipient_side(plan, review, locale: str) -> dict:
    """The sheet's labels and the plan's chosen items in the recipient's language (their words stay as written)."""
    content = plan.plan
    result = review.result if review else None
    office_name, _addressee = sheet_office()
    with force_locale(locale):
        # Every label is the recipient's (context "plan copy", in messages.po of every language): staff read the
        # Japanese beside it from data/plan_sheet.yaml.
        return {
            # i18n: recipient: the title of their copy of the plan (自立計画書).
            "title": pgettext("plan copy", "Self-reliance plan"),
            # i18n: recipient: The addressee of the plan sheet; %(office)s is the welfare office's name, in Japanese.
            "addressee": pgettext("plan copy", "To the head of %(office)s", office=office_name),
            # i18n: recipient: A label on their copy of the plan: the recipient's name.
            "name": pgettext("plan copy", "Name"),
            # i18n: recipient: A label on their copy of the plan: the office's number for the case.
            "case_number": pgettext("plan copy", "Case number"),
            # i18n: recipient: A label on their copy of the plan: which version of the plan this is (1, 2, …).
            "version": pgettext("plan copy", "Version"),
            # i18n: recipient: A label on their copy of the plan: where the recipient signs.
            "signature": pgettext("plan copy", "Signature"),
            # i18n: recipient: A label on their copy of the plan: the caseworker in charge of the case.
            "caseworker": pgettext("plan copy", "Caseworker"),
            # i18n: recipient: A heading on their copy of the plan: the goal they set.
            "goal": pgettext("plan copy", "Goal"),
            # i18n: recipient: A label on their copy of the plan: economic, daily-life or social-life self-reliance.
            "goal_kind": pgettext("plan copy", "Kind of self-reliance"),
            # i18n: recipient: A label on their copy of the plan: the month by which they hope to reach the goal.
            "target_date": pgettext("plan copy", "Target date"),
            # i18n: recipient: A heading on their copy of the plan: the dated steps they chose.
            "actions": pgettext("plan copy", "What I will do to reach the goal"),
            # i18n: recipient: A column on their copy of the plan: the office's support and the plan for it.
            "support": pgettext("plan copy", "Support and plan"),
            # i18n: recipient: A column on their copy of the plan: how each part went, written at a review.
            "progress": pgettext("plan copy", "Progress"),
            # i18n: recipient: A column on their copy of the plan: achieved, partly achieved or not yet.
            "evaluation": pgettext("plan copy", "Evaluation"),
            # i18n: recipient: A label on their copy of the plan: that they agreed to the plan.
            "consent": pgettext("plan copy", "Consent"),
            # i18n: recipient: on their copy of the plan, beside the date they agreed.
            "consent_text": pgettext("plan copy", "I agree to the plan above."),
            # i18n: recipient: A label on their copy of the plan: the date the plan will be looked at again.
            "review_date": pgettext("plan copy", "Next review"),
            "goal_text": goal_sentence(content.goal),
            "goal_kind_text": goal_kind_label(content.goal.kind),
            "programs": {p.id: program_name(p.id) for p in content.programs},
            "evaluations": {
                key: evaluation_label(line.evaluation) for key, line in (result.programs if result else {}).items()
            },
            "action_evaluations": [evaluation_label(a.evaluation) for a in (result.actions if result else ())],
            # i18n: recipient: at the top of their copy of the plan, which stacks the Japanese and their language.
            "copy_note": pgettext(
                "plan copy",
                "Your copy. Each part is written first in Japanese, as in the plan the office keeps, then in your "
                "language. Your own words are kept as you wrote them."
            ),
            "plan_date": format_day(plan.plan_date),
            "review_day": format_day(plan.review_date),
            "consent_day": format_day(content.consent.date),
            "target_month": format_day(content.goal.date, "month"),
            "action_days": [format_day(a.date) for a in content.actions],
        }


@bp.get("/versions/<int:number>.json")
@roles(*CASE_ROLES)
def export(case_id: int, number: int):
    """One plan version as JSON, for the office's case record system."""
    case = load_case(case_id)
    plan = load_plan(case, number)
    audit_log.audit(current_user, case, "export", f"version {number} json")
    document = {
        "case_number": case.case_number,
        "version": plan.number,
        "plan_date": plan.plan_date.isoformat(),
        "review_date": plan.review_date.isoformat(),
        "approved_by": plan.approver.username,
        "signed_off_by": plan.signer.username if plan.signer else None,
        "plan": plan.content,
        "reviews": [{"date": r.review_date.isoformat(), "by": r.reviewer.username, **r.content} for r in plan.reviews],
    }
    return as_download(jsonify(document), f"plan-{case.case_number}-v{plan.number}.json")


def _static_fetcher(static_folder: str):
    """WeasyPrint's fetcher for the sheet: our own static files from disk (`/static/…`), nothing else."""
    from weasyprint.urls import URLFetcher

    folder = Path(static_folder).resolve()

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            prefix = "file:///static/"
            path = (folder / url[len(prefix) :].split("?")[0]).resolve() if url.startswith(prefix) else None
            if path is None or folder not in path.parents:
                raise ValueError(f"not fetched: {url}")
            return super().fetch(path.as_uri(), headers)

    return StaticOnly(allowed_protocols=("file",))


def plan_pdf(case, plan) -> bytes:
    """The approved version as the office files it: the Japanese sheet, A4, with the Noto fonts embedded."""
    from weasyprint import HTML  # a heavy import, needed only when a PDF is made

    html = render_template(
        "plan/sheet.html",
        case=case,
        plan=plan,
        content=plan.plan,
        review=None,
        recipient_copy=False,
        locale="ja",
        other=None,
    )
    fetcher = _static_fetcher(current_app.static_folder)
    return HTML(string=html, base_url="file:///", url_fetcher=fetcher).write_pdf(
        pdf_variant="pdf/ua-1", pdf_identifier=f"{case.case_number}-{plan.number}".encode()
    )


@bp.get("/versions/<int:number>.pdf")
@roles(*CASE_ROLES)
def pdf(case_id: int, number: int):
    """The version's filed PDF (made the first time it is asked for, then kept unchanged)."""
    case = load_case(case_id)
    plan = load_plan(case, number)
    if awaits_sign_off(plan):
        abort(409, gettext("This plan waits for the supervisor's sign-off before it can be printed."))
    document = plans.plan_document(plan) or plans.keep_plan_document(current_user, plan, plan_pdf(case, plan))
    audit_log.audit(current_user, case, "print", f"version {number} pdf")
    response = Response(document.pdf, mimetype="application/pdf")
    response.headers["ETag"] = document.sha256
    return as_download(response, f"plan-{case.case_number}-v{plan.number}.pdf")


@bp.get("/versions/<int:number>/print")
@roles(*CASE_ROLES)
def sheet(case_id: int, number: int):
    """The plan as an A4 sheet for the case file; `?copy=recipient` prints it bilingual for the recipient."""
    case = load_case(case_id)
    plan = load_plan(case, number)
    if awaits_sign_off(plan):
        return render_template(
            "caseworker/error.html",
            # i18n: staff: the caseworker's page, though this file also holds the recipient copy's labels.
            message=gettext("This plan waits for the supervisor's sign-off before it can be printed."),
        ), 409
    review = plan.reviews[-1] if plan.reviews else None
    recipient_copy = request.args.get("copy") == "recipient"
    content = plan.plan
    locale = content.recipient_language or case.preferred_language
    audit_log.audit(current_user, case, "print", f"version {number}{' recipient copy' if recipient_copy else ''}")
    return render_template(
        "plan/sheet.html",
        case=case,
        plan=plan,
        content=content,
        review=review,
        recipient_copy=recipient_copy and second_language(locale),
        locale=locale,
        other=recipient_side(plan, review, locale) if recipient_copy and second_language(locale) else None,
    )
