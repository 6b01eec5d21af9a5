"""Anonymous step counts: added in the same transaction as the move they count, read per office and period.

Each move adds to a few cells (domain/step_counts.py) with ONE statement, sent when its transaction commits: an
upsert (INSERT … ON CONFLICT DO UPDATE SET count = count + excluded.count, PostgreSQL and SQLite ≥ 3.24) of every
cell the transaction touched, keyed by office, day, dialogue, step, language and measure. Nothing about the intake is written:
the counts know its office (from the row it counts), the office's day, and where it stood. A translator's
preview walk is never counted.

The day is the office's (its time zone): the callers pass it, as they pass `today` to the engine.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import bindparam, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..domain import step_counts as measures
from ..domain.answers import AnswerProblem
from ..domain.dates import add_months
from ..domain.engine import Conversation, Engine, Outcome
from ..domain.step_kinds import kind_of
from ..extensions import db
from ..records import Intake, IntakeStatus, Office, StepCount, as_utc, utcnow

_KEY = ("office_id", "day", "dialogue_id", "step_id", "locale", "measure")


def _counted(intake: Intake) -> bool:
    return intake.status != IntakeStatus.PREVIEW


def add(office_id: int, day: date, dialogue_id: str, locale: str, cells: Iterable[measures.Cell]) -> None:
    """Add 1 to each cell (a cell named twice: 2) when the transaction commits; nothing at all when there is none."""
    add_rows(Counter((office_id, day, dialogue_id, step_id, locale, name) for step_id, name in cells))


def add_rows(rows: Counter) -> None:
    """Rows keyed by (office_id, day, dialogue_id, step_id, locale, measure) → how much to add, at the commit."""
    if rows:
        db.session.info.setdefault(_PENDING, Counter()).update(rows)


_PENDING = "yorisoi.step_counts"


@event.listens_for(Session, "before_commit")
def _write_at_commit(session: Session) -> None:
    """The one upsert, as the transaction's last statement before COMMIT.

    Counts are shared rows (every kiosk at the same step adds to the same one): written earlier, each request would
    hold their lock (PostgreSQL) or the database's write lock (SQLite) while it draws its page, and kiosks at the
    same step would wait on each other. Written here, after the intake's compare-and-set is flushed, the lock lasts
    only until the COMMIT. A savepoint's commit is not the transaction's: the counts wait for the real one.
    """
    if session.in_nested_transaction() or not session.info.get(_PENDING):
        return
    pending = session.info.pop(_PENDING)
    session.flush()  # the intake's UPDATE first: a stale write fails before any count is touched
    rows = [dict(zip(_KEY, key, strict=True), count=pending[key]) for key in sorted(pending, key=_order)]
    session.execute(_upsert(session.get_bind().dialect.name), rows)


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session: Session) -> None:
    """A refused or failed request counts nothing (a refusal that is kept commits instead: see `refused`)."""
    session.info.pop(_PENDING, None)


_UPSERTS: dict[str, object] = {}


def _upsert(dialect: str):
    """INSERT … ON CONFLICT DO UPDATE SET count = count + excluded.count, built once per dialect: one statement that
    SQLAlchemy compiles once, sent with every row's values in one call (executemany; on PostgreSQL psycopg sends the
    rows in one round trip). A multi-row VALUES built per request would be compiled anew each time (its cache key
    holds the values): measured, that cost more than the statement itself. The rows come in key order: the same
    lock order in every transaction, so two requests never wait on each other's rows crosswise."""
    if dialect not in _UPSERTS:
        table = StepCount.__table__
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(table).values({name: bindparam(name) for name in (*_KEY, "count")})
        _UPSERTS[dialect] = statement.on_conflict_do_update(
            index_elements=list(_KEY), set_={"count": table.c.count + statement.excluded.count}
        )
    return _UPSERTS[dialect]


def _order(key: tuple) -> tuple:
    return tuple(str(part) for part in key)


