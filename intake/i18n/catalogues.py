"""The gettext catalogues on disk: extract, update and compile through Babel's own command classes;
status and checks for translators.

Two audiences, two gettext domains: `messages` holds what recipients read (kiosk, widget, API, the
recipient's print copy and slip) and goes to every recipient language; `staff` holds what only staff
read (the caseworker workspace) and exists in Japanese only. English is the source of both and
needs no catalogue. Catalogues are written without line numbers, with gettext's own `#|` for the
English a fuzzy translation was made from, so adding one string changes a few lines per file.

Everything here reads and writes standard gettext files with Babel, so Poedit, Weblate or
Transifex work on the same files. Checks come from Babel (`Catalog.check()`: placeholder names
and types) and translate-toolkit's pofilter checkers (printf placeholders both ways, XML/HTML
tags); the one check of our own formats each translation the way the page will, so a catalogue
that would raise at runtime fails here instead.
"""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.checkers import TranslationError
from babel.messages.pofile import normalize, read_po, unescape, write_po

from ..config import ROOT
from . import readings

TRANSLATIONS = ROOT / "translations"
RECIPIENT_DOMAIN = "messages"
STAFF_DOMAIN = "staff"
DOMAINS = (RECIPIENT_DOMAIN, STAFF_DOMAIN)
TEMPLATE = TRANSLATIONS / f"{RECIPIENT_DOMAIN}.pot"
# English is the source language: its text is the msgid itself, so it has no catalogue to translate.
SOURCE_LOCALE = "en"
# The staff workspace is Japanese only: the staff domain has a catalogue in these locales and no other.
STAFF_LOCALES = ("ja",)
# Files only staff read. Their strings go to the staff domain, unless a recipient file uses the same
# string (it stays in `messages`, and staff pages find it there) or a translator comment says
# `i18n: recipient …` (a ticket-code error a caseworker service raises but the kiosk shows).
STAFF_SOURCES = (
    "templates/caseworker/*",
    "templates/translator/*",
    "intake/web/caseworker/*",
    "intake/web/translator.py",
    "intake/services/audit_log.py",
    "intake/services/case_access.py",
    "intake/services/cases.py",
    "intake/services/errors.py",
    "intake/services/plans.py",
    "intake/services/reviews.py",
    "intake/services/tickets.py",
    "intake/services/queue.py",
    "intake/web/history.py",
    "intake/web/audit_text.py",
    "intake/services/accounts.py",
    "intake/services/passwords.py",
    "intake/domain/worksheet.py",
    "intake/domain/programs.py",
    "intake/services/programs.py",
    "intake/services/case_records.py",
    "intake/domain/case_record.py",
)
# And strings in a recipient file that only staff read (`# i18n: staff …` above the call).
STAFF_TAG, RECIPIENT_TAG = "i18n: staff", "i18n: recipient"
# Contexts of what recipients take home on paper, though staff print it: their copy of the plan and the ticket slip.
RECIPIENT_CONTEXTS = ("plan copy", "ticket slip")
# N_ marks engine messages, Nn_ those with a count (ngettext); built_in_option(id, context, label) the engine's own options.
KEYWORDS = "N_ Nn_:1,2 built_in_option:2c,3"
WIDTH = 100
# The custom note older catalogues used for the previous English; read once and turned into `#|`.
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


def extract(output: Path = TEMPLATE) -> dict[str, int]:
    """Python, templates and dialogue files → messages.pot and staff.pot beside it (mapping in pyproject.toml).

    Returns how many strings each domain holds.
    """
    with tempfile.TemporaryDirectory() as scratch, contextlib.chdir(ROOT):  # locations stay relative
        everything = Path(scratch) / "all.pot"
        run_babel(
            "ExtractMessages",
            input_paths=["."],
            output_file=str(everything),
            mapping_file="pyproject.toml",
            keywords=KEYWORDS,
            add_comments="i18n:",
            project="Yorisoi",
            version="1",
            msgid_bugs_address="",
            width=WIDTH,
        )
        extracted = read(everything)
    parts = split_audiences(extracted)
    for domain, part in parts.items():
        write_template(part, output.with_name(f"{domain}.pot"))
    return {domain: sum(1 for m in part if m.id) for domain, part in parts.items()}


