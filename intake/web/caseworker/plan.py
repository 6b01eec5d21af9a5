"""The plan with the recipient: the worksheet (goal, actions, programs, consent), approval, versions, sign-off.

Routes are parse → handle → redirect. The worksheet is one form with one save (and approval saves it
first): nothing typed is lost to another part's button, a refused save shows the form as typed, and
the flash says what was saved. The form carries the worksheet's version: a form loaded before someone
else's change is refused (409, `_changed_meanwhile`) and nothing is stored.
"""

from __future__ import annotations

import json

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from ...domain.answers import N_, AnswerInvalid
from ...domain.dates import add_months, parse_day
from ...domain.plan import Plan
from ...domain.programs import BARRIERS, Why
from ...domain.worksheet import (
    GOAL_KINDS,
    MAX_ACTIONS,
    PARTS,
    ActionInput,
    Approval,
    Change,
    Offer,
    WorksheetEdit,
)
from ...i18n import joined, option_label, option_short
from ...records import CASE_ROLES
from ...services import audit_log, case_access, plans
from ...services.errors import CaseworkError
from ...unit_of_work import stale_page
from ..common import engines, intake_engine, office_today
from ..history import edit_sentences
from ..plan_text import goal_kind_label, load_office_data, program_name, template_helpers
from .access import error_message, load_case, load_plan, roles, staff_blueprint

bp = staff_blueprint(Blueprint("plan", __name__, url_prefix="/caseworker/cases/<int:case_id>"))
bp.record_once(lambda state: load_office_data(state.app))
bp.record_once(lambda state: state.app.jinja_env.globals.update(template_helpers()))


def _reasons(engine, reasons: Why) -> list[str]:
    """Why a program is suggested, the recipient's own words first, as sentences in the viewer's language
    (困りごととして借金を挙げたため)."""

    def option(step_id: str | None, option_id: str):
        step = engine.dialogue.steps.get(step_id) if step_id else None
        return step.option(option_id) if step is not None else None

    sentences = []
    barriers_step = engine.dialogue.produces.step(BARRIERS)
    named = [o for o in (option(barriers_step, b) for b in reasons.barriers) if o is not None]
    if named:
        shorts = joined([option_short(o) for o in named])
        sentences.append(gettext("Because they named %(barriers)s among their difficulties", barriers=shorts))
    if reasons.picked:
        sentences.append(gettext("Because they chose this program's first step at the kiosk"))
    answered = [o for o in (option(r.step, r.answer) for r in reasons.answers) if o is not None]
    if answered:
        labels = joined([gettext("“%(answer)s”", answer=option_label(o)) for o in answered])
        sentences.append(gettext("Because they answered %(answers)s", answers=labels))
    if reasons.goal_kind:
        sentences.append(gettext("Because the goal is of the kind %(kind)s", kind=goal_kind_label(reasons.goal_kind, engine)))
    return sentences


def render_worksheet(case, *, problems=(), message: str | None = None, status: int = 200, submitted=None, not_saved=()):
    """The worksheet page; `submitted` is a refused form, shown as typed so that no edit is lost; `not_saved` says
    what a form refused for someone else's change would have changed in the plan as it is now."""
    worksheet = plans.open_worksheet(current_user, case)
    plan = worksheet.plan
    engine = intake_engine()
    intake = worksheet.intake
    draft_engine = engines()[intake.dialogue_id] if intake is not None else engine
    answers = draft_engine.live_answers(intake.answers) if intake is not None else {}
    # The recipient's other answers (work, age, people...) with the barriers and goal kind as edited here.
    suggestions = plans.program_suggestions(plan, draft_engine.program_answers(answers), engine.programs)
    ranked = [s.program for s, _ in suggestions]
    chosen = {p.id: p for p in plan.programs}
    # A retired program stays listed (and chosen) while the worksheet names it, so saving never drops it unseen.
    others = [p for p in engine.programs if p not in ranked] + [p for p in engine.retired_programs if p.id in chosen]
    today = office_today()
    default_review = add_months(today, current_app.config["REVIEW_INTERVAL_MONTHS"])
    return (
        render_template(
            "caseworker/worksheet.html",
            case=case,
            worksheet=worksheet,
            content=plan,
            intake=intake,
            draft=intake.plan.draft if intake is not None and intake.plan else None,
            draft_engine=draft_engine,
            answers=answers,
            ranked=ranked,
            reasons={s.program.id: _reasons(engine, reasons) for s, reasons in suggestions},
            others=others,
            chosen=chosen,
            goal_kinds=GOAL_KINDS,
            max_actions=MAX_ACTIONS,
            problems=list(problems),
            message=message,
            submitted=submitted,
            not_saved=not_saved,
            today=today,
            default_review=default_review,
            still_needed=plans.still_needed(worksheet, today=today, review_date=default_review),
        ),
        status,
    )