# --- the moves ----------------------------------------------------------------------------------------


def started(intake: Intake, today: date) -> None:
    """A new intake shows its first step."""
    if _counted(intake):
        add(intake.office_id, today, intake.dialogue_id, intake.locale, [(intake.state, measures.REACHED)])


def answered(
    engine: Engine,
    intake: Intake,
    before: Conversation,
    outcome: Outcome,
    *,
    locale: str,
    shown_at: datetime | None,
    today: date,
    kept: bool = False,
) -> None:
    """An accepted answer (or one held with a nudge): how the step was left and the step it led to.

    `kept`: the recipient kept an answer that was held with a suggestion to reword.
    `shown_at`: when the step was shown, which is when the intake was last written (its `updated_at`); `locale`: the
    language the step was shown in (the language step changes the intake's).
    """
    if not _counted(intake):
        return
    step = engine.current(before)
    after = outcome.conversation
    arrived = engine.current(after)
    seconds = (utcnow() - as_utc(shown_at)).total_seconds() if shown_at is not None else 0.0
    fresh = _new_ground(engine, before, arrived.id, kept)
    cells = measures.on_answer(
        step_id=step.id,
        first_answer=fresh,
        value=after.answers.get(step.id),
        takes_answer=step.takes_answer,
        sensitive=step.sensitive,
        seconds_on_step=max(0.0, seconds),
        arrived=arrived.id,
        arrived_first_time=fresh,
        completed_screens=len(after.path) if intake.status == IntakeStatus.SUBMITTED else None,
        nudge_codes=[n.code for n in outcome.nudges],
    )
    # The step answered was shown in `locale`; the step arrived at is shown in the intake's language now (the two
    # differ only on the language step). One statement for both.
    rows = Counter(
        (intake.office_id, today, intake.dialogue_id, step_id, locale if step_id == step.id else intake.locale, name)
        for step_id, name in cells
    )
    add_rows(rows)


def _new_ground(engine: Engine, before: Conversation, arrived: str, kept: bool) -> bool:
    """The answer moved on to a step this intake had not reached before: only then is it counted (how the step was
    left, and the step reached), so going back and forward again, or changing an answer from the check page, counts
    nobody twice.

    Going back cuts the path short, so the answers tell: had the intake been further already, the step just answered
    held an answer before (unless it was held with a suggestion and is now kept as it is: `kept`), or the step
    reached does. Back over a step without an answer (a message) to the one before and forward again may count once
    more. (Asking the engine for the live path would tell a little more, at a quarter of a millisecond an answer.)
    """
    if arrived in before.path or arrived in before.answers:
        return False
    step = engine.current(before)
    return not (step.takes_answer and step.id in before.answers and not kept)


def refused(intake: Intake, step_id: str, problems: Sequence[AnswerProblem], today: date) -> None:
    """An answer refused: one count per problem, by its code. Kept although the request is refused (the caller says so)."""
    if _counted(intake):
        add(
            intake.office_id,
            today,
            intake.dialogue_id,
            intake.locale,
            measures.on_refused(step_id, [p.code for p in problems]),
        )


def went_back(intake: Intake, step_id: str, today: date) -> None:
    if _counted(intake):
        add(intake.office_id, today, intake.dialogue_id, intake.locale, [(step_id, measures.WENT_BACK)])


def abandoned(engine: Engine, intake: Intake, how: str, today: date) -> None:
    """The screen was wiped when idle, or "Exit this page" was pressed, with an unfinished intake on it."""
    if intake.status != IntakeStatus.IN_PROGRESS or not kind_of(engine.current(intake.conversation)).asked:
        return
    add(intake.office_id, today, intake.dialogue_id, intake.locale, measures.on_abandoned(intake.state, how))


# What the purge's DELETE … RETURNING hands to `walked_away`, in this order.
PURGED_COLUMNS = (Intake.office_id, Intake.dialogue_id, Intake.state, Intake.locale, Intake.status, Intake.updated_at)


