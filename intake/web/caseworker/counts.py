"""Where people stop: the office's anonymous step counts per dialogue and language, by 年度 and month, with a CSV.

Admin and supervisor. Every count of fewer than five people (but some) reads "<5", on the page, in the chart
(a hidden cell draws no bar) and in the CSV. The admin also sets how long the office keeps the counts.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from ...domain.answers import N_
from ...domain.dates import add_months, fiscal_year
from ...domain.dialogue import Step
from ...domain.engine import Engine
from ...domain.step_counts import (
    ABANDON_KINDS,
    ABANDONED,
    ANSWERED,
    COMPLETED,
    ERROR,
    EXIT,
    IDLE,
    NUDGE,
    PREFER_NOT,
    REACHED,
    SCREENS,
    SKIPPED,
    SMALL_CELL,
    TIME,
    TIME_BUCKETS,
    WALKED,
    WENT_BACK,
    StepLine,
)
from ...i18n import plain, step_text, translate
from ...records import OFFICE_FIGURES_ROLES
from ...services import audit_log, step_counts
from ..common import engines, office_today
from ..offices import current_office
from ..plan_text import labelled, language_name
from ..small_cells import shown, visible
from .access import roles, staff_blueprint

bp = staff_blueprint(Blueprint("counts", __name__, url_prefix="/caseworker/office/counts"))
KEEP_MONTHS_RANGE = (1, 120)
# The measures each step's line shows, in the table's order (abandonments follow, by kind).
COLUMNS = (REACHED, ANSWERED, SKIPPED, PREFER_NOT, "errors", WENT_BACK)


# The time bands of step_counts.TIME_BUCKETS as staff read them.
TIME_BANDS = {
    # i18n: staff: a band of time someone spent on one kiosk step (the step counts page and CSV).
    "0-10s": N_("0–10 seconds"),
    # i18n: staff: a band of time someone spent on one kiosk step.
    "10-30s": N_("10–30 seconds"),
    # i18n: staff: a band of time someone spent on one kiosk step.
    "30s-2m": N_("30 seconds – 2 minutes"),
    # i18n: staff: a band of time someone spent on one kiosk step.
    "2-10m": N_("2–10 minutes"),
    # i18n: staff: a band of time someone spent on one kiosk step.
    "10m+": N_("10 minutes or more"),
}


def time_band(name: str) -> str:
    return labelled(TIME_BANDS, name)


# Why an answer was refused, or what a suggestion to reword was about, by the code the step counts keep
# (intake/domain/answers.py): staff read what happened, not the code.
ANSWER_KINDS = {
    # i18n: staff: why the kiosk refused an answer (the counts page): nothing was given where an answer is needed.
    "required": N_("no answer given"),
    # i18n: staff: why the kiosk refused an answer (the counts page).
    "no_answer": N_("no answer given"),
    # i18n: staff: why the kiosk refused an answer (the counts page).
    "not_skippable": N_("tried to skip a question that cannot be skipped"),
    # i18n: staff: why the kiosk refused an answer (the counts page).
    "too_long": N_("text too long"),
    # i18n: staff: why the kiosk refused an answer (the counts page).
    "not_text": N_("not text"),
    # i18n: staff: why the kiosk refused an answer (the counts page).
    "too_few": N_("too few choices"),
    # i18n: staff: why the kiosk refused an answer (the counts page).
    "too_many": N_("too many choices"),
    # i18n: staff: why the kiosk refused an answer (the counts page): fewer actions than the plan needs.
    "too_few_items": N_("too few actions"),
    # i18n: staff: why the kiosk refused an answer (the counts page).
    "too_many_items": N_("too many actions"),
    # i18n: staff: why the kiosk refused an answer (the counts page): a date left incomplete or impossible (31 February).
    "invalid_date": N_("date incomplete or impossible"),
    # i18n: staff: why the kiosk refused an answer (the counts page).
    "out_of_range": N_("date outside the allowed period"),
    # i18n: staff: why the kiosk refused an answer (the counts page).
    "invalid_number": N_("not a number"),
    # i18n: staff: why the kiosk refused an answer (the counts page).
    "out_of_range_number": N_("number outside the allowed range"),
    # i18n: staff: why the kiosk refused an answer (the counts page): a choice the question does not offer.
    "unknown_option": N_("a choice not offered"),
    # i18n: staff: why the kiosk refused an answer (the counts page).
    "repeated_options": N_("the same choice twice"),
    # i18n: staff: why the kiosk refused an answer (the counts page).
    "unknown_language": N_("a language not offered"),
    # i18n: staff: what the kiosk suggested rewording (the counts page): an action that says what, but not when or how.
    "vague": N_("an action not concrete enough"),
    # i18n: staff: what the kiosk suggested rewording (the counts page): little confidence in an action.
    "low_confidence": N_("an action the person felt unsure of"),
}


def answer_kind(code: str) -> str:
    # i18n: staff: an answer error the counts page has no words for; %(code)s is its code.
    return gettext(ANSWER_KINDS[code]) if code in ANSWER_KINDS else gettext("other (%(code)s)", code=code)


def measure_label(name: str) -> str:
    """A measure in the staff's Japanese (the CSV's 項目 column and the page's headers)."""
    fixed = {
        REACHED: gettext("Shown"),
        ANSWERED: gettext("Answered"),
        SKIPPED: gettext("Skipped it"),
        PREFER_NOT: gettext("Chose not to say"),
        WENT_BACK: gettext("Went back"),
        COMPLETED: gettext("Completed"),
        "errors": gettext("Answer errors"),
        ABANDONED + IDLE: gettext("Left idle (screen wiped)"),
        ABANDONED + EXIT: gettext("Quick exit"),
        ABANDONED + WALKED: gettext("Never finished (deleted)"),
    }
    if name in fixed:
        return fixed[name]
    for prefix, label in (
        (ERROR, gettext("Answer error: %(kind)s", kind="%s")),
        (NUDGE, gettext("Suggestion to reword: %(kind)s", kind="%s")),
        (TIME, gettext("Time on the step: %(kind)s", kind="%s")),
        (SCREENS, gettext("Screens to finish: %(kind)s", kind="%s")),
    ):
        if name.startswith(prefix):
            kind = name.removeprefix(prefix)
            if prefix == TIME:
                return label % time_band(kind)
            return label % (answer_kind(kind) if prefix in (ERROR, NUDGE) else kind)
    return name


