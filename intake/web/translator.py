"""The translator's side: progress per language, every string of a dialogue in context, one kiosk screen, a preview walk.

The pages read the same files a translator edits (translations/<locale>/LC_MESSAGES/*.po), so a
saved file shows here on the next reload, before anything is compiled. They are in English, the
source language every translator reads, and set apart from the recipient's and caseworker's text
so the catalogues hold only what recipients and caseworkers see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import force_locale, pgettext, refresh
from flask_login import current_user, login_required

from ..domain.step_counts import OUTLIER_FACTOR, OUTLIER_MIN_COUNT, Outlier
from ..i18n import FURIGANA_CHOICE, bcp47, catalogues, furigana_shown, plain, readability, readings, step_text
from ..services import conversations, previews, programs, step_counts
from .caseworker.access import password_first
from .common import engines, intake_engine, no_store, office_today
from .kiosk import TEXT_SIZES, transcript
from .offices import current_office
from .small_cells import shown
from .step_view import step_view

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
    return password_first()


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
        screens=_screens(),
        readable=_readability_summaries(),
        program_texts={code: sum(1 for m in missing if m.locale == code) for code in current_app.config["LANGUAGES"]},
    )


def _readability(locale: str) -> list[readability.Score] | None:
    """The readability of a Japanese catalogue's strings; None when the analyser is not installed."""
    try:
        return readability.scores(catalogues.po_path(_translations(), locale))
    except readability.ReadabilityUnavailable:
        return None


def _readability_summaries() -> dict[str, readability.Summary | None]:
    """For the status table: Easy Japanese, and Japanese to compare it with (None: the analyser is not installed)."""
    found = {code: _readability(code) for code in current_app.config["FURIGANA"] if code in _locales()}
    return {code: readability.summary(scores) if scores is not None else None for code, scores in found.items()}


def _about_language(template: str, locale: str, **values):
    """A translator page about one language: its id, its own name and its HTML lang, with the page's values."""
    name = current_app.config["LANGUAGES"].get(locale, locale)
    return render_template(template, locale=locale, name=name, lang=bcp47(locale), **values)


@bp.get("/<locale>/readability")
def readability_page(locale: str):
    """Every string of a Japanese catalogue with its readability score and band, the hardest first."""
    locale = _known(locale)
    if locale not in current_app.config["FURIGANA"]:
        abort(404)
    scores = _readability(locale)
    return _about_language(
        "translator/readability.html",
        locale,
        scores=scores,
        summary=readability.summary(scores) if scores is not None else None,
        bands=readability.BANDS,
        hard_below=readability.HARD_BELOW,
        min_words=readability.MIN_WORDS,
    )


