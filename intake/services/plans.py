"""The caseworker's plan: the worksheet opened, saved, approved into a version, signed off, filed as a PDF, revised.

A rejected operation raises CaseworkError (with a message for the page) or the domain's AnswerInvalid, and
nothing is stored; a stale form raises StaleWrite. Nothing here commits: the request or command that calls
these is one transaction (unit_of_work.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..domain.answers import N_, AnswerInvalid, AnswerProblem
from ..domain.plan import Plan
from ..domain.programs import BARRIERS, GOAL_KIND, MAX_SUGGESTIONS, Program, suggest_programs, why
from ..domain.worksheet import (
    Approval,
    Change,
    Offer,
    WorksheetEdit,
    approval_problems,
    approve_edit,
    blank_worksheet,
    changed_fields,
    diff_plans,
    revision_of,
    save_edit,
    saved_parts,
    start_worksheet,
    unsaved_changes,
)
from ..extensions import db
from ..records import (
    CardRevoked,
    Case,
    PlanDocument,
    PlanEdit,
    PlanVersion,
    User,
    Worksheet,
    utcnow,
)
from ..unit_of_work import StaleWrite
from . import case_records, pocket_cards
from .audit_log import audit
from .case_access import supervises
from .cases import latest_submitted
from .errors import CaseworkError


def open_worksheet(user: User, case: Case) -> Worksheet:
    """The case's worksheet, started from the newest sent draft the first time it is opened."""
    if case.worksheet is not None:
        return case.worksheet
    intake = latest_submitted(case)
    if intake is not None:
        plan = start_worksheet(intake.plan.draft, intake.locale)
    else:
        plan = blank_worksheet(case.preferred_language)
    worksheet = Worksheet(case=case, intake_id=intake.id if intake else None, content=plan.to_json(), open=True)
    db.session.add(worksheet)
    audit(user, case, "edit", "worksheet started")
    db.session.flush()  # the page's forms carry the worksheet's version
    return worksheet


def _expect(worksheet: Worksheet, expected_version: object) -> None:
    if str(worksheet.version) != str(expected_version):
        raise StaleWrite()


def _write_or_stale() -> None:
    """Write now: a change made meanwhile (the version moved, the plan's number taken) refuses this one."""
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError):
        raise StaleWrite() from None


def save_worksheet(
    user: User, case: Case, expected_version: object, edit: WorksheetEdit, *, today: date, offer: Offer
) -> list[Change]:
    """One save of the worksheet form: the domain's problems raise, a stale form raises, the changes are recorded.
    What the save changed, for the page to say."""
    worksheet = open_worksheet(user, case)
    before = worksheet.plan
    plan, problems = save_edit(before, edit, today=today, offer=offer)
    if problems:
        raise AnswerInvalid(problems)
    _expect(worksheet, expected_version)
    if not worksheet.open:
        raise CaseworkError(N_("This plan is approved. Start a revision to change it."))
    _record_edit(user, worksheet, plan)
    return saved_parts(before, plan)


def _record_edit(user: User, worksheet: Worksheet, plan: Plan) -> None:
    """The worksheet holds `plan` now; each changed part is kept with its value before and after (provenance)."""
    changes = changed_fields(worksheet.plan, plan)
    if not changes:
        return
    worksheet.plan = plan
    worksheet.updated_at = utcnow()
    for part, before, after in changes:
        db.session.add(PlanEdit(case_id=worksheet.case_id, user_id=user.id, field=part, before=before, after=after))
    audit(user, worksheet.case, "edit", ", ".join(part for part, _, _ in changes))
    _write_or_stale()


