"""An office's program catalogue: read it (cached per office and version), change it, translate it.

An office starts with the installation's dialogues/programs.yaml (version 0: the engines start-up
built, texts through the gettext catalogues). The admin's first change copies the file into the
office's own rows (records/programs.py) and from then on every change is checked with the same
rules as the file (intake/domain/programs.py, office.py), audited, and moves the catalogue's version,
so each worker rebuilds its cached copy of that office's catalogue on its next request and only then.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from babel.support import Translations
from flask import current_app
from sqlalchemy import update

from ..domain.answers import N_
from ..domain.engine import Engine
from ..domain.office import program_fit_problems
from ..domain.programs import TEXTS, Program, ProgramProblem, check_catalogue, check_entry
from ..extensions import db
from ..records import OfficeProgram, ProgramText, User, utcnow
from ..records.offices import Office
from ..unit_of_work import StaleWrite
from . import audit_log

# The office's own program texts are written by its staff, in Japanese; recipients' languages translate them.
OFFICE_LOCALE = "ja"
# Shown where a recipient language has no translation yet, before the office's Japanese.
FALLBACK_LOCALE = "en"
CACHE_KEY = "yorisoi.program_catalogues"


class ProgramError(Exception):
    """A program change the catalogue's rules refuse; nothing was stored."""

    def __init__(self, problems: list[ProgramProblem]):
        self.problems = problems
        super().__init__("; ".join(p.reason for p in problems))


@dataclass(frozen=True)
class Catalogue:
    """One office's programs as the engines use them, at one version (0: programs.yaml as installed)."""

    version: int
    engines: Mapping[str, Engine]
    # context (program:<id>:<field>) → locale → text, the office text under OFFICE_LOCALE; None at version 0,
    # where the gettext catalogues translate the file's English.
    texts: Mapping[str, Mapping[str, str]] | None


def catalogue(office: Office) -> Catalogue:
    """The office's catalogue: this worker's copy, unless the version on the office's row has moved since."""
    base = current_app.extensions["yorisoi.engines"]
    version = office.program_catalogue_version
    if version is None:
        return Catalogue(0, base, None)
    cache = current_app.extensions.setdefault(CACHE_KEY, {})
    cached = cache.get(office.id)
    if cached is None or cached.version != version:
        cached = cache[office.id] = _build(office, version, base)
    return cached


def _build(office: Office, version: int, base: Mapping[str, Engine]) -> Catalogue:
    rows = _rows(office)
    programs = {row.id: _program(row) for row in rows}
    offered = tuple(programs[row.id] for row in rows if row.retired_at is None)
    retired = tuple(programs[row.id] for row in rows if row.retired_at is not None)
    texts: dict[str, dict[str, str]] = {}
    for row in rows:
        for part in TEXTS:
            texts[programs[row.id].context(part)] = {OFFICE_LOCALE: getattr(row, part)}
    for text in db.session.scalars(db.select(ProgramText)):
        program = programs.get(text.program_id)
        if program is not None and text.source == getattr(program, text.field, None):
            texts[program.context(text.field)][text.locale] = text.text
    engines = {key: engine.with_programs(offered, retired) for key, engine in base.items()}
    return Catalogue(version, engines, texts)


def _rows(office: Office) -> list[OfficeProgram]:
    query = db.select(OfficeProgram).order_by(OfficeProgram.position, OfficeProgram.id)
    return list(db.session.scalars(query))


def _entry(row: OfficeProgram) -> dict[str, object]:
    """A stored program as a programs.yaml entry, for the file's own checker."""
    entry = {
        "id": row.key,
        "name": row.name,
        "group": row.group,
        "description": row.description,
        "action": row.action,
        "barriers": list(row.barriers or ()),
        "goal_kinds": list(row.goal_kinds or ()),
    }
    optional = {
        "report_lines": row.report_lines,
        "always_for": row.always_for,
        "answers": row.answers,
        "ages": row.ages,
        "employment": row.employment,
        "require": row.require,
        "exclude": row.exclude,
    }
    return entry | {key: value for key, value in optional.items() if value}


def _program(row: OfficeProgram) -> Program:
    program, _problems = check_entry(_entry(row))  # stored rows passed these checks when written
    return program


