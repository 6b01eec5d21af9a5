"""Loading and saving conversations: read the intake, let the engine move, write back with compare-and-set.

Both the kiosk pages and the JSON API go through here, so they share one behaviour: every answer is
committed before the next question is shown, a rejected answer changes nothing, and two requests
can never both advance the same intake (the second gets StaleWrite when the request's transaction commits).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from ..domain.answers import AnswerInvalid
from ..domain.engine import Engine, NotAllowed, Outcome, StaleStep
from ..domain.plan import build_draft
from ..domain.products import CHECK_IN, DRAFT_PLAN, REVIEW
from ..domain.worksheet import build_review_draft
from ..extensions import db
from ..records import (
    DraftPlan,
    Intake,
    IntakeStatus,
    ResumeAttempt,
    as_utc,
    clean_code,
    new_receipt_code,
    new_token,
    utcnow,
)
from ..unit_of_work import StaleWrite, keep_when_refused, retry_on_collision
from . import check_ins, step_counts

_CODE_ATTEMPTS = 5
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


class Finished(NotAllowed):
    """The intake was already sent (or declined): its record can no longer change."""


def start(
    engine: Engine, locale: str, given: dict | None = None, *, preview: bool = False, today: date | None = None
) -> Intake:
    """A new intake at the first step of the dialogue.

    `given`: values the office supplies (e.g. the actions of a plan under review); a translator's
    preview never reaches a caseworker. `today` (the office's): the first step's reach is counted (step_counts).
    """

    def new_intake() -> Intake:
        intake = Intake(
            dialogue_id=engine.dialogue.id,
            dialogue_version=engine.dialogue.version,
            locale=locale,
            receipt_code=new_receipt_code(),
        )
        if preview:
            intake.status = IntakeStatus.PREVIEW
        intake.store(engine.start(given))
        db.session.add(intake)
        return intake

    intake = retry_on_collision(new_intake, _CODE_ATTEMPTS)  # a receipt code or token collided: draw again
    if today is not None:
        step_counts.started(intake, today)
    return intake


def find(token: str | None) -> Intake | None:
    # Only what new_token() makes can match; anything else (NUL bytes, 5,000 characters) never reaches SQL.
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    return db.session.scalar(_BY_TOKEN, {"token": token})


# Built once: building the statement cost more than SQLite running it, on every kiosk request.
_BY_TOKEN = db.select(Intake).where(Intake.token == bindparam("token"))


def find_by_receipt(code: str) -> Intake | None:
    return db.session.scalar(db.select(Intake).filter_by(receipt_code=clean_code(code)))


def end_kiosk_session(intake: Intake, *, abandoned: tuple[Engine, str, date] | None = None) -> None:
    """Retire the intake's token: a screen that was reset or exited can never read or answer again.

    The intake itself stays as it is; an unfinished one can be resumed with its receipt code.
    `abandoned`: (engine, how, office's day) when the screen was wiped for being idle or left by the quick exit:
    an unfinished intake counts as abandoned there (step_counts; idle or exit).
    """
    if abandoned is not None:
        engine, how, today = abandoned
        step_counts.abandoned(engine, intake, how, today)
    try:
        with db.session.begin_nested():
            intake.token = new_token()
    except StaleDataError:  # another request moved it at the same moment: retire the token anyway
        db.session.refresh(intake)
        intake.token = new_token()


class TooManyAttempts(Exception):
    """Too many wrong receipt codes from this screen (or, past the ceiling, this address); `retry_after` in seconds."""

    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def _failure_times(key: str) -> list[datetime]:
    return [
        as_utc(at)
        for at in db.session.scalars(
            db.select(ResumeAttempt.at).where(ResumeAttempt.client == key[:64]).order_by(ResumeAttempt.at)
        )
    ]


def _wait(times: list[datetime], limit: int, now: datetime, window: timedelta) -> int:
    """Seconds until fewer than `limit` of these failures are left in the window."""
    if len(times) < limit:
        return 0
    frees_at = times[len(times) - limit] + window
    return max(1, int((frees_at - now).total_seconds() + 0.999))


def resume(
    code: str,
    client: str,
    *,
    now: datetime,
    max_failures: int,
    window: timedelta,
    hours: int,
    screen: str | None = None,
    max_screen_failures: int = 5,
    address_ceiling: int | None = None,
) -> Intake | None:
    """The unfinished intake with this receipt code, moved to a new token; None counts as a failure.

    A receipt code must not let a stranger read someone's answers: only in-progress intakes touched
    in the last `hours` resume, and wrong codes are limited per `window` without locking out the owner:
    - a kiosk session (`screen`) gets `max_screen_failures` wrong codes;
    - past `max_failures` wrong codes from one address (an office's kiosks share one), only a screen
      that has typed no wrong code itself may try, so the right code still works at a fresh screen;
    - past `address_ceiling` (default ten times `max_failures`) nobody at that address may try.
    TooManyAttempts carries the real wait until a try is allowed again.
    """
    since = now - window
    db.session.execute(db.delete(ResumeAttempt).where(ResumeAttempt.at < since))
    address_key, screen_key = client[:64], f"screen:{screen}"[:64] if screen else None
    by_address = _failure_times(address_key)
    by_screen = _failure_times(screen_key) if screen_key else []
    ceiling = address_ceiling or max_failures * 10
    waits = []
    if len(by_address) >= ceiling:
        waits.append(_wait(by_address, ceiling, now, window))
    if screen_key and len(by_screen) >= max_screen_failures:
        waits.append(_wait(by_screen, max_screen_failures, now, window))
    if len(by_address) >= max_failures and (screen_key is None or by_screen):
        # This screen already typed a wrong code: it waits until the address or its own failures clear.
        own = _wait(by_screen, 1, now, window) if by_screen else None
        shared = _wait(by_address, max_failures, now, window)
        waits.append(min(w for w in (own, shared) if w is not None))
    if waits:
        keep_when_refused()  # the 429 still clears the old attempts
        raise TooManyAttempts(max(waits))
    intake = find_by_receipt(code) if isinstance(code, str) else None
    if intake is not None and (
        intake.status != IntakeStatus.IN_PROGRESS or as_utc(intake.updated_at) < now - timedelta(hours=hours)
    ):
        intake = None
    if intake is None:
        db.session.add(ResumeAttempt(client=address_key, at=now))
        if screen_key:
            db.session.add(ResumeAttempt(client=screen_key, at=now))
        keep_when_refused()  # the page refuses the code, and the wrong code still counts
        return None
    end_kiosk_session(intake)  # the new screen gets a new token; any old screen is cut off
    return intake



def _editable(intake: Intake) -> None:
    if intake.status not in {IntakeStatus.IN_PROGRESS, IntakeStatus.PREVIEW}:
        raise Finished("this intake is finished")


def is_final(intake: Intake) -> bool:
    """A submitted intake is a record handed to the caseworker: nothing a screen does changes it."""
    return intake.status == IntakeStatus.SUBMITTED


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
    """Answer the current step. AnswerInvalid and StaleStep leave the intake unchanged; so does a StaleWrite at commit."""
    _editable(intake)
    before, shown_at, shown_in = intake.conversation, intake.updated_at, intake.locale
    step = engine.current(before)
    try:
        outcome = engine.answer(
            before, step_id, raw, today=today, skip=skip, keep_as_is=keep_as_is, language=intake.locale
        )
    except AnswerInvalid as err:
        # The intake is unchanged; the refusal's count is kept although the request is refused (the edge commits it).
        step_counts.refused(intake, step.id, err.problems, today)
        keep_when_refused()
        raise
    conversation = outcome.conversation
    changes = {
        "state": conversation.state,
        "answers": dict(conversation.answers),
        "path": list(conversation.path),
        "changing": conversation.changing,
        "written_in": dict(conversation.written_in),
        "updated_at": utcnow(),
    }
    if step.kind == "consent" and conversation.answers.get(step.id) == "yes":
        changes |= {"consent_notice_version": engine.dialogue.notice_version, "consent_at": utcnow()}
    if step.kind == "language":  # the preferred language is also the one to go on in
        changes["locale"] = conversation.answers[step.id]
    arrived = engine.current(conversation)
    preview = intake.status == IntakeStatus.PREVIEW  # a preview walks every step but sends nothing
    if arrived.kind == "end" and not preview:
        changes["status"] = IntakeStatus.DECLINED
    submitted = step.kind == "handover" and arrived.kind == "done" and not preview
    if submitted:
        changes |= {"status": IntakeStatus.SUBMITTED, "submitted_at": utcnow()}
    _compare_and_set(intake, changes)
    if submitted:
        draft = _draft(engine, conversation, intake.locale)
        db.session.add(DraftPlan(intake=intake, content=draft))
        if draft.get("kind") == CHECK_IN:  # lands on its case, with its draft case record entry
            check_ins.received(intake, draft, today)
    # The anonymous counts of how this step was left and where it led: the answer's one extra statement, an upsert
    # sent as the transaction commits (step_counts.py).
    step_counts.answered(
        engine, intake, before, outcome, locale=shown_in, shown_at=shown_at, today=today, kept=keep_as_is
    )
    return outcome


# What an answer may change of its intake, each a parameter of one statement built once (compiled once).
_ANSWER_COLUMNS = (
    "state", "answers", "path", "changing", "written_in", "updated_at",
    "locale", "status", "consent_notice_version", "consent_at", "submitted_at",
)  # fmt: skip
_INTAKES = Intake.__table__
_CAS = (
    _INTAKES.update()
    .where(_INTAKES.c.id == bindparam("cas_id"), _INTAKES.c.version == bindparam("cas_version"))
    .values(
        {name: bindparam(f"new_{name}", type_=_INTAKES.c[name].type) for name in _ANSWER_COLUMNS}
        | {"version": bindparam("new_version")}
    )
)


def _compare_and_set(intake: Intake, changes: dict) -> None:
    """Write an answer's changes with ONE statement, `UPDATE intakes … WHERE id = :id AND version = :v`, in the
    request's session and transaction: a row another request moved meanwhile matches nothing, and the whole request
    is refused (StaleWrite: rolled back, the 409 shows the intake as it is now).

    The same compare-and-set the ORM's version column makes at the flush, without the flush's bookkeeping (measured
    in bench/profile_step.py: the flush was the answer's costliest part). The intake read through the office wall
    by id is this office's; on PostgreSQL row-level security holds the statement too. The loaded record is then
    told its new values as the database's (nothing is left for the ORM to write).
    """
    version = intake.version
    values = {f"new_{name}": changes.get(name, getattr(intake, name)) for name in _ANSWER_COLUMNS}
    result = db.session.connection().execute(
        _CAS, {"cas_id": intake.id, "cas_version": version, "new_version": version + 1, **values}
    )
    if result.rowcount != 1:
        raise StaleWrite()
    for name, value in changes.items():
        set_committed_value(intake, name, value)
    set_committed_value(intake, "version", version + 1)


def _draft(engine: Engine, conversation, locale: str) -> dict:
    """What the caseworker receives: what the dialogue file says it produces (a draft plan, a review)."""
    kind = engine.dialogue.produces.kind
    if kind == DRAFT_PLAN:
        return build_draft(engine, conversation, locale=locale).to_json()
    if kind == REVIEW:
        return build_review_draft(engine, conversation)
    if kind == CHECK_IN:
        return {"format": 1, "kind": kind, **check_ins.answers_of(engine, conversation).to_json()}
    return {"format": 1, "kind": kind, "answers": engine.live_answers(conversation.answers)}


def back(engine: Engine, intake: Intake, *, today: date) -> None:
    _editable_or_declined(intake)
    leaving = intake.state
    conversation = engine.back(intake.conversation)
    intake.store(conversation)
    step_counts.went_back(intake, leaving, today)
    if intake.status != IntakeStatus.PREVIEW:
        intake.status = IntakeStatus.IN_PROGRESS


def _editable_or_declined(intake: Intake) -> None:
    """Back is allowed from the polite ending: someone who declined may reconsider."""
    if intake.status == IntakeStatus.SUBMITTED:
        raise Finished("this intake is finished")


def change(engine: Engine, intake: Intake, step_id: str) -> None:
    _editable(intake)
    intake.store(engine.change(intake.conversation, step_id))


def switch_language(engine: Engine, intake: Intake, locale: str) -> None:
    """Show the conversation in another language; every answer, and the preferred language, stay.

    A submitted intake keeps the language it was sent in: the done page changes its display in the
    kiosk session only (web/kiosk.py).
    """
    if is_final(intake):
        raise Finished("this intake is finished")
    intake.locale = engine.check_language(locale)


__all__ = [
    "Finished",
    "NotAllowed",
    "StaleStep",
    "TooManyAttempts",
    "answer",
    "back",
    "change",
    "end_kiosk_session",
    "find",
    "is_final",
    "resume",
    "start",
    "switch_language",
]