def approve(
    user: User,
    case: Case,
    expected_version: object,
    edit: WorksheetEdit,
    approval: Approval,
    *,
    today: date,
    offer: Offer,
) -> PlanVersion:
    """Save what the form carries, then turn the worksheet into the next immutable plan version."""
    worksheet = open_worksheet(user, case)
    _expect(worksheet, expected_version)
    if not worksheet.open:
        raise CaseworkError(N_("This plan is already approved."))
    previous = case.plans[-1].plan_date if case.plans else None
    edited, problems = approve_edit(
        worksheet.plan, edit, approval, today=today, offer=offer, previous_plan_date=previous
    )
    if problems:
        raise AnswerInvalid(problems)
    _record_edit(user, worksheet, edited)
    plan = PlanVersion(
        case=case,
        number=len(case.plans) + 1,
        content=dict(worksheet.content),
        plan_date=approval.plan_date,
        review_date=approval.review_date,
        approved_by=user.id,
    )
    db.session.add(plan)
    worksheet.open = False
    case_records.draft_plan_entry(user, plan)
    audit(user, case, "approve", f"version {plan.number}")
    pocket_cards.revoke_cards(user, case, CardRevoked.REVISION)  # the earlier version's pocket card
    _write_or_stale()
    return plan


def refused_changes(shown: Plan, edit: WorksheetEdit, *, today: date, offer: Offer) -> tuple[list, bool]:
    """What a form refused for someone else's change would have changed in the plan it showed (nothing is stored):
    (part, before, after) of each part that fits, and whether some part did not."""
    return unsaved_changes(shown, edit, today=today, offer=offer)


def still_needed(worksheet: Worksheet, *, today: date, review_date: date) -> list[AnswerProblem]:
    """What the open worksheet still needs before it can be approved today (the page lists it)."""
    if not worksheet.open:
        return []
    return approval_problems(worksheet.plan, plan_date=today, review_date=review_date)


def program_suggestions(plan: Plan, answers: Mapping[str, object], programs: Sequence[Program]) -> list[tuple]:
    """The programs to suggest for the worksheet, best first, each with why (the recipient's own answers `answers`,
    with the barriers and the goal's kind as edited on the worksheet): (Suggestion, Why) pairs."""
    ranking = {**answers, BARRIERS: list(plan.barriers), GOAL_KIND: plan.goal.kind}
    return [(s, why(s.reasons)) for s in suggest_programs(programs, ranking)[:MAX_SUGGESTIONS]]


def compare(old: PlanVersion, new: PlanVersion) -> list[Change]:
    """What changed from one approved version to another (nothing when they are the same one)."""
    return diff_plans(old.plan, new.plan) if old.id != new.id else []


def sign_off(user: User, plan: PlanVersion) -> None:
    """A supervisor signs off (決裁) a plan version of their team, once."""
    if not supervises(user, plan.case):
        raise CaseworkError(N_("Only the caseworker's supervisor can sign off this plan."))
    done = db.session.execute(
        update(PlanVersion)
        .where(PlanVersion.id == plan.id, PlanVersion.signed_off_at.is_(None))
        .values(signed_off_by=user.id, signed_off_at=utcnow())
    )
    if done.rowcount != 1:
        raise CaseworkError(N_("This plan is already signed off."))
    audit(user, plan.case, "sign_off", f"version {plan.number}")
    db.session.refresh(plan)


def plan_document(plan: PlanVersion) -> PlanDocument | None:
    """The PDF filed for a plan version, if one was made."""
    return db.session.scalar(db.select(PlanDocument).filter_by(plan_id=plan.id))


def keep_plan_document(user: User, plan: PlanVersion, pdf: bytes) -> PlanDocument:
    """File the PDF made for an approved plan version, once; its SHA-256 goes into the audit log."""
    digest = hashlib.sha256(pdf).hexdigest()
    document = PlanDocument(plan_id=plan.id, pdf=pdf, sha256=digest, made_by=user.id)
    try:
        with db.session.begin_nested():  # a savepoint: losing the race undoes this insert only
            db.session.add(document)
    except IntegrityError:  # two people asked for it at once: the first one made is the one kept
        return plan_document(plan)
    audit(user, plan.case, "file_pdf", f"version {plan.number} sha256 {digest}")
    return document


def start_revision(user: User, case: Case, expected_version: object) -> Worksheet:
    """Reopen the worksheet from the current plan, to approve a revised version."""
    worksheet = case.worksheet
    plan = case.current_plan
    if worksheet is None or plan is None:
        raise CaseworkError(N_("There is no approved plan to revise yet."))
    _expect(worksheet, expected_version)
    if worksheet.open:
        return worksheet
    worksheet.plan = revision_of(plan.plan)
    worksheet.open = True
    audit(user, case, "edit", f"revision of version {plan.number}")
    _write_or_stale()
    return worksheet