# --- the admin's changes -----------------------------------------------------------------------


def programs_of(office: Office) -> list[OfficeProgram]:
    """The office's own rows (empty while it uses programs.yaml), retired ones included, in the list's order."""
    return _rows(office)


def file_programs() -> tuple[Program, ...]:
    return current_app.extensions["yorisoi.engines"][current_app.config["INTAKE_DIALOGUE"]].programs


def find_program(office: Office, key: str) -> OfficeProgram | None:
    return db.session.scalar(db.select(OfficeProgram).filter_by(key=key))


def own_catalogue(actor: User, office: Office) -> None:
    """Make the office's catalogue its own, on its first change: programs.yaml copied into rows, with every
    recipient language's text the gettext catalogues have for it. Two admins' first changes at once: one wins,
    the other gets StaleWrite (their form is stale anyway)."""
    if office.program_catalogue_version is not None:
        return
    first = db.session.execute(
        update(Office).where(Office.id == office.id, Office.program_catalogue_version.is_(None)).values(program_catalogue_version=1),
        execution_options={"synchronize_session": False},
    )
    if first.rowcount != 1:  # another admin's first change came first
        raise StaleWrite()
    db.session.expire(office, ["program_catalogue_version"])
    catalogues = _gettext_catalogues()
    office_texts = catalogues.pop(OFFICE_LOCALE)
    for position, program in enumerate(file_programs()):
        own = {part: office_texts.upgettext(program.context(part), getattr(program, part)) for part in TEXTS}
        row = OfficeProgram(office_id=office.id, key=program.id, position=position, **_values(program, own))
        db.session.add(row)
        db.session.flush()
        for locale, translations in catalogues.items():
            for part in TEXTS:
                english = getattr(program, part)
                text = english if translations is None else translations.upgettext(program.context(part), english)
                if translations is None or text != english:
                    db.session.add(
                        ProgramText(
                            office_id=office.id, program_id=row.id, locale=locale, field=part, text=text, source=own[part]
                        )
                    )
    audit_log.audit(actor, None, "programs", "programs.yaml copied into the office's own catalogue")


def _gettext_catalogues() -> dict[str, Translations | None]:
    """Each recipient language's messages catalogue on its own (no fallback); None for English, the file's language."""
    directory = Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")[0])
    return {
        locale: None if locale == FALLBACK_LOCALE else Translations.load(directory, [locale], "messages")
        for locale in current_app.config["LANGUAGES"]
    }


def _values(program: Program, texts: Mapping[str, str]) -> dict[str, object]:
    answers: dict[str, list[str]] = {}
    for step, option in program.answers:
        answers.setdefault(step, []).append(option)
    return {
        "name": texts["name"],
        "description": texts["description"],
        "action": texts["action"],
        "group": program.group,
        "barriers": list(program.barriers),
        "goal_kinds": list(program.goal_kinds),
        "report_lines": list(program.report_lines),
        "always_for": list(program.always_for),
        "answers": answers,
        "ages": list(program.ages),
        "employment": program.employment,
        "require": _plain(program.require.spec) if program.require else None,
        "exclude": _plain(program.exclude.spec) if program.exclude else None,
    }