@dataclass
class DialogueCounts:
    """One dialogue's counts for the period: every language together, each language, and the step labels."""

    id: str
    title: str  # the dialogue's own title, in the page's language
    steps: list[Step]
    labels: dict[str, str]
    lines: list[StepLine]
    locales: list[str]
    by_locale: dict[str, list[StepLine]] = field(default_factory=dict)

    @property
    def asked(self) -> list[StepLine]:
        return [line for line, step in zip(self.lines, self.steps, strict=True) if step.asked]

    def line(self, locale: str, step_id: str) -> StepLine:
        return next(line for line in self.by_locale[locale] if line.step_id == step_id)

    def started(self, lines: list[StepLine]) -> int:
        first = next((line for line, step in zip(lines, self.steps, strict=True) if step.asked), None)
        return first.get(REACHED) if first else 0

    def completed(self, lines: list[StepLine]) -> int:
        return sum(line.get(COMPLETED) for line in lines)

    def screens(self) -> list[tuple[str, int]]:
        totals: dict[str, int] = {}
        for line in self.lines:
            for name, count in line.screens:
                totals[name] = totals.get(name, 0) + count
        return list(totals.items())

    def errors_by_kind(self) -> list[tuple[str, str, int]]:
        """(step, measure, count) of every answer error and suggestion to reword, in step order."""
        return [
            (line.step_id, name, count)
            for line in self.lines
            for name, count in sorted(line.counts.items())
            if name.startswith((ERROR, NUDGE))
        ]


def _label(engine: Engine, step: Step) -> str:
    """The step's prompt in Japanese, plain and shortened, for a chart's row and a table's header."""
    text = " ".join(str(plain(step_text(engine, step))).split()) if step.prompt else step.id
    text = re.sub(r"%\(\w+\)s", "…", text)  # a prompt that repeats earlier answers: not here
    return text if len(text) <= 28 else text[:27] + "…"


def dialogue_counts(counted: step_counts.DialogueLines, engine: Engine) -> DialogueCounts:
    steps = list(engine.dialogue.steps.values())
    return DialogueCounts(
        id=engine.dialogue.id,
        title=translate(engine.dialogue.context("title"), engine.dialogue.title),
        steps=steps,
        labels={s.id: _label(engine, s) for s in steps},
        lines=counted.lines,
        locales=counted.locales,
        by_locale=counted.by_locale,
    )


def _period() -> tuple[int, int | None, date, date, list[str]]:
    """The 年度 asked for (its first year, e.g. 2026 for 令和8年度) and optionally one month of it; else this 年度."""
    first, _ = fiscal_year(office_today())
    errors = []
    year, month = first.year, None
    try:
        year = int(request.args.get("year") or first.year)
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        year = first.year
        errors.append(gettext("Please choose a fiscal year from the list. Showing this fiscal year."))
    if request.args.get("month"):
        try:
            month = int(request.args["month"])
            if not 1 <= month <= 12:
                raise ValueError
        except ValueError:
            month = None
            errors.append(gettext("Please choose a month from the list. Showing the whole fiscal year."))
    if month is None:
        return year, None, date(year, 4, 1), date(year + 1, 3, 31), errors
    start = date(year if month >= 4 else year + 1, month, 1)
    return year, month, start, date.fromordinal(add_months(start, 1).toordinal() - 1), errors