@bp.get("/plan")
@roles(*CASE_ROLES)
def worksheet(case_id: int):
    """The plan being prepared: the recipient's draft in Japanese beside the caseworker's version."""
    case = load_case(case_id)
    audit_log.audit(current_user, case, "view", "worksheet")
    return render_worksheet(case)


@stale_page(bp)
def _changed_meanwhile():
    """A form loaded before someone else's change: the plan as it is now, nothing saved (409)."""
    message = gettext("Someone changed this plan after you opened it. Here is the current version; nothing was saved.")
    return _refused_for_a_change(load_case(request.view_args["case_id"]), message)


def _refused_for_a_change(case, message: str):
    """The plan as it is now (409), with what the refused form would have changed: the form cannot come back as typed
    (saving it again would undo the other change unseen), and what was typed must not be lost."""
    return render_worksheet(case, message=message, status=409, not_saved=_not_saved(request.form))


# The form's own words: kept on the page when their part no longer fits the plan the form showed.
FREE_TEXT = (
    "goal_text",
    "goal_japanese",
    *(f"action-{i}-{key}" for i in range(MAX_ACTIONS) for key in ("text", "japanese", "support")),
)


def _not_saved(form) -> list[str]:
    """A refused form's edits, as the edit history's sentences: applied, in memory, to the plan the form showed
    (`shown`), so that only what this caseworker changed is listed. A part that does not fit, or a form without
    `shown` (a page from before it was added), gives its words as typed."""
    sentences, skipped = [], False
    try:  # `shown` comes back from the browser: a plan that does not read gives the words as typed
        shown = Plan.from_json(json.loads(form.get("shown", "")))
        changes, skipped = plans.refused_changes(shown, _worksheet_form(form), today=office_today(), offer=_offer())
    except (ValueError, TypeError, KeyError, AttributeError):
        skipped = True
    else:
        sentences = [line for part, old, new in changes for line in edit_sentences(part, old, new)]
    if skipped:
        listed = " ".join(sentences)
        typed = [form.get(name, "").strip() for name in FREE_TEXT]
        sentences += [gettext("As typed: “%(text)s”", text=text) for text in typed if text and text not in listed]
    return sentences


def _worksheet_form(form) -> WorksheetEdit:
    """The worksheet form as typed: the parts it carries, and their fields."""
    return WorksheetEdit(
        parts=frozenset(form.getlist("part")) & frozenset(PARTS),
        goal_text=form.get("goal_text"),
        goal_shown=form.get("goal_shown", ""),
        goal_kind=form.get("goal_kind"),
        goal_month=form.get("goal_date"),
        goal_japanese=form.get("goal_japanese"),
        actions=tuple(
            ActionInput(
                text=form.get(f"action-{i}-text", ""),
                date=form.get(f"action-{i}-date", ""),
                support=form.get(f"action-{i}-support", ""),
                japanese=form.get(f"action-{i}-japanese"),
            )
            for i in range(MAX_ACTIONS)
        ),
        programs=tuple(form.getlist("program")),
        supports={name.removeprefix("support-"): value for name, value in form.items() if name.startswith("support-")},
        consent=form.get("consent") == "yes",
        consent_date=form.get("consent_date"),
        interpreter=form.get("interpreter", ""),
    )


def _offer() -> Offer:
    """The programs this office offers, and those it retired (a worksheet that names one may keep it)."""
    engine = intake_engine()
    return Offer(tuple(p.id for p in engine.programs), tuple(p.id for p in engine.retired_programs))


def _saved_message(changes: list[Change]) -> str:
    """The flash after a save: what it changed, in the sheet's words (目標の達成期限、取組2、本人同意)."""
    labels = []
    for change in changes:
        if change.part == "action":
            labels.append(gettext("action %(number)s", number=change.index + 1))
        elif change.part == "program":
            labels.append(program_name(change.index))
        else:
            labels.append(gettext(SAVED_LABELS[change.part]))
    if not labels:
        return gettext("Nothing had changed; nothing was saved.")
    return gettext("Saved: %(parts)s.", parts=joined(list(dict.fromkeys(labels))))


