"""The admin's program catalogue (個別支援プログラム): add, edit, retire and offer again the office's programs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from ...domain.programs import (
    AGE,
    AREAS,
    BARRIERS,
    CONDITIONS,
    GOAL_KIND,
    GROUPS,
    SUBGROUPS,
    TEXTS,
    Program,
    ProgramProblem,
)
from ...i18n import paragraphs, step_text, translate
from ...records import OfficeProgram
from ...services import program_conditions, programs
from ...services.programs import ProgramError
from ...unit_of_work import StaleWrite, stale_page
from ..common import intake_engine
from ..offices import current_office
from ..plan_text import group_label
from .access import roles, staff_blueprint

bp = staff_blueprint(Blueprint("programs", __name__, url_prefix="/caseworker/office/programs"))
LISTS = ("barriers", "always_for", "goal_kinds", "report_lines", "ages")
# Fields chosen per question of the intake ({step: [options]}, form names `<field>:<step>`): the soft signals, and
# the conditions, stored as rules of the catalogue's vocabulary.
ANSWER_LISTS = ("answers", *CONDITIONS)


@bp.get("/")
@roles("admin")
def index():
    """The office's programs, offered and retired, and a form for a new one."""
    return _list_page()


@bp.post("/")
@roles("admin")
def create():
    """Add a program to the office's catalogue."""
    try:
        row = programs.save_program(current_user, current_office(), _entry(with_id=True))
    except ProgramError as err:
        return _list_page(request.form, _labelled(err.problems), 422)
    flash(gettext("Program %(name)s added.", name=row.name))
    return redirect(url_for("programs.program", key=row.key), code=303)


@bp.get("/<key>")
@roles("admin")
def program(key: str):
    """One program's fields, to edit, and retiring it."""
    return _program_page(key)


@bp.post("/<key>")
@roles("admin")
def update(key: str):
    """Save the changes to one program (a form loaded before someone else's change is refused)."""
    return _change(
        key,
        lambda office: programs.save_program(
            current_user, office, _entry(kept=_values(key)), key=key, expected_version=request.form.get("version") or None
        ),
        gettext("Changes to the program saved."),
    )


@bp.post("/<key>/retire")
@roles("admin")
def retire(key: str):
    """Stop offering the program; plans that name it keep it."""
    return _set_retired(key, True, gettext("The program is retired: it is no longer offered, and plans that name it keep it."))


@bp.post("/<key>/reinstate")
@roles("admin")
def reinstate(key: str):
    """Offer a retired program again."""
    return _set_retired(key, False, gettext("The program is offered again."))


def _set_retired(key: str, retired: bool, done: str):
    version = request.form.get("version") or None
    return _change(key, lambda office: programs.set_retired(current_user, office, key, retired, version), done)


def _change(key: str, change: Callable, done: str):
    _values(key)  # 404 for a program the office does not have
    if not request.form.get("version") and programs.programs_of(current_office()):
        raise StaleWrite()  # a form from programs.yaml, and someone has made the catalogue the office's own since
    try:
        change(current_office())
    except ProgramError as err:
        return _program_page(key, request.form, _labelled(err.problems), 422)
    flash(done)
    return redirect(url_for("programs.program", key=key), code=303)


@stale_page(bp)
def _changed_meanwhile():
    """Someone changed the catalogue after the form was loaded: the program as it is now, nothing saved (409)."""
    message = gettext("Someone changed this program after you opened it. Here it is as it is now; nothing was saved.")
    return _program_page(request.view_args["key"], None, (), 409, message)


def _labelled(problems: list[ProgramProblem]) -> list[ProgramProblem]:
    """Problems that name a field by its key (`name`, `ages`) name it as the form's label does."""
    labels = {
        "name": gettext("Program name"),
        "description": gettext("Support (what the program offers, as recipients read it)"),
        "action": gettext("Suggested first action (in the recipient's own voice)"),
        "barriers": gettext("Barriers it answers"),
        "goal_kinds": gettext("Goal kinds"),
        "ages": gettext("Age bands (none: any age)"),
        "answers": gettext("Other answers that fit it"),
        "require": gettext("Suggested only for"),
        "exclude": gettext("Never suggested for"),
    }
    return [
        replace(p, params={**p.params, "key": labels[p.params["key"]]}) if p.params.get("key") in labels else p
        for p in problems
    ]


def _entry(with_id: bool = False, kept: dict | None = None) -> dict[str, object]:
    """The form as a programs.yaml entry, for the same checks as the file. `kept`: the program's values, whose
    conditions and answers the lists cannot show are kept as they are."""
    form = request.form
    entry: dict[str, object] = {part: form.get(part, "").strip() for part in TEXTS}
    entry["group"] = form.get("group", "")
    entry.update({name: form.getlist(name) for name in LISTS})
    entry["employment"] = form.get("employment") == "yes"
    shown = {step for step, _question, _options in _questions()}
    unshown = {step: options for step, options in ((kept or {}).get("answers") or {}).items() if step not in shown}
    entry["answers"] = unshown | {step: options for step, options in _picked(form, "answers").items() if options}
    for key in CONDITIONS:
        if kept is not None and kept.get(f"{key}_lists") is None and kept.get(key):
            entry[key] = kept[key]  # written in programs.yaml in a form the lists cannot show
        else:
            entry[key] = program_conditions.condition_of(_picked(form, key), key)
    if with_id:
        entry["id"] = form.get("id", "").strip()
    return entry