def _years() -> list[int]:
    """The 年度 the choice offers: from the earliest counts kept to this one."""
    this_year = fiscal_year(office_today())[0].year
    first_day = step_counts.first_day()
    earliest = fiscal_year(first_day)[0].year if first_day else this_year
    return list(range(this_year, min(earliest, this_year) - 1, -1))


def _read():
    year, month, start, end, errors = _period()
    first = current_app.config["INTAKE_DIALOGUE"]  # the intake first, then the others (the review) in file order
    ordered = sorted(engines().values(), key=lambda engine: engine.dialogue.id != first)
    steps = {engine.dialogue.id: [s.id for s in engine.dialogue.steps.values()] for engine in ordered}
    counted = step_counts.period_lines(start, end, steps)
    dialogues = [dialogue_counts(counted[engine.dialogue.id], engine) for engine in ordered]
    return year, month, start, end, errors, dialogues


def funnel_bars(lines: list[StepLine], width: int) -> list[tuple[str, str, int]]:
    """(step id, the count as shown, bar length) for the funnel: a hidden cell ("<5") draws no bar."""
    top = max((visible(line.get(REACHED)) for line in lines), default=0)
    return [
        (
            line.step_id,
            shown(line.get(REACHED)),
            round(visible(line.get(REACHED)) / top * width) if top else 0,
        )
        for line in lines
    ]


def completion_rate(started: int, completed: int) -> str:
    """Completed over started, shown only when both are five or more (a rate must not reveal a hidden cell)."""
    if started < SMALL_CELL or completed < SMALL_CELL:
        return "—"
    return f"{completed / started * 100:.1f}%"


@bp.get("/")
@roles(*OFFICE_FIGURES_ROLES)
def page():
    """Each dialogue's funnel (a chart and its numbers), the languages compared, and errors by kind, for a period."""
    return _page()


def _page(retention_error: str = "", status: int = 200):
    year, month, start, end, errors, dialogues = _read()
    audit_log.audit(current_user, None, "view", f"step counts {start}..{end}")
    office = current_office()
    page = render_template(
        "caseworker/counts.html",
        year=year,
        month=month,
        start=start,
        end=end,
        years=_years(),
        errors=errors,
        dialogues=dialogues,
        columns=COLUMNS,
        abandon_kinds=ABANDON_KINDS,
        time_buckets=[time_band(name) for _, name in TIME_BUCKETS],
        shown=shown,
        measure_label=measure_label,
        funnel_bars=funnel_bars,
        completion_rate=completion_rate,
        keep_months=step_counts.keep_months(office),
        keep_range=KEEP_MONTHS_RANGE,
        retention_error=retention_error,
        months_typed=request.form.get("months", "") if retention_error else "",
        ABANDONED=ABANDONED,
        TIME=TIME,
    )
    return page, status


@bp.get("/counts.csv")
@roles(*OFFICE_FIGURES_ROLES)
def csv_export():
    """Every count of the period as one row each (dialogue, step, language, item), with "<5" for small cells."""
    _year, _month, start, end, _errors, dialogues = _read()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            gettext("From"),
            gettext("To"),
            # i18n: staff: a column of the step counts' CSV: the dialogue's id (self_reliance…).
            gettext("Dialogue ID"),
            # i18n: staff: a column of the step counts' CSV: the step's id (future_picture…).
            gettext("Step ID"),
            gettext("Question"),
            gettext("Language shown"),
            gettext("Language code"),
            gettext("Item"),
            gettext("Item code"),
            gettext("Count"),
        ]
    )
    for dialogue in dialogues:
        for locale in dialogue.locales:
            for line in dialogue.by_locale[locale]:
                for name, count in sorted(line.counts.items()):
                    writer.writerow(
                        [
                            start.isoformat(),
                            end.isoformat(),
                            dialogue.id,
                            line.step_id,
                            dialogue.labels[line.step_id],
                            language_name(locale),
                            locale,
                            measure_label(name),
                            name,
                            shown(count),
                        ]
                    )
    audit_log.audit(current_user, None, "export", f"step counts.csv {start}..{end}")
    return Response(
        "\ufeff" + out.getvalue(),  # a BOM, so spreadsheet software opens the Japanese as UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=yorisoi-step-counts-{start}-{end}.csv"},
    )


@bp.post("/retention")
@roles("admin")
def set_retention():
    """How many months the office keeps its step counts (the nightly purge deletes older days)."""
    low, high = KEEP_MONTHS_RANGE
    raw = request.form.get("months", "").strip()
    try:
        months = int(raw)
        if not low <= months <= high:
            raise ValueError
    except ValueError:
        # Refused (422): nothing is stored, the audit line of the page drawn again included.
        error = gettext(
            "Please give the number of months as a whole number from %(low)s to %(high)s.", low=low, high=high
        )
        return _page(retention_error=error, status=422)
    office = current_office()
    office.counts_keep_months = months
    audit_log.audit(current_user, None, "counts_retention", f"{months} months")
    flash(gettext("Step counts are now kept for %(months)s months.", months=months))
    return redirect(url_for("counts.page"), code=303)