def audience(message: Message) -> str:
    """`staff` for a string only staff files use (or tagged `i18n: staff`), else `messages`."""
    # Python comments keep their `i18n:` tag in the .pot; Jinja's extractor drops it.
    tags = {comment.removeprefix("i18n:").strip().split(":", 1)[0] for comment in message.auto_comments}
    if RECIPIENT_TAG.removeprefix("i18n: ") in tags or message.context in RECIPIENT_CONTEXTS:
        return RECIPIENT_DOMAIN
    if STAFF_TAG.removeprefix("i18n: ") in tags:
        return STAFF_DOMAIN
    files = {filename for filename, _line in message.locations}
    if files and all(any(fnmatch(name, pattern) for pattern in STAFF_SOURCES) for name in files):
        return STAFF_DOMAIN
    return RECIPIENT_DOMAIN


def split_audiences(extracted: Catalog) -> dict[str, Catalog]:
    """One template per domain, each string in the order it was found."""
    parts = {}
    for domain in DOMAINS:
        part = Catalog(
            project="Yorisoi",
            version="1",
            msgid_bugs_address="",
            header_comment=extracted.header_comment,
            fuzzy=True,
        )
        part.creation_date = extracted.creation_date
        parts[domain] = part
    for message in extracted:
        if message.id:
            parts[audience(message)][message.id] = message
    return parts


def write_template(catalog: Catalog, path: Path) -> None:
    """A .pot without line numbers: a string moving within a file changes nothing."""
    with path.open("wb") as handle:
        write_po(handle, catalog, width=WIDTH, include_lineno=False)


def domain_locales(domain: str, locales: Iterable[str]) -> list[str]:
    """The locales that translate a domain: never the English source; staff strings in Japanese only."""
    return [code for code in locales if code != SOURCE_LOCALE and (domain == RECIPIENT_DOMAIN or code in STAFF_LOCALES)]


def update(translations: Path = TRANSLATIONS, configured: Iterable[str] = ()) -> dict[str, int]:
    """Merge each template into its locales' catalogues; start a catalogue for each locale without one.

    New strings appear untranslated. A changed string keeps its old translation, fuzzy, with the old
    English as gettext's `#| msgid`: Babel's fuzzy matching finds similar wording, carry_by_context
    finds a reworded dialogue field by its msgctxt. Returns, per locale, how many were carried by context.
    """
    carried: dict[str, int] = {}
    configured = list(configured)
    for domain in DOMAINS:
        template = translations / f"{domain}.pot"
        if not template.exists():
            continue
        files = {"input_file": str(template), "output_dir": str(translations), "domain": domain, "width": WIDTH}
        for locale in domain_locales(domain, configured or locales_on_disk(translations)):
            if not po_path(translations, locale, domain).exists():
                run_babel("InitCatalog", locale=locale, **files)
        run_babel(
            "UpdateCatalog",
            **files,
            ignore_obsolete=False,  # kept for carry_by_context below, then dropped
            no_fuzzy_matching=False,
            previous=True,
            ignore_pot_creation_date=True,  # a new extract alone changes no .po
        )
        for locale in locales_on_disk(translations, domain):
            path = po_path(translations, locale, domain)
            catalog = read(path)
            count = carry_by_context(catalog)
            carried[locale] = carried.get(locale, 0) + count
            drop_obsolete(catalog)
            write(catalog, path)
    return carried


def compile_all(translations: Path = TRANSLATIONS) -> None:
    """Build the .mo files the app reads (not committed), for both domains."""
    for domain in DOMAINS:
        if locales_on_disk(translations, domain):
            run_babel("CompileCatalog", directory=str(translations), domain=domain, use_fuzzy=False, statistics=True)


def po_path(translations: Path, locale: str, domain: str = RECIPIENT_DOMAIN) -> Path:
    return translations / locale / "LC_MESSAGES" / f"{domain}.po"


