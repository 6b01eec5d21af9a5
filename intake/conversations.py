"""Loading and saving conversations: read the intake, let the engine move, write back with compare-and-set.

Both the kiosk pages and the JSON API go through here, so they share one behaviour: every answer is
committed before the next question is shown, a rejected answer changes nothing, and two requests
can never both advance the same intake (the second gets Conflict).
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from .domain.engine import Engine, NotAllowed, Outcome, StaleStep
from .domain.plan import build_plan
from .extensions import db
from .models import DraftPlan, Intake, IntakeStatus, utcnow

_CODE_ATTEMPTS = 5
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


class Conflict(Exception):
    """Another request changed this intake first; `current` is the step it is on now."""

    def __init__(self, current: str):
        self.current = current
        super().__init__(current)


class Finished(NotAllowed):
    """The intake was already sent or declined; nothing more can change from the kiosk."""


def start(engine: Engine, locale: str, *, preview: bool = False) -> Intake:
    """A new intake at the first step of the dialogue (a translator's preview never reaches a caseworker)."""
    for attempt in range(_CODE_ATTEMPTS):
        intake = Intake(dialogue_id=engine.dialogue.id, dialogue_version=engine.dialogue.version, locale=locale)
        if preview:
            intake.status = IntakeStatus.PREVIEW
        intake.store(engine.start())
        db.session.add(intake)
        try:
            db.session.commit()
            return intake
        except IntegrityError:  # a receipt code or token collided: draw again
            db.session.rollback()
            if attempt == _CODE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def find(token: str | None) -> Intake | None:
    # Only what new_token() makes can match; anything else (NUL bytes, 5,000 characters) never reaches SQL.
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    return db.session.scalar(db.select(Intake).filter_by(token=token))


def find_by_receipt(code: str) -> Intake | None:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return db.session.scalar(db.select(Intake).filter_by(receipt_code=cleaned))


def _editable(intake: Intake) -> None:
    if intake.status not in {IntakeStatus.IN_PROGRESS, IntakeStatus.PREVIEW}:
        raise Finished("this intake is finished")


def _commit(intake: Intake) -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        db.session.refresh(intake)
        raise Conflict(intake.state) from None


def answer(
    engine: Engine,
    intake: Intake,
    step_id: str,
    raw: object,
    *,
    today: date,
    skip: bool = False,
    keep_as_is: bool = False,
) -> Outcome:
    """Answer the current step. AnswerInvalid, StaleStep and Conflict leave the intake unchanged."""
    _editable(intake)
    step = engine.current(intake.conversation)
    outcome = engine.answer(intake.conversation, step_id, raw, today=today, skip=skip, keep_as_is=keep_as_is)
    intake.store(outcome.conversation)
    if step.kind == "consent" and outcome.conversation.answers.get(step.id) == "yes":
        intake.consent_notice_version = engine.dialogue.notice_version
        intake.consent_at = utcnow()
    if step.kind == "language":
        intake.locale = outcome.conversation.answers[step.id]
    arrived = engine.current(outcome.conversation)
    preview = intake.status == IntakeStatus.PREVIEW  # a preview walks every step but sends nothing
    if arrived.kind == "end" and not preview:
        intake.status = IntakeStatus.DECLINED
    if step.kind == "handover" and arrived.kind == "done" and not preview:
        intake.status = IntakeStatus.SUBMITTED
        intake.submitted_at = utcnow()
        db.session.add(DraftPlan(intake=intake, content=build_plan(engine, outcome.conversation)))
    _commit(intake)
    return outcome


def back(engine: Engine, intake: Intake) -> None:
    _editable_or_declined(intake)
    conversation = engine.back(intake.conversation)
    intake.store(conversation)
    if intake.status != IntakeStatus.PREVIEW:
        intake.status = IntakeStatus.IN_PROGRESS
    _commit(intake)


def _editable_or_declined(intake: Intake) -> None:
    """Back is allowed from the polite ending: someone who declined may reconsider."""
    if intake.status == IntakeStatus.SUBMITTED:
        raise Finished("this intake is finished")


def change(engine: Engine, intake: Intake, step_id: str) -> None:
    _editable(intake)
    intake.store(engine.change(intake.conversation, step_id))
    _commit(intake)


def switch_language(engine: Engine, intake: Intake, locale: str) -> None:
    """Change the language at any step; every answer stays."""
    intake.store(engine.set_language(intake.conversation, locale))
    intake.locale = locale
    _commit(intake)


__all__ = [
    "Conflict",
    "Finished",
    "NotAllowed",
    "StaleStep",
    "answer",
    "back",
    "change",
    "find",
    "start",
    "switch_language",
]
