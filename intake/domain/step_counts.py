"""Where people stop: what one move through a dialogue adds to the office's anonymous step counts, and how they read.

Counts only, never a trail: a move adds 1 to a few cells keyed by (dialogue, step, language, measure), summed
per office and day by the service (services/step_counts.py). Nothing here knows an intake, a person or a time
finer than a day. Pure Python: no Flask, no database.

Measures, per step and language:
- reached: the step was shown for the first time in an intake (going back and forward again does not count again);
- answered / skipped / prefer_not: how the first answer to it moved on ("prefer not to say" is the skip of a
  sensitive question);
- error:<code>: an answer refused (the engine's problem code); nudge:<code>: an answer held with a suggestion;
- went_back: Back pressed on the step;
- abandoned:idle / abandoned:exit: the screen was wiped when idle, or "Exit this page" was pressed, on the step;
  abandoned:walked: the intake was never finished and was deleted at the end of its resume window, standing here;
- time:<bucket>: how long the step was on screen before its first answer moved on;
- completed and screens:<bucket> (at the done step): intakes sent, and the screens their path went through.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

REACHED = "reached"
ANSWERED = "answered"
SKIPPED = "skipped"
PREFER_NOT = "prefer_not"
WENT_BACK = "went_back"
COMPLETED = "completed"
ERROR = "error:"
NUDGE = "nudge:"
IDLE, EXIT, WALKED = "idle", "exit", "walked"
ABANDONED = "abandoned:"
ABANDON_KINDS = (IDLE, EXIT, WALKED)
TIME = "time:"
SCREENS = "screens:"
MEASURE_LENGTH = 40  # the column's width (records/step_counts.py)

# Coarse on purpose: a bucket says how a step reads, never when someone was at the kiosk.
TIME_BUCKETS = ((10, "0-10s"), (30, "10-30s"), (120, "30s-2m"), (600, "2-10m"), (None, "10m+"))
SCREEN_BUCKETS = ((20, "1-20"), (30, "21-30"), (40, "31-40"), (50, "41-50"), (None, "51+"))

# A cell counting fewer people than this is shown as "<5", on the pages and in the CSV alike.
SMALL_CELL = 5
HIDDEN = "<5"

# A language's rate at a step is "well above the others" at this many times the other languages' pooled rate,
# counted on at least OUTLIER_MIN_COUNT events of that language (and as many reaches of the others to compare with).
OUTLIER_FACTOR = 2.0
OUTLIER_MIN_COUNT = SMALL_CELL

Cell = tuple[str, str]  # (step id, measure)


def time_bucket(seconds: float) -> str:
    """Seconds below each upper bound."""
    return next(name for upper, name in TIME_BUCKETS if upper is None or seconds < upper)


def screens_bucket(screens: int) -> str:
    """Screens up to each upper bound."""
    return next(name for upper, name in SCREEN_BUCKETS if upper is None or screens <= upper)


def measure(prefix: str, code: str) -> str:
    return (prefix + code)[:MEASURE_LENGTH]


# --- what one move adds ----------------------------------------------------------------------------


def on_answer(
    *,
    step_id: str,
    first_answer: bool,
    value: object,
    takes_answer: bool,
    sensitive: bool,
    seconds_on_step: float,
    arrived: str,
    arrived_first_time: bool,
    completed_screens: int | None,
    nudge_codes: Sequence[str] = (),
) -> list[Cell]:
    """The cells an accepted answer adds: how the step was left (first time only), and the step it led to."""
    if nudge_codes:
        return [(step_id, measure(NUDGE, code)) for code in nudge_codes]
    cells: list[Cell] = []
    if first_answer:
        if takes_answer and value is None:
            cells.append((step_id, PREFER_NOT if sensitive else SKIPPED))
        else:
            cells.append((step_id, ANSWERED))
        cells.append((step_id, TIME + time_bucket(seconds_on_step)))
    if arrived_first_time and arrived != step_id:
        cells.append((arrived, REACHED))
    if completed_screens is not None:
        cells += [(arrived, COMPLETED), (arrived, SCREENS + screens_bucket(completed_screens))]
    return cells


def on_refused(step_id: str, codes: Iterable[str]) -> list[Cell]:
    return [(step_id, measure(ERROR, code)) for code in codes]


def on_abandoned(step_id: str, how: str) -> list[Cell]:
    if how not in ABANDON_KINDS:
        raise ValueError(f"unknown way of abandoning: {how}")
    return [(step_id, ABANDONED + how)]


# --- reading ---------------------------------------------------------------------------------------

Totals = Mapping[tuple[str, str, str, str], int]  # (dialogue, step, locale, measure) → count


@dataclass
class StepLine:
    """One step's counts (one language, or all), summed over a period."""

    step_id: str
    counts: dict[str, int] = field(default_factory=dict)

    def get(self, name: str) -> int:
        return self.counts.get(name, 0)

    def prefixed(self, prefix: str) -> dict[str, int]:
        return {m.removeprefix(prefix): n for m, n in sorted(self.counts.items()) if m.startswith(prefix)}

    @property
    def errors(self) -> int:
        return sum(self.prefixed(ERROR).values())

    @property
    def nudges(self) -> int:
        return sum(self.prefixed(NUDGE).values())

    @property
    def abandoned(self) -> int:
        """People who stopped here, never counted twice: a screen wiped or exited whose intake was then deleted
        unfinished is in both kinds, so the larger of (idle wipes + quick exits) and walked away, a lower bound."""
        return max(self.abandoned_by(IDLE) + self.abandoned_by(EXIT), self.abandoned_by(WALKED))

    def abandoned_by(self, how: str) -> int:
        return self.get(ABANDONED + how)

    @property
    def times(self) -> list[tuple[str, int]]:
        return [(name, self.get(TIME + name)) for _, name in TIME_BUCKETS]

    @property
    def screens(self) -> list[tuple[str, int]]:
        return [(name, self.get(SCREENS + name)) for _, name in SCREEN_BUCKETS]