def read(path: Path) -> Catalog:
    """A catalogue, with gettext's `#| msgid` (which Babel reads as a comment) back as the message's previous_id."""
    with path.open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    for message in catalog:
        if message.id:
            _previous_from_comments(message)
    return catalog


def write(catalog: Catalog, path: Path) -> None:
    """A catalogue without line numbers; a fuzzy string keeps its previous English as `#| msgid`."""
    previous: dict[str, list[str]] = {}
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy and message.previous_id:
            mark = f"{_PREVIOUS_MARK}{len(previous)}"
            previous[mark] = _previous_lines(list(message.previous_id))
            message.user_comments = [*message.user_comments, mark]
        else:
            message.previous_id = []  # reviewed: the old English has done its job
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, include_previous=False, include_lineno=False)
    for message in catalog:
        message.user_comments = [c for c in message.user_comments if not c.startswith(_PREVIOUS_MARK)]
    # Babel would wrap `#|` like a comment; write it where and as gettext does: after the flags, before msgctxt.
    lines, pending = [], None
    for line in buffer.getvalue().decode("utf-8").splitlines(keepends=True):
        if line.startswith(f"# {_PREVIOUS_MARK}"):
            pending = previous[line[2:].strip()]
            continue
        if pending and line.startswith(("msgctxt ", "msgid ")):
            lines += [f"{entry}\n" for entry in pending]
            pending = None
        lines.append(line)
    path.write_bytes("".join(lines).encode("utf-8"))


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


def status(
    template: Catalog, translations: Path, locale: str, *, furigana: bool = False, domain: str = RECIPIENT_DOMAIN
) -> Status:
    """Counts for one locale; strings in the template but missing from the .po count as untranslated."""
    result = Status(locale)
    if locale == SOURCE_LOCALE:  # the source: every string is there as written
        result.total = result.translated = sum(1 for m in template if m.id)
        return result
    path = po_path(translations, locale, domain)
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
    """What `check` found in one locale: errors fail a shipped locale; a draft's are only listed.

    Each error reads `file:line: what is wrong — how to fix it`, in words a translator uses.
    """

    locale: str
    shipped: bool
    errors: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.shipped and bool(self.errors)


def _label(message: Message) -> str:
    msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
    label = msgid if len(msgid) <= 50 else msgid[:50] + "…"
    return f"{label!r} (msgctxt {message.context!r})" if message.context else repr(label)


def _at(path: Path, message: Message | None) -> str:
    """`translations/ko/LC_MESSAGES/messages.po:123`: the place a translator's editor opens."""
    try:
        shown = path.relative_to(ROOT)
    except ValueError:
        shown = path
    line = getattr(message, "lineno", None) if message is not None else None
    return f"{shown}:{line}" if line else f"{shown}:1"


def _formats(text: str, names: Mapping) -> str | None:
    """None if `text % names` works, else the reason in plain words."""
    try:
        text % names
    except KeyError as err:
        return f"the placeholder %({err.args[0]})s is not one the English has"
    except (ValueError, TypeError):
        return "a % sign is not followed by a whole placeholder such as %(name)s"
    return None


_HOW_PLACEHOLDERS = (
    "keep every placeholder of the English, such as %(name)s, exactly as written; write %% for a percent sign"
)


def formats_like_source(catalog: Catalog, message: Message) -> None:
    """A Babel checker: a string the page formats with `%` must format in translation too, every plural form.

    Jinja's gettext applies `%` to every template string, and reflecting prompts and Python messages
    with placeholders are formatted; a stray '%' or a placeholder with its type letter cut off would
    raise there, so it must fail here.
    """
    if not message.id or not message.string:
        return
    sources = list(message.id) if isinstance(message.id, tuple | list) else [message.id]
    strings = list(message.string) if isinstance(message.string, tuple | list) else [message.string]
    formatted = (
        message.python_format
        or len(sources) > 1
        or any(path.startswith("templates/") for path, _line in message.locations)
    )
    if not formatted or _formats(sources[0], _AnyName()) is not None:
        return  # the source itself is not a format string
    names = _AnyName()
    for index, string in enumerate(strings):
        if not string:
            continue
        reason = _formats(string, names)
        if reason:
            form = f" (plural form msgstr[{index}])" if len(strings) > 1 else ""
            raise TranslationError(f"the translation{form} does not work on the page: {reason} — {_HOW_PLACEHOLDERS}")