def _plain(value: object) -> object:
    """A rule as read from YAML (line-aware dicts and lists) as plain JSON values."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def save_program(
    actor: User, office: Office, entry: Mapping[str, object], *, key: str | None = None, expected_version: object = None
) -> OfficeProgram:
    """Add a program (key None) or change the one with this key; checked whole with programs.yaml's rules first.

    `expected_version` is the program's version when the form was loaded: an older one raises StaleWrite.
    """
    own_catalogue(actor, office)
    row = None
    if key is not None:
        row = find_program(office, key)
        if row is None:
            raise ProgramError([ProgramProblem(key, None, N_("There is no program '%(id)s'."), {"id": key})])
        if expected_version is not None and str(expected_version) != str(row.version):
            raise StaleWrite()
        entry = {**entry, "id": row.key}  # plans store the id: it never changes
    program, problems = check_entry(entry)
    if program is not None:
        others = [_program(r) for r in _rows(office) if r is not row]
        problems += check_catalogue([*others, program])
        for engine in current_app.extensions["yorisoi.engines"].values():
            problems += [p for p in program_fit_problems(engine.dialogue, [program]) if p not in problems]
    if problems:
        raise ProgramError(problems)
    values = _values(program, {part: getattr(program, part) for part in TEXTS})
    if row is None:
        position = db.session.scalar(db.select(db.func.max(OfficeProgram.position)))
        row = OfficeProgram(office_id=office.id, key=program.id, position=(position or 0) + 1, **values)
        db.session.add(row)
        detail = f"{program.id}: added"
    else:
        changed = sorted(field for field, value in values.items() if _same(getattr(row, field)) != _same(value))
        if not changed:
            return row
        for field in changed:
            setattr(row, field, values[field])
        detail = f"{program.id}: {', '.join(changed)} changed"
    _moved(office)
    audit_log.audit(actor, None, "programs", detail)
    return row


def _same(value: object) -> object:
    """A value as compared for "changed": the order of a list (of ids, or of a condition's parts) means nothing."""
    if isinstance(value, list | tuple):
        return sorted((_same(item) for item in value), key=repr)
    if isinstance(value, dict):
        return {key: _same(item) for key, item in value.items()}
    return value


def set_retired(actor: User, office: Office, key: str, retired: bool, expected_version: object = None) -> OfficeProgram:
    """Retire a program (no longer offered or suggested; plans naming it keep its name), or offer it again."""
    own_catalogue(actor, office)
    row = find_program(office, key)
    if row is None:
        raise ProgramError([ProgramProblem(key, None, N_("There is no program '%(id)s'."), {"id": key})])
    if expected_version is not None and str(expected_version) != str(row.version):
        raise StaleWrite()
    if (row.retired_at is not None) != retired:
        row.retired_at = utcnow() if retired else None
        _moved(office)
        audit_log.audit(actor, None, "programs", f"{key}: {'retired' if retired else 'offered again'}")
    return row


def _moved(office: Office) -> None:
    """Every worker's cached copy of this catalogue is now old."""
    db.session.flush()
    db.session.execute(
        update(Office)
        .where(Office.id == office.id)
        .values(program_catalogue_version=Office.program_catalogue_version + 1),
        execution_options={"synchronize_session": False},
    )
    db.session.expire(office, ["program_catalogue_version"])


# --- translation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Untranslated:
    """One program text a recipient language lacks (or whose translation is older than the office's text)."""

    program: OfficeProgram
    field: str
    source: str
    locale: str
    outdated: str | None  # the translation of an earlier text, if any


def untranslated(office: Office, locales: list[str]) -> list[Untranslated]:
    """The office's offered program texts not (or no longer) translated into these languages; empty while it
    uses programs.yaml, whose texts the gettext catalogues hold."""
    rows = [row for row in _rows(office) if row.retired_at is None]
    stored = {
        (t.program_id, t.locale, t.field): t for t in db.session.scalars(db.select(ProgramText))
    }
    missing = []
    for locale in locales:
        if locale == OFFICE_LOCALE:
            continue
        for row in rows:
            for part in TEXTS:
                source = getattr(row, part)
                text = stored.get((row.id, locale, part))
                if text is None or text.source != source:
                    missing.append(Untranslated(row, part, source, locale, text.text if text else None))
    return missing


def save_translation(actor: User, office: Office, key: str, locale: str, field: str, text: str) -> None:
    """A translator's text for one program field in one language, made from the office's current text."""
    row = find_program(office, key)
    text = text.strip()
    if row is None or field not in TEXTS or locale == OFFICE_LOCALE or locale not in current_app.config["LANGUAGES"]:
        raise ProgramError([ProgramProblem(key, field, N_("There is no such program text to translate."))])
    if not text:
        return
    stored = db.session.scalar(db.select(ProgramText).filter_by(program_id=row.id, locale=locale, field=field))
    if stored is None:
        stored = ProgramText(office_id=office.id, program_id=row.id, locale=locale, field=field)
        db.session.add(stored)
    stored.text, stored.source = text, getattr(row, field)
    _moved(office)
    audit_log.audit(actor, None, "programs", f"{key}: {field} translated ({locale})")