def lines(totals: Totals, dialogue_id: str, step_ids: Sequence[str], locale: str | None = None) -> list[StepLine]:
    """The dialogue's steps in order, each with its counts in one language (None: every language together)."""
    by_step = {step_id: StepLine(step_id) for step_id in step_ids}
    for (dialogue, step_id, loc, name), count in totals.items():
        if dialogue != dialogue_id or step_id not in by_step or (locale is not None and loc != locale):
            continue
        line = by_step[step_id]
        line.counts[name] = line.counts.get(name, 0) + count
    return list(by_step.values())


def locales_in(totals: Totals, dialogue_id: str) -> list[str]:
    return sorted({loc for (dialogue, _step, loc, _m) in totals if dialogue == dialogue_id})


@dataclass(frozen=True)
class Outlier:
    """A step where one language's rate of errors, skips or abandonments is well above the other languages'."""

    dialogue_id: str
    step_id: str
    what: str  # errors | skips | abandonments
    count: int
    reached: int
    others_count: int
    others_reached: int

    @property
    def rate(self) -> float:
        return self.count / self.reached

    @property
    def others_rate(self) -> float:
        return self.others_count / self.others_reached


def _kinds(line: StepLine) -> dict[str, int]:
    return {
        "errors": line.errors + line.nudges,
        "skips": line.get(SKIPPED) + line.get(PREFER_NOT),
        "abandonments": line.abandoned,
    }


def outliers(totals: Totals, dialogue_id: str, step_ids: Sequence[str], locale: str) -> list[Outlier]:
    """This language's steps whose rate is at least OUTLIER_FACTOR × the other languages' pooled rate.

    A rate is events per reach of the step. Both sides need at least OUTLIER_MIN_COUNT: this language's events
    (so nothing under five is singled out) and the others' reaches (so there is something to compare with).
    """
    others = [loc for loc in locales_in(totals, dialogue_id) if loc != locale]
    mine = lines(totals, dialogue_id, step_ids, locale)
    theirs = [lines(totals, dialogue_id, step_ids, loc) for loc in others]
    found = []
    for index, line in enumerate(mine):
        reached = line.get(REACHED)
        others_reached = sum(t[index].get(REACHED) for t in theirs)
        if reached < OUTLIER_MIN_COUNT or others_reached < OUTLIER_MIN_COUNT:
            continue
        for what, count in _kinds(line).items():
            others_count = sum(_kinds(t[index])[what] for t in theirs)
            if count < OUTLIER_MIN_COUNT:
                continue
            if count * others_reached >= OUTLIER_FACTOR * others_count * reached:
                found.append(Outlier(dialogue_id, line.step_id, what, count, reached, others_count, others_reached))
    return found
