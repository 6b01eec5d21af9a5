"""Check-ins on the case: a sent check-in lands on its case; the queue's flags and the next review read them.

A check-in is "new" while no review of its plan version was recorded after it and its version is still the case's
current one. What a check-in said is handed back as plain facts (CheckInFacts) for whatever else a check-in
should write (a draft case record entry, say): one call with them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, cast, func

from ..domain.engine import Conversation, Engine
from ..domain.pocket_card import CheckInAnswers, check_in_answers, check_in_prefill
from ..domain.worksheet import review_prefill
from ..extensions import db
from ..records import Case, CheckIn, Intake, PlanVersion, Review, utcnow
from . import case_records
from .audit_log import audit


@dataclass(frozen=True)
class CheckInFacts:
    """What one sent check-in said, in plain values: each action's Japanese text with its status key
    (done, partly, not_yet, help, or None when skipped), the note, whether they want to talk or need help."""

    case_id: int
    check_in_id: int
    day: date
    actions: tuple[tuple[str, str | None], ...]
    note: str | None
    wants_talk: bool
    needs_help: bool


def answers_of(engine: Engine, conversation: Conversation) -> CheckInAnswers:
    """The check-in's answers on the path taken."""
    produces = engine.dialogue.produces
    return check_in_answers(
        engine.live_answers(conversation.answers), note_step=produces.step("note"), talk_step=produces.step("talk")
    )


def received(intake: Intake, draft: dict, today: date) -> CheckInFacts | None:
    """Land a sent check-in on its case (the kiosk made its row when it started); None for an intake of no card."""
    check_in = db.session.scalar(db.select(CheckIn).filter_by(intake_id=intake.id))
    if check_in is None:
        return None
    answers = CheckInAnswers.from_json(draft)
    check_in.answers = answers.to_json()
    check_in.submitted_at = utcnow()
    check_in.day = today
    check_in.needs_help = answers.needs_help
    check_in.wants_talk = answers.wants_talk
    audit(None, check_in.case, "check_in", "needs help" if answers.needs_help else "")
    actions = check_in.plan.plan.actions
    facts = CheckInFacts(
        case_id=check_in.case_id,
        check_in_id=check_in.id,
        day=today,
        actions=tuple(
            (actions[index].sheet_text if index < len(actions) else "", status)
            for index, status in enumerate(answers.statuses)
        ),
        note=answers.note,
        wants_talk=answers.wants_talk,
        needs_help=answers.needs_help,
    )
    case_records.draft_check_in_entry(
        None,
        check_in.case,
        day=facts.day,
        action_statuses=[(text, status) for text, status in facts.actions if status is not None],
        note=facts.note or "",
        wants_talk=facts.wants_talk,
        needs_help=facts.needs_help,
    )
    return facts


def _reviewed_after():
    """A review of the check-in's plan version recorded after it was sent."""
    return (
        db.select(Review.id)
        .where(Review.plan_id == CheckIn.plan_id, Review.created_at >= CheckIn.submitted_at)
        .exists()
    )


def _current_version():
    newest = db.select(func.max(PlanVersion.id)).where(PlanVersion.case_id == CheckIn.case_id).scalar_subquery()
    return CheckIn.plan_id == newest


def new_check_ins(case: Case) -> list[CheckIn]:
    """The case's sent check-ins since the last review of its current plan version, oldest first."""
    return list(
        db.session.scalars(
            db.select(CheckIn)
            .where(CheckIn.case_id == case.id, CheckIn.submitted_at.is_not(None), _current_version(), ~_reviewed_after())
            .order_by(CheckIn.submitted_at)
        )
    )


def flags(visible) -> dict[int, bool]:
    """For the queue, in one statement: each case with a new check-in → whether one of them says "I need help"."""
    rows = db.session.execute(
        db.select(CheckIn.case_id, func.max(cast(CheckIn.needs_help, Integer)))
        .where(CheckIn.case_id.in_(visible), CheckIn.submitted_at.is_not(None), _current_version(), ~_reviewed_after())
        .group_by(CheckIn.case_id)
    )
    return {case_id: bool(help_) for case_id, help_ in rows}


def review_form_start(case: Case, kiosk_review: dict | None, line: Callable[[date, str], str]) -> tuple[dict[str, str], list]:
    """The review form's first values: the check-ins since the last review (each written by `line`), then the kiosk
    review over them; and those check-ins, oldest first."""
    entries = new_check_ins(case)
    values = check_in_prefill([(entry.day, entry.result) for entry in entries], line)
    values.update(review_prefill(kiosk_review or {}))
    return values, entries
