"""The caseworker's plan: the worksheet opened, saved, approved into a version, signed off, filed as a PDF, revised.

A rejected operation raises CaseworkError (with a message for the page) or the domain's AnswerInvalid, and
nothing is stored; a stale form raises StaleWrite. Nothing here commits: the request or command that calls
these is one transaction (unit_of_work.py).
"""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..domain.answers import N_, AnswerInvalid
from ..domain.worksheet import (
    approval_problems,
    blank_worksheet,
    changed_fields,
    revision_of,
    start_worksheet,
)
from ..extensions import db
from ..records import (
    Case,
    PlanDocument,
    PlanEdit,
    PlanVersion,
    User,
    Worksheet,
    utcnow,
)
from ..unit_of_work import StaleWrite
from .audit_log import audit
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


def save_worksheet(user: User, worksheet: Worksheet, expected_version: object, result) -> None:
    """Store an edit (plan, problems) from the domain: problems raise, stale forms raise, changes are recorded."""
    plan, problems = result
    if problems:
        raise AnswerInvalid(problems)
    _expect(worksheet, expected_version)
    if not worksheet.open:
        raise CaseworkError(N_("This plan is approved. Start a revision to change it."))
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
    user: User, worksheet: Worksheet, expected_version: object, *, plan_date: date, review_date: date | None
) -> PlanVersion:
    """Turn the worksheet into the next immutable plan version."""
    _expect(worksheet, expected_version)
    if not worksheet.open:
        raise CaseworkError(N_("This plan is already approved."))
    problems = approval_problems(worksheet.plan, plan_date=plan_date, review_date=review_date)
    case = worksheet.case
    if case.plans and plan_date < case.plans[-1].plan_date:
        raise CaseworkError(N_("The plan's date is before the previous version's date."))
    if problems:
        raise AnswerInvalid(problems)
    plan = PlanVersion(
        case=case,
        number=len(case.plans) + 1,
        content=dict(worksheet.content),
        plan_date=plan_date,
        review_date=review_date,
        approved_by=user.id,
    )
    db.session.add(plan)
    worksheet.open = False
    audit(user, case, "approve", f"version {plan.number}")
    _write_or_stale()
    return plan


def sign_off(user: User, plan: PlanVersion) -> None:
    """A supervisor signs off (決裁) a plan version of their team, once."""
    if user.role != "supervisor" or plan.case.caseworker.supervisor_id != user.id:
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
