"""The gettext catalogues on disk: extract, update and compile through Babel's own command classes;
status and checks for translators.

Everything here reads and writes standard gettext files with Babel, so Poedit, Weblate or
Transifex work on the same files. Checks come from Babel (`Catalog.check()`: placeholder names
and types) and translate-toolkit's pofilter checkers (printf placeholders both ways, XML/HTML
tags); the one check of our own formats each translation the way the page will, so a catalogue
that would raise at runtime fails here instead.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.checkers import TranslationError
from babel.messages.pofile import read_po, write_po

from ..config import ROOT
from . import readings

TRANSLATIONS = ROOT / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
# N_ marks engine messages; built_in_option(id, context, label) marks the engine's own options.
KEYWORDS = "N_ built_in_option:2c,3"
WIDTH = 100
MESSAGES_FILE = "messages.po"
# A fuzzy string whose English changed carries the old English in a translator comment
# ("# previous source: …"), which every PO editor shows and Babel keeps through updates.
PREVIOUS_NOTE = "previous source: "
# pofilter checks that fit a gettext catalogue of UI text (the others are style advice).
TOOLKIT_CHECKS = ["printf", "xmltags"]


def run_babel(command_class: str, **options) -> None:
    """Run one of Babel's command classes, as `pybabel` would."""
    from babel.messages import frontend

    command = getattr(frontend, command_class)()
    command.initialize_options()
    for name, value in options.items():
        setattr(command, name, value)
    command.finalize_options()
    command.run()


def extract(output: Path = TEMPLATE) -> None:
    """Python, templates and dialogue files → the .pot (mapping in pyproject.toml)."""
    with contextlib.chdir(ROOT):  # locations in the .pot stay relative to the project
        run_babel(
            "ExtractMessages",
            input_paths=["."],
            output_file=str(output),
            mapping_file="pyproject.toml",
            keywords=KEYWORDS,
            add_comments="i18n:",
            sort_by_file=True,
            project="Yorisoi",
            version="1",
            msgid_bugs_address="",
            width=WIDTH,
        )


def update(translations: Path = TRANSLATIONS, configured: Iterable[str] = ()) -> dict[str, int]:
    """Merge the template into every locale's messages.po; start a catalogue for each configured locale without one.

    New strings appear untranslated. A changed string keeps its old translation, fuzzy, with the old
    English in a PREVIOUS_NOTE: Babel's fuzzy matching finds similar wording, carry_by_context finds
    a reworded dialogue field by its msgctxt. Returns, per locale, how many were carried by context.
    """
    template = translations / "messages.pot"
    for locale in missing_locales(translations, configured):
        run_babel("InitCatalog", input_file=str(template), output_dir=str(translations), locale=locale, width=WIDTH)
    run_babel(
        "UpdateCatalog",
        input_file=str(template),
        output_dir=str(translations),
        width=WIDTH,
        ignore_obsolete=False,  # kept for carry_by_context below, then dropped
        no_fuzzy_matching=False,
        previous=True,
    )
    carried = {}
    for locale in locales_on_disk(translations):
        path = po_path(translations, locale)
        catalog = read(path)
        note_previous_sources(catalog)
        carried[locale] = carry_by_context(catalog)
        drop_obsolete(catalog)
        write(catalog, path)
    return carried


def compile_all(translations: Path = TRANSLATIONS) -> None:
    """Build the .mo files the app reads (not committed)."""
    run_babel("CompileCatalog", directory=str(translations), use_fuzzy=False, statistics=True)


def po_path(translations: Path, locale: str) -> Path:
    return translations / locale / "LC_MESSAGES" / MESSAGES_FILE


def read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def write(catalog: Catalog, path: Path) -> None:
    # No `#|` lines: Babel reads them back as comments and wraps long ones badly; see PREVIOUS_NOTE.
    with path.open("wb") as handle:
        write_po(handle, catalog, width=WIDTH, include_previous=False)


def _key(message: Message) -> tuple[str, str | None]:
    msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return msgid, message.context


# -- status ----------------------------------------------------------------------------------------


@dataclass
class Status:
    """One locale's progress against the template."""

    locale: str
    total: int = 0
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    changed: int = 0  # fuzzy because the English source changed since it was translated
    readings: int | None = None  # stored readings (furigana locales only)
    readings_to_review: int | None = None  # proposed by the analyser, not yet confirmed

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.translated == self.total


