"""The translator's side: progress per language, every string of a dialogue in context, and a preview walk.

The pages read the same files a translator edits (translations/<locale>/LC_MESSAGES/*.po), so a
saved file shows here on the next reload, before anything is compiled. They are in English, the
source language every translator reads, and set apart from the recipient's and caseworker's text
so the catalogues hold only what recipients and caseworkers see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import refresh
from flask_login import current_user, login_required

from ..i18n import bcp47, catalogues, readings
from ..services import conversations, programs
from .common import engines, intake_engine, no_store
from .offices import current_office

bp = Blueprint("translator", __name__, url_prefix="/translate")
# Who may open these pages. Accounts and roles are managed on the caseworker side (issue 3).
TRANSLATOR_ROLES = {"translator", "admin"}
# The translator pages' own text is English: see the module docstring.
PAGE_LOCALE = "en"


@bp.before_request
@login_required
def _translators_only():
    if getattr(current_user, "role", None) not in TRANSLATOR_ROLES:
        abort(403)
    g.locale = PAGE_LOCALE
    refresh()


@bp.after_request
def _no_store(response):
    return no_store(response)


def _translations() -> Path:
    return Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")[0])


def _locales() -> list[str]:
    configured = list(current_app.config["LANGUAGES"])
    return configured + [code for code in catalogues.locales_on_disk(_translations()) if code not in configured]


def _known(locale: str) -> str:
    if locale not in _locales():
        abort(404)
    return locale


@bp.get("/")
def index():
    """Every language's progress, with links to its preview."""
    translations = _translations()
    template = catalogues.read(translations / "messages.pot")
    furigana = current_app.config["FURIGANA"]
    rows = [catalogues.status(template, translations, code, furigana=code in furigana) for code in _locales()]
    missing = programs.untranslated(current_office(), list(current_app.config["LANGUAGES"]))
    return render_template(
        "translator/index.html",
        rows=rows,
        names=current_app.config["LANGUAGES"],
        draft=set(current_app.config["LANGUAGES_DRAFT"]),
        program_texts={code: sum(1 for m in missing if m.locale == code) for code in current_app.config["LANGUAGES"]},
    )


@bp.get("/programs/<locale>")
def program_texts(locale: str):
    """The office's own program texts this language lacks (or has for an older text), each with a field to translate it."""
    locale = _program_locale(locale)
    return render_template(
        "translator/programs.html",
        locale=locale,
        name=current_app.config["LANGUAGES"][locale],
        missing=programs.untranslated(current_office(), [locale]),
    )


@bp.post("/programs/<locale>")
def save_program_texts(locale: str):
    """Save the translations entered (empty fields are left untranslated)."""
    locale = _program_locale(locale)
    for item in programs.untranslated(current_office(), [locale]):
        text = request.form.get(f"{item.program.key}:{item.field}", "")
        programs.save_translation(current_user, current_office(), item.program.key, locale, item.field, text)
    return redirect(url_for("translator.program_texts", locale=locale), code=303)


def _program_locale(locale: str) -> str:
    if locale not in current_app.config["LANGUAGES"] or locale == programs.OFFICE_LOCALE:
        abort(404)
    return locale


@dataclass
class Entry:
    """One string as the translator sees it: source, translation, readings and its state."""

    context: str | None
    source: str
    comment: str
    translation: str = ""
    state: str = "untranslated"  # untranslated | fuzzy | translated
    previous: str = ""
    ruby: str = ""
    reading: str = ""
    reading_to_review: bool = False  # proposed by the analyser, not yet confirmed


@dataclass
class Group:
    """The strings of one dialogue step (or one template, one data file)."""

    title: str
    subtitle: str = ""
    entries: list[Entry] = field(default_factory=list)
    anchor: str = ""  # the section's id: from the group's key, so unique on the page


def _groups(locale: str) -> list[Group]:
    translations = _translations()
    template = catalogues.read(translations / "messages.pot")
    path = catalogues.po_path(translations, locale)
    catalog = catalogues.read(path) if path.exists() else None
    ruby = readings.table(translations, locale) if locale in current_app.config["FURIGANA"] else {}
    stored_readings = readings.load(readings.readings_path(translations, locale))
    annotated = {m.id: m for m in (stored_readings or ()) if m.id}
    dialogues = engines()
    groups: dict[str, Group] = {}
    for source in template:
        if not source.id:
            continue
        where = source.locations[0][0] if source.locations else "other"
        key, group = _group_for(source, where, dialogues)
        group = groups.setdefault(key, group)
        group.anchor = group.anchor or "group-" + re.sub(r"[^A-Za-z0-9_-]+", "-", key)
        source_text = " / ".join(source.id) if isinstance(source.id, tuple | list) else source.id  # singular / plural
        entry = Entry(source.context, source_text, " ".join(source.auto_comments).removeprefix("i18n: "))
        message = catalog.get(source.id, context=source.context) if catalog is not None else None
        if message is not None and message.string:
            plural = isinstance(message.string, tuple | list)
            entry.translation = " / ".join(message.string) if plural else message.string  # every plural form
            entry.state = "fuzzy" if message.fuzzy else "translated"
            entry.previous = catalogues.previous_source(message) or ""
            entry.ruby = ruby.get(message.string, "")
            reading = annotated.get(message.string)
            if reading is not None:
                entry.reading, entry.reading_to_review = reading.string, reading.fuzzy
        group.entries.append(entry)
    return list(groups.values())


def _group_for(source, where: str, dialogues) -> tuple[str, Group]:
    """Dialogue strings group by step (with its section); other strings by the file they come from."""
    parts = (source.context or "").split(":")
    if where.startswith("dialogues/") and parts[0] in dialogues and len(parts) > 1:
        dialogue = dialogues[parts[0]].dialogue
        # A repeated step's text is one message for all rounds: its context names the shared key.
        step = next((s for s in dialogue.steps.values() if s.text_key == parts[1]), None)
        if step is not None:
            section = dialogue.section_of(step.id)
            return f"{parts[0]}:{step.text_key}", Group(
                f"Step {step.text_key}", f"{step.kind} · section “{section.title}”"
            )
        return f"{parts[0]}:{parts[1]}", Group(f"{dialogue.id}: {parts[1]}", "dialogue-wide text")
    return where, Group(where, "page text" if where.startswith("templates/") else "")


@bp.get("/<locale>/")
def preview(locale: str):
    """Every string of the dialogue and the pages, step by step: source and translation side by side, with readings."""
    locale = _known(locale)
    groups = _groups(locale)
    counts = {
        state: sum(1 for grp in groups for e in grp.entries if e.state == state)
        for state in ("translated", "fuzzy", "untranslated")
    }
    return render_template(
        "translator/preview.html",
        locale=locale,
        name=current_app.config["LANGUAGES"].get(locale, locale),
        lang=bcp47(locale),
        groups=groups,
        counts=counts,
    )


@bp.post("/<locale>/walk")
def walk(locale: str):
    """Walk the kiosk dialogue in this language on a preview intake: never sent, never listed for caseworkers."""
    locale = _known(locale)
    from .kiosk import SESSION_KEY

    intake = conversations.start(intake_engine(), locale, preview=True)
    session[SESSION_KEY] = intake.token  # the translator stays signed in; Finish on the kiosk ends both
    return redirect(url_for("kiosk.show_step"))