def _picked(form, field: str) -> dict[str, list[str]]:
    """The options ticked per question for one of ANSWER_LISTS (form names `<field>:<step>`)."""
    prefix = f"{field}:"
    return {name[len(prefix) :]: form.getlist(name) for name in form if name.startswith(prefix)}


def _values(key: str) -> dict[str, object]:
    """A program's fields for the form: the office's row, or (before its first change) programs.yaml's, in Japanese."""
    office = current_office()
    row = programs.find_program(office, key)
    if row is not None:
        values = {c.name: getattr(row, c.name) for c in OfficeProgram.__table__.columns}
        lists = {f"{key}_lists": program_conditions.stored_lists(values[key], key) for key in CONDITIONS}
        return {**values, **lists, "retired": row.retired_at}
    if programs.programs_of(office):
        abort(404)
    found = next((p for p in programs.file_programs() if p.id == key), None)
    if found is None:
        abort(404)
    return _file_values(found)


def _file_values(program: Program) -> dict[str, object]:
    answers: dict[str, list[str]] = {}
    for step, option in program.answers:
        answers.setdefault(step, []).append(option)
    return {
        "key": program.id,
        **{part: str(translate(program.context(part), getattr(program, part))) for part in TEXTS},
        "group": program.group,
        **{name: list(getattr(program, name)) for name in LISTS},
        "employment": program.employment,
        "answers": answers,
        **{key: getattr(program, key).spec if getattr(program, key) else None for key in CONDITIONS},
        **{f"{key}_lists": program_conditions.program_lists(program, key) for key in CONDITIONS},
        "version": "",
        "retired": None,
    }


def _choices() -> dict[str, list[tuple[str, str]]]:
    """The options each list field may name, with their Japanese labels: the intake dialogue's own."""
    engine = intake_engine()

    def options(field: str) -> list[tuple[str, str]]:
        step_id = engine.dialogue.produces.step(field)
        step = engine.dialogue.steps.get(step_id) if step_id else None
        return [(o.id, translate(o.context, o.label) if o.context else o.label) for o in (step.options if step else ())]

    return {
        "barriers": options(BARRIERS),
        "always_for": options(BARRIERS),
        "goal_kinds": options(GOAL_KIND),
        "ages": options(AGE),
        "report_lines": [(sub, group_label(sub)) for sub in SUBGROUPS],
    }


def _questions() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The questions whose answers a program can fit or be conditioned on, each (step id, question, options), in
    Japanese: the intake's situation questions, the areas to improve, the barriers and the goal kind."""
    engine = intake_engine()
    produces = engine.dialogue.produces
    ids = [*produces.steps(AREAS), *produces.steps("situation"), *produces.steps(BARRIERS), *produces.steps(GOAL_KIND)]
    questions = []
    for step_id in dict.fromkeys(ids):
        step = engine.dialogue.steps.get(step_id)
        if step is None or not step.options:
            continue
        labels = [(o.id, translate(o.context, o.label) if o.context else o.label) for o in step.options]
        questions.append((step.id, paragraphs(step_text(engine, step))[0], labels))
    return questions


def _form_values(values: dict, form) -> dict:
    """What the form shows: the program's values, or a refused form as it was sent."""
    shown = dict(values)
    for key in CONDITIONS:
        shown.setdefault(f"{key}_lists", program_conditions.stored_lists(values.get(key), key))
    if not form:
        shown["picked"] = {"answers": values.get("answers") or {}, **{k: shown[f"{k}_lists"] or {} for k in CONDITIONS}}
        return shown
    shown.update({part: form.get(part, "") for part in (*TEXTS, "group", "id")})
    shown.update({name: form.getlist(name) for name in LISTS})
    shown["employment"] = form.get("employment") == "yes"
    shown["picked"] = {field: _picked(form, field) for field in ANSWER_LISTS}
    return shown


def _list_page(form=None, problems=(), status: int = 200):
    office = current_office()
    rows = programs.programs_of(office)
    if rows:
        listed = [{"key": r.key, "name": r.name, "group": r.group, "retired": r.retired_at} for r in rows]
    else:
        listed = [_file_values(p) for p in programs.file_programs()]
    blank = {"group": GROUPS[0], "employment": False, "answers": {}, **{name: [] for name in LISTS}}
    return render_template(
        "caseworker/programs.html",
        programs=listed,
        own=bool(rows),
        values=_form_values(blank, form),
        choices=_choices(),
        questions=_questions(),
        groups=GROUPS,
        problems=problems,
    ), status


def _program_page(key: str, form=None, problems=(), status: int = 200, message: str | None = None):
    values = _values(key)
    return render_template(
        "caseworker/program.html",
        key=key,
        values=_form_values(values, form),
        version=values["version"],
        retired=values["retired"],
        choices=_choices(),
        questions=_questions(),
        groups=GROUPS,
        problems=problems,
        message=message,
    ), status