class _AnyName(dict):
    """A mapping with a value for any placeholder name, as the page's values would be."""

    def __missing__(self, key):
        return 1  # a number: `%(count)d` formats too


def _toolkit_failures(path: Path) -> dict[tuple[str, str | None], list[str]]:
    """translate-toolkit's pofilter checks, keyed like Babel messages, in translators' words."""
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
            failures[(str(unit.source), context)] = [
                _TOOLKIT_WORDS.get(name, name) + f" ({text})" for name, text in found.items()
            ]
    return failures


_TOOLKIT_WORDS = {
    "printf": f"the placeholders differ from the English — {_HOW_PLACEHOLDERS}",
    "xmltags": "the HTML tags differ from the English — keep the same tags as the English (<b>…</b>, <a …>…</a>), each one closed",
}


def _plural_problems(catalog: Catalog, message: Message) -> list[str]:
    """A plural string needs exactly the catalogue's number of forms (Plural-Forms), each one written."""
    if not isinstance(message.id, tuple | list):
        return []
    strings = list(message.string) if isinstance(message.string, tuple | list) else [message.string]
    wanted = catalog.num_plurals
    if len(strings) != wanted:
        return [
            f"has {len(strings)} plural forms but this language has {wanted} (Plural-Forms: {catalog.plural_forms})"
            f" — write msgstr[0] to msgstr[{wanted - 1}], one per form"
        ]
    empty = [str(i) for i, text in enumerate(strings) if not text]
    if empty and len(empty) < len(strings):
        return [f"plural form msgstr[{', '.join(empty)}] is empty — write every form ({catalog.plural_forms})"]
    return []


def check(
    template: Catalog,
    translations: Path,
    locale: str,
    *,
    shipped: bool,
    furigana: bool,
    domain: str = RECIPIENT_DOMAIN,
) -> Report:
    """Every problem in one locale's catalogue of a domain: missing, untranslated or fuzzy strings,
    broken placeholders, markup and plural forms, readings. Each names the file and line to open."""
    report = Report(locale, shipped)
    if locale == SOURCE_LOCALE:
        return report  # the English source is the msgids themselves
    path = po_path(translations, locale, domain)
    template_path = translations / f"{domain}.pot"
    if not path.exists():
        report.errors.append(
            f"{_at(path, None)}: this catalogue does not exist — run `flask intake i18n update` to start it"
        )
        return report
    catalog = read(path)
    by_key = {_key(m): m for m in catalog if m.id}
    found = report.errors
    for source in template:
        if not source.id:
            continue
        message = by_key.get(_key(source))
        if message is None:
            found.append(
                f"{_at(template_path, source)}: {_label(source)} is new in the English and not in {path.name} yet"
                " — run `flask intake i18n update`, then translate it"
            )
        elif not _translated_text(message):
            found.append(f"{_at(path, message)}: {_label(source)} has no translation — write it in msgstr")
        elif message.fuzzy:
            found.append(
                f"{_at(path, message)}: {_label(source)} is marked fuzzy, so the page shows the English — compare it"
                " with the English (the old English is on the `#|` line), correct it, then remove the fuzzy flag"
            )
    for message in catalog:
        if not message.id or message.fuzzy or not message.string:
            continue
        for problem in _plural_problems(catalog, message):
            found.append(f"{_at(path, message)}: {_label(message)} {problem}")
        try:
            formats_like_source(catalog, message)
        except TranslationError as err:
            found.append(f"{_at(path, message)}: {_label(message)}: {err}")
    for message, errors in catalog.check():  # Babel's checkers: placeholder names and types
        if message.fuzzy:
            continue
        for error in errors:
            found.append(
                f"{_at(path, message)}: {_label(message)}: the placeholders do not match the English ({error})"
                f" — {_HOW_PLACEHOLDERS}"
            )
    for (msgid, context), failures in _toolkit_failures(path).items():
        message = by_key.get((msgid, context))
        if message is not None and message.fuzzy:
            continue
        for failure in failures:
            found.append(f"{_at(path, message)}: {_label(message or Message(msgid, context=context))}: {failure}")
    if furigana:
        readings_file = readings.readings_path(translations, locale)
        stored = readings.load(readings_file)
        for problem, entry, in_readings in readings.located_problems(catalog, stored):
            found.append(f"{_at(readings_file if in_readings else path, entry)}: furigana: {problem}")
    return report