def walked_away(purged: Sequence[Sequence]) -> None:
    """The retention hook: unfinished intakes being deleted at the end of their resume window (never finished, never
    touched again) count as walked away at the step where each stood, on the office's day it was last touched.

    `purged`: rows of PURGED_COLUMNS. Sent and declined intakes are not abandoned; previews are never counted.
    """
    standing = [row for row in purged if row[4] == IntakeStatus.IN_PROGRESS]
    if not standing:
        return
    zones = dict(
        db.session.execute(
            db.select(Office.id, Office.time_zone).where(Office.id.in_({row[0] for row in standing}))
        ).all()
    )
    rows: Counter = Counter()
    for office_id, dialogue_id, state, locale, _status, updated_at in standing:
        day = as_utc(updated_at).astimezone(ZoneInfo(zones.get(office_id) or "Asia/Tokyo")).date()
        for step_id, name in measures.on_abandoned(state, measures.WALKED):
            rows[(office_id, day, dialogue_id, step_id, locale, name)] += 1
    add_rows(rows)


# --- retention ----------------------------------------------------------------------------------------


def keep_months(office: Office) -> int:
    return office.counts_keep_months or int(current_app.config["COUNTS_KEEP_MONTHS"])


def purge_expired(office: Office, now: datetime) -> int:
    """Delete the office's counts older than its retention setting (with each purge of the office); how many rows."""
    today = as_utc(now).astimezone(ZoneInfo(office.time_zone or "Asia/Tokyo")).date()
    cutoff = add_months(today, -keep_months(office))
    return db.session.execute(db.delete(StepCount).where(StepCount.day < cutoff)).rowcount


# --- reading ------------------------------------------------------------------------------------------


def totals(start: date, end: date) -> dict[tuple[str, str, str, str], int]:
    """The unit of work's office's counts from start to end (both included), summed per dialogue, step, language
    and measure. The office wall keeps other offices' rows out."""
    query = (
        db.select(
            StepCount.dialogue_id, StepCount.step_id, StepCount.locale, StepCount.measure, db.func.sum(StepCount.count)
        )
        .where(StepCount.day >= start, StepCount.day <= end)
        .group_by(StepCount.dialogue_id, StepCount.step_id, StepCount.locale, StepCount.measure)
    )
    return {(d, s, loc, m): int(n) for d, s, loc, m, n in db.session.execute(query).all()}


def first_day() -> date | None:
    """The earliest day with counts (for the pages' choice of years)."""
    return db.session.scalar(db.select(db.func.min(StepCount.day)))


@dataclass(frozen=True)
class DialogueLines:
    """One dialogue's counts for a period: its steps' lines (every language together), the languages counted, and
    the lines per language."""

    lines: list[measures.StepLine]
    locales: list[str]
    by_locale: dict[str, list[measures.StepLine]]


def period_lines(start: date, end: date, dialogues: Mapping[str, Sequence[str]]) -> dict[str, DialogueLines]:
    """Each dialogue's lines from start to end (both included), its steps (`dialogues`: id → step ids) in order."""
    found = totals(start, end)
    result = {}
    for dialogue_id, ids in dialogues.items():
        locales = measures.locales_in(found, dialogue_id)
        result[dialogue_id] = DialogueLines(
            lines=measures.lines(found, dialogue_id, ids),
            locales=locales,
            by_locale={loc: measures.lines(found, dialogue_id, ids, loc) for loc in locales},
        )
    return result


def language_stops(
    start: date, end: date, dialogues: Mapping[str, Sequence[str]], locale: str
) -> list[measures.Outlier]:
    """The steps (`dialogues`: id → the asked steps' ids) where this language stands out, from start to end."""
    found = totals(start, end)
    return [
        outlier
        for dialogue_id, ids in dialogues.items()
        for outlier in measures.outliers(found, dialogue_id, ids, locale)
    ]