SAVED_LABELS = {
    "goal": N_("the goal's wording"),
    "goal_kind": N_("the kind of self-reliance"),
    "goal_date": N_("the goal's target date"),
    "consent": N_("consent"),
    "interpreter": N_("the interpreter"),
}


@bp.post("/plan")
@roles(*CASE_ROLES)
def save(case_id: int):
    """Save the worksheet: every part the form carries in one go; a problem stores nothing and keeps what was typed."""
    case = load_case(case_id)
    edit = _worksheet_form(request.form)
    try:
        saved = plans.save_worksheet(
            current_user, case, request.form.get("version"), edit, today=office_today(), offer=_offer()
        )
    except AnswerInvalid as err:
        return render_worksheet(case, problems=err.problems, status=422, submitted=request.form)
    except CaseworkError as err:
        return _refused_for_a_change(case, error_message(err))
    flash(_saved_message(saved))
    if request.form.get("then") == "case":
        return redirect(url_for("caseworker.case", case_id=case.id), code=303)
    return redirect(url_for("plan.worksheet", case_id=case.id), code=303)


@bp.post("/plan/approve")
@roles(*CASE_ROLES)
def approve(case_id: int):
    """Save what the form carries, then approve the worksheet as the next plan version (it cannot change afterwards)."""
    case = load_case(case_id)
    today = office_today()
    edit = _worksheet_form(request.form)
    # No plan date given: today's, as the form proposes.
    approval = Approval(parse_day(request.form.get("plan_date")) or today, parse_day(request.form.get("review_date")))
    try:
        plan = plans.approve(current_user, case, request.form.get("version"), edit, approval, today=today, offer=_offer())
    except AnswerInvalid as err:
        return render_worksheet(case, problems=err.problems, status=422, submitted=request.form)
    except CaseworkError as err:
        return _refused_for_a_change(case, error_message(err))
    return redirect(url_for("plan.plan", case_id=case.id, number=plan.number), code=303)


@bp.post("/plan/revise")
@roles(*CASE_ROLES)
def revise(case_id: int):
    """Open the current plan for revision; approving it makes the next version."""
    case = load_case(case_id)
    try:
        plans.start_revision(current_user, case, request.form.get("version"))
    except CaseworkError as err:
        return render_worksheet(case, message=error_message(err), status=409)
    return redirect(url_for("plan.worksheet", case_id=case.id), code=303)


@bp.get("/versions/<int:number>")
@roles(*CASE_ROLES)
def plan(case_id: int, number: int):
    """One approved plan version with its reviews."""
    case = load_case(case_id)
    plan = load_plan(case, number)
    audit_log.audit(current_user, case, "view", f"version {number}")
    return render_template(
        "caseworker/plan.html",
        case=case,
        plan=plan,
        sign_off=current_app.config["SUPERVISOR_SIGN_OFF"],
        is_supervisor=case_access.supervises(current_user, case),
    )


@bp.post("/versions/<int:number>/sign-off")
@roles("supervisor")
def sign_off(case_id: int, number: int):
    """The supervisor's sign-off (決裁) of a plan version."""
    case = load_case(case_id)
    plan = load_plan(case, number)
    try:
        plans.sign_off(current_user, plan)
    except CaseworkError as err:
        return render_template("caseworker/error.html", message=error_message(err)), 409
    return redirect(url_for("plan.plan", case_id=case.id, number=number), code=303)


@bp.get("/versions")
@roles(*CASE_ROLES)
def versions(case_id: int):
    """The history of plan versions, and what changed between two of them."""
    case = load_case(case_id)
    if not case.plans:
        abort(404)
    numbers = [p.number for p in case.plans]
    newer = request.args.get("to", type=int) or numbers[-1]
    older = request.args.get("from", type=int) or max(newer - 1, 1)
    if older not in numbers or newer not in numbers:
        abort(404)
    old_plan, new_plan = load_plan(case, older), load_plan(case, newer)
    audit_log.audit(current_user, case, "view", f"versions {older}→{newer}")
    return render_template(
        "caseworker/versions.html",
        case=case,
        old=old_plan,
        new=new_plan,
        changes=plans.compare(old_plan, new_plan),
    )