def status(template: Catalog, translations: Path, locale: str, *, furigana: bool = False) -> Status:
    """Counts for one locale; strings in the template but missing from the .po count as untranslated."""
    result = Status(locale)
    path = po_path(translations, locale)
    catalog = read(path) if path.exists() else Catalog(locale=locale)
    by_key = {_key(m): m for m in catalog if m.id}
    for source in template:
        if not source.id:
            continue
        result.total += 1
        message = by_key.get(_key(source))
        if message is None or not _translated_text(message):
            result.untranslated += 1
        elif message.fuzzy:
            result.fuzzy += 1
            if previous_source(message):
                result.changed += 1
        else:
            result.translated += 1
    if furigana:
        stored = readings.load(readings.readings_path(translations, locale))
        entries = [m for m in (stored or ()) if m.id]
        result.readings = len(entries)
        result.readings_to_review = sum(1 for m in entries if m.fuzzy)
    return result


def _translated_text(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else [message.string]
    return all(strings) and bool(strings)


# -- check -----------------------------------------------------------------------------------------


@dataclass
class Report:
    """What `check` found in one locale: errors fail a shipped locale; a draft's are only listed."""

    locale: str
    shipped: bool
    errors: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.shipped and bool(self.errors)


def _where(message: Message) -> str:
    msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
    label = msgid if len(msgid) <= 50 else msgid[:50] + "…"
    return f"[{message.context}] {label!r}" if message.context else repr(label)


def formats_like_source(catalog: Catalog, message: Message) -> None:
    """A Babel checker: a string the page formats with `%` must format in translation too.

    Jinja's gettext applies `%` to every template string, and reflecting prompts and Python messages
    with placeholders are formatted; a stray '%' or a placeholder with its type letter cut off would
    raise there, so it must fail here.
    """
    if not message.id or not message.string or isinstance(message.id, tuple | list):
        return
    formatted = message.python_format or any(path.startswith("templates/") for path, _line in message.locations)
    if not formatted:
        return
    names = _AnyName()
    try:
        message.id % names
    except (KeyError, ValueError, TypeError):
        return  # the source itself is not a format string
    try:
        message.string % names
    except (KeyError, ValueError, TypeError) as err:
        raise TranslationError(f"the translation does not format like the source: {err}") from None


class _AnyName(dict):
    """A mapping with a value for any placeholder name, as the page's values would be."""

    def __missing__(self, key):
        return "x"


def _toolkit_failures(path: Path) -> dict[tuple[str, str | None], list[str]]:
    """translate-toolkit's pofilter checks, keyed like Babel messages."""
    try:
        from translate.filters import checks
        from translate.storage import factory
    except ImportError as missing:  # the translators extra, not a runtime dependency
        raise RuntimeError(
            "the catalogue check needs translate-toolkit: pip install -e '.[translators]' (make check does)"
        ) from missing

    checker = checks.StandardChecker(limitfilters=TOOLKIT_CHECKS)
    failures: dict[tuple[str, str | None], list[str]] = {}
    for unit in factory.getobject(str(path)).units:
        if unit.isheader() or not unit.istranslated():
            continue
        found = checker.run_filters(unit)
        if found:
            context = unit.getcontext() or None
            failures[(str(unit.source), context)] = [f"{name}: {text}" for name, text in found.items()]
    return failures


def check(
    template: Catalog,
    translations: Path,
    locale: str,
    *,
    shipped: bool,
    furigana: bool,
) -> Report:
    """Every problem in one locale: missing, untranslated or fuzzy strings, broken placeholders and markup, readings."""
    report = Report(locale, shipped)
    path = po_path(translations, locale)
    if not path.exists():
        report.errors.append(f"{path} does not exist (run `flask intake i18n update`)")
        return report
    catalog = read(path)
    by_key = {_key(m): m for m in catalog if m.id}
    for source in template:
        if not source.id:
            continue
        message = by_key.get(_key(source))
        found = report.errors
        if message is None:
            found.append(f"missing {_where(source)} (run `flask intake i18n update`)")
        elif not _translated_text(message):
            found.append(f"untranslated {_where(source)}")
        elif message.fuzzy:
            found.append(f"fuzzy {_where(source)}: review it, then clear the fuzzy flag")
    for message, errors in catalog.check():  # Babel's checkers: placeholder names and types
        if message.fuzzy:
            continue
        for error in errors:
            report.errors.append(f"{_where(message)}: {error}")
    for message in catalog:
        if message.fuzzy or not message.id:
            continue
        try:
            formats_like_source(catalog, message)
        except TranslationError as err:
            report.errors.append(f"{_where(message)}: {err}")
    for (msgid, context), failures in _toolkit_failures(path).items():
        message = by_key.get((msgid, context))
        if message is not None and message.fuzzy:
            continue
        for failure in failures:
            report.errors.append(f"{_where(Message(msgid, context=context))}: {failure}")
    if furigana:
        stored = readings.load(readings.readings_path(translations, locale))
        report.errors += [f"furigana: {problem}" for problem in readings.problems(catalog, stored)]
    return report


# -- update ----------------------------------------------------------------------------------------


def _note_span(comments: list[str]) -> tuple[int, int] | None:
    """Where the note is among the comments: PO writers wrap comments, so it may take several lines."""
    for start, comment in enumerate(comments):
        if comment.startswith(PREVIOUS_NOTE):
            end = start
            while end < len(comments) - 1 and not comments[end].endswith("»"):
                end += 1
            return start, end + 1
    return None


def previous_source(message: Message) -> str | None:
    """The English a fuzzy string was translated from, when the source changed since."""
    span = _note_span(message.user_comments)
    if span is None:
        return None
    text = " ".join(message.user_comments[span[0] : span[1]])[len(PREVIOUS_NOTE) :]
    return text.removeprefix("«").removesuffix("»")


def _set_previous(message: Message, text: str | None) -> None:
    span = _note_span(message.user_comments)
    if span is not None:
        message.user_comments = message.user_comments[: span[0]] + message.user_comments[span[1] :]
    if text is not None:
        message.user_comments.append(f"{PREVIOUS_NOTE}«{text}»")


def note_previous_sources(catalog: Catalog) -> None:
    """Turn the `#| msgid` lines Babel's fuzzy matching wrote (read back as comments) into PREVIOUS_NOTE.

    A reviewed string (no longer fuzzy) loses its note.
    """
    for message in catalog:
        if not message.id:
            continue
        raw = [c[1:].strip() for c in message.user_comments if c.startswith("|")]
        message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
        if raw and message.fuzzy:
            _set_previous(message, _unquote(" ".join(raw)))
        elif not message.fuzzy:
            _set_previous(message, None)


def _unquote(previous: str) -> str | None:
    """'msgid "" "Hello " "world"' → 'Hello world' (Babel wraps the old msgid across comment lines)."""
    import ast

    if not previous.startswith("msgid "):
        return None
    text = previous[len("msgid ") :].replace('" "', '""')
    try:
        parts = ast.literal_eval("(" + text.replace('""', '", "').strip() + ",)")
    except (SyntaxError, ValueError):
        return None
    return "".join(parts)


def carry_by_context(catalog: Catalog) -> int:
    """After Babel's update: a dialogue string whose English changed keeps its old translation, marked fuzzy.

    Babel matches a changed msgid only by similar wording; a dialogue field keeps its msgctxt
    whatever its wording, so the obsolete entry with the same context is the old translation.
    The translator sees the old English (`#| msgid`) next to the new one.
    """
    old_by_context: dict[str, Message] = {}
    for message in catalog.obsolete.values():
        if message.context and message.string:
            old_by_context[message.context] = message
    carried = 0
    for message in catalog:
        if not message.id or not message.context or message.string:
            continue
        old = old_by_context.pop(message.context, None)
        if old is None:
            continue
        message.string = old.string
        message.flags.add("fuzzy")
        _set_previous(message, old.id if isinstance(old.id, str) else old.id[0])
        catalog.obsolete.pop(_obsolete_key(catalog, old), None)
        carried += 1
    return carried


def _obsolete_key(catalog: Catalog, message: Message):
    for key, candidate in catalog.obsolete.items():
        if candidate is message:
            return key
    return None


def drop_obsolete(catalog: Catalog) -> None:
    catalog.obsolete.clear()


def locales_on_disk(translations: Path) -> list[str]:
    return sorted(p.parent.parent.name for p in translations.glob(f"*/LC_MESSAGES/{MESSAGES_FILE}"))


def missing_locales(translations: Path, configured: Iterable[str]) -> list[str]:
    return [code for code in configured if not po_path(translations, code).exists()]