@bp.get("/programs/<locale>")
def program_texts(locale: str):
    """The office's own program texts this language lacks (or has for an older text), each with a field to translate it."""
    locale = _program_locale(locale)
    return _about_language(
        "translator/programs.html", locale, missing=programs.untranslated(current_office(), [locale])
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
    readability: readability.Score | None = None  # Japanese catalogues: how hard the translation reads


@dataclass
class Group:
    """The strings of one dialogue step (or one template, one data file)."""

    title: str
    subtitle: str = ""
    entries: list[Entry] = field(default_factory=list)
    anchor: str = ""  # the section's id: from the group's key, so unique on the page
    dialogue: str = ""  # a dialogue step's group: the step to open on the kiosk (a repeated step's first round)
    step: str = ""


def _groups(locale: str) -> list[Group]:
    translations = _translations()
    template = catalogues.read(translations / "messages.pot")
    path = catalogues.po_path(translations, locale)
    catalog = catalogues.read(path) if path.exists() else None
    ruby = readings.table(translations, locale) if locale in current_app.config["FURIGANA"] else {}
    stored_readings = readings.load(readings.readings_path(translations, locale))
    annotated = {m.id: m for m in (stored_readings or ()) if m.id}
    japanese = locale in current_app.config["FURIGANA"]
    scored = {(s.context, s.source): s for s in (_readability(locale) or ())} if japanese else {}
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
            singular = source.id[0] if isinstance(source.id, tuple | list) else source.id
            entry.readability = scored.get((source.context, singular))
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
                f"Step {step.text_key}",
                f"{step.kind} · section “{section.title}”",
                dialogue=dialogue.id if step.asked else "",
                step=step.id,
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
    return _about_language(
        "translator/preview.html",
        locale,
        groups=groups,
        counts=counts,
        furigana=locale in current_app.config["FURIGANA"],
    )


@dataclass(frozen=True)
class SampleScreen:
    """What the kiosk templates read of an intake, for a screen shown with sample answers and no intake."""

    locale: str
    status: str = "preview"
    token: str = ""
    receipt_code: str = "ABCD2345"  # a made-up code where the done page shows one


def _screens() -> dict[str, list]:
    """The screens of every dialogue a translator can open: the steps a recipient sees, in file order."""
    return {
        dialogue_id: [step for step in engine.dialogue.steps.values() if step.asked]
        for dialogue_id, engine in engines().items()
    }


def _sample_texts() -> list[str]:
    """Words a recipient might write or an office supply, in the page's language: the goal suggestions."""
    dialogue = intake_engine().dialogue
    return [pgettext(dialogue.context("goal", s.id), s.text) for s in dialogue.goal_suggestions]


@bp.get("/<locale>/kiosk/<dialogue_id>/<step_id>")
def kiosk_step(locale: str, dialogue_id: str, step_id: str):
    """One screen of a dialogue as the kiosk renders it, in any language, with sample answers before it.

    No intake is created and nothing is stored: the conversation is built for this page and
    forgotten. The kiosk's buttons are inert here; the toolbar above them moves between screens,
    languages, furigana and text sizes (plain links and a GET form).
    """
    locale = _known(locale)
    screens = _screens()
    steps = screens.get(dialogue_id) or abort(404)
    ids = [step.id for step in steps]
    if step_id not in ids:
        abort(404)
    engine = engines()[dialogue_id]
    g.locale = locale
    # Furigana as asked in the link, else the language's default (never the translator's own kiosk session).
    g.setdefault(FURIGANA_CHOICE, {"on": True, "off": False}.get(request.args.get("furigana")))
    refresh()
    today = office_today()
    conversation = previews.preview_at(engine, step_id, today=today, language=locale, texts=_sample_texts())
    view = step_view(engine, conversation, today=today)
    size = request.args.get("size")
    position = ids.index(step_id)
    return render_template(
        "translator/kiosk_step.html",
        step_template=view.kind.template,
        intake=SampleScreen(locale),
        step=view.step,
        view=view,
        transcript=transcript(engine, conversation),
        display={"text_size": size if size in TEXT_SIZES else TEXT_SIZES[0], "furigana": furigana_shown()},
        text_sizes=TEXT_SIZES,
        preview={
            "locale": locale,
            "dialogue": dialogue_id,
            "screens": screens,
            "locales": _locales(),
            "names": current_app.config["LANGUAGES"],
            "furigana": request.args.get("furigana", ""),
            "has_furigana": locale in current_app.config["FURIGANA"],
            "size": size if size in TEXT_SIZES else "",
            "previous": ids[position - 1] if position > 0 else None,
            "next": ids[position + 1] if position + 1 < len(ids) else None,
        },
    )


@bp.post("/<locale>/walk")
def walk(locale: str):
    """Walk the kiosk dialogue in this language on a preview intake: never sent, never listed for caseworkers."""
    locale = _known(locale)
    from .kiosk import SESSION_KEY

    intake = conversations.start(intake_engine(), locale, preview=True)
    session[SESSION_KEY] = intake.token  # the translator stays signed in; Finish on the kiosk ends both
    return redirect(url_for("kiosk.show_step"))


@bp.get("/screen")
def open_screen():
    """The screen picker's GET form (on the status page and above a screen): redirect to that screen."""
    dialogue_id, _, step_id = request.args.get("screen", "").partition(":")
    locale = _known(request.args.get("locale", ""))
    options = {key: request.args[key] for key in ("furigana", "size") if request.args.get(key)}
    return redirect(url_for(".kiosk_step", locale=locale, dialogue_id=dialogue_id, step_id=step_id, **options))


# The translator's view of the office's anonymous step counts: the last year, to the office's today.
STOPS_DAYS = 365


@dataclass(frozen=True)
class Stop:
    """A step where this language's errors, skips or abandonments are well above the other languages'."""

    outlier: Outlier
    kind: str
    source: str
    translation: str

    def shown(self, count: int) -> str:
        return shown(count)


@bp.get("/<locale>/stops")
def stops(locale: str):
    """The steps where this language's recipients get errors, skip or stop well more often than in the other languages.

    From the office's anonymous step counts (never a person's answers): each step with its string in this language
    and in English, and a link to the screen as the kiosk shows it.
    """
    locale = _known(locale)
    today = office_today()
    dialogues = engines()
    asked = {
        key: [step.id for step in engine.dialogue.steps.values() if step.asked] for key, engine in dialogues.items()
    }
    found = []
    for outlier in step_counts.language_stops(today - timedelta(days=STOPS_DAYS), today, asked, locale):
        engine = dialogues[outlier.dialogue_id]
        step = engine.step(outlier.step_id)
        with force_locale(locale):
            translation = str(plain(step_text(engine, step))) if step.prompt else ""
        found.append(Stop(outlier, step.kind, step.prompt, translation))
    return _about_language(
        "translator/stops.html",
        locale,
        stops=found,
        days=STOPS_DAYS,
        factor=OUTLIER_FACTOR,
        minimum=OUTLIER_MIN_COUNT,
    )