# -- update ----------------------------------------------------------------------------------------


def _note_span(comments: list[str]) -> tuple[int, int] | None:
    """Where an older catalogue's PREVIOUS_NOTE is among the comments (PO writers wrap it over several lines)."""
    for start, comment in enumerate(comments):
        if comment.startswith(PREVIOUS_NOTE):
            end = start
            while end < len(comments) - 1 and not comments[end].endswith("»"):
                end += 1
            return start, end + 1
    return None


def _previous_from_comments(message: Message) -> None:
    """`#| msgid "…"` lines (Babel reads them as comments starting with '|') → message.previous_id."""
    raw = [c[1:].strip() for c in message.user_comments if c.startswith("|")]
    message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
    # Joined with spaces: Babel's own writer wraps `#|` like a comment, at spaces, even inside a string.
    parts: dict[str, str] = {}
    keyword = None
    for line in raw:
        for name in ("msgid_plural", "msgid", "msgctxt"):
            if line.startswith(name + " "):
                keyword, line = name, line[len(name) + 1 :]
                break
        if keyword:
            parts[keyword] = f"{parts[keyword]} {line}" if keyword in parts else line
    strings = {name: "".join(unescape(f'"{piece}"') for piece in _QUOTED.findall(text)) for name, text in parts.items()}
    if "msgid" in strings:
        message.previous_id = [strings["msgid"]] + ([strings["msgid_plural"]] if "msgid_plural" in strings else [])
    span = _note_span(message.user_comments)
    if span is not None:  # an older catalogue's own note: becomes `#|` when written back
        text = " ".join(message.user_comments[span[0] : span[1]])[len(PREVIOUS_NOTE) :]
        message.user_comments = message.user_comments[: span[0]] + message.user_comments[span[1] :]
        if message.fuzzy and not message.previous_id:
            message.previous_id = [text.removeprefix("«").removesuffix("»")]


_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_PREVIOUS_MARK = "@@previous "


def _previous_lines(previous_id: list[str]) -> list[str]:
    """gettext's own layout of a previous msgid: `#| msgid ""` then `#| "…"` lines, never split inside a string."""
    lines = []
    for keyword, text in zip(("msgid", "msgid_plural"), previous_id, strict=False):
        quoted = normalize(text, width=WIDTH - 3).splitlines()
        lines += [f"#| {keyword} {quoted[0]}"] + [f"#| {line}" for line in quoted[1:]]
    return lines


def previous_source(message: Message) -> str | None:
    """The English a fuzzy string was translated from, when the source changed since (gettext's `#| msgid`)."""
    return message.previous_id[0] if message.fuzzy and message.previous_id else None


def carry_by_context(catalog: Catalog) -> int:
    """After Babel's update: a dialogue string whose English changed keeps its old translation, marked fuzzy.

    Babel matches a changed msgid only by similar wording; a dialogue field keeps its msgctxt
    whatever its wording, so the obsolete entry with the same context is the old translation.
    The translator sees the old English (`#| msgid`) next to the new one, as Poedit's diff view shows it.
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
        message.previous_id = [old.id] if isinstance(old.id, str) else list(old.id)
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


def locales_on_disk(translations: Path, domain: str = RECIPIENT_DOMAIN) -> list[str]:
    return sorted(p.parent.parent.name for p in translations.glob(f"*/LC_MESSAGES/{domain}.po"))
