"""Helpers for the string-ownership tests: a pseudo-locale made at test time, and pages read as a person reads them.

The pseudo-locale is never shipped: its catalogue is generated from messages.pot into a temporary translations
folder, every string wrapped in ⟦…⟧ with its letters accented (placeholders and markup kept), so that text on a
page that did not come through the recipients' catalogue stands out: it has letters outside any ⟦…⟧.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from intake.config import ROOT, Defaults

# A locale Babel knows (its dates and numbers work) that the kiosk will never offer: the pseudo-locale's id.
PSEUDO = "eo"
OPEN, CLOSE = "⟦", "⟧"
_ACCENTS = str.maketrans(
    "aceinorsuyzACEINORSUYZ",
    "àçéîñöřšüýžÀÇÉÎÑÖŘŠÜÝŽ",
)
# Kept as they are: printf placeholders, a literal percent, markup and brace fields.
_KEEP = re.compile(r"%\([^)]+\)[sdifr]|%%|%[sd]|<[^>]+>|\{[^}]*\}|&[a-z]+;")


def pseudo(text: str) -> str:
    """⟦Àççéñţéd⟧: the letters accented, placeholders and markup untouched; each line marked on its own, as pages
    show a long text's paragraphs apart (a question's first paragraph alone in the list of answers)."""
    if "\n" in text:
        return "\n".join(pseudo(line) if line.strip() else line for line in text.split("\n"))
    out, last = [], 0
    for match in _KEEP.finditer(text):
        out.append(text[last : match.start()].translate(_ACCENTS))
        out.append(match.group(0))
        last = match.end()
    out.append(text[last:].translate(_ACCENTS))
    return OPEN + "".join(out) + CLOSE


def pseudo_translations(directory: Path) -> Path:
    """The shipped catalogues (compiled) and the pseudo-locale's recipient catalogue, in `directory`."""
    shutil.copytree(ROOT / "translations", directory, dirs_exist_ok=True)
    with (ROOT / "translations" / "messages.pot").open("rb") as handle:
        catalog = read_po(handle, locale=PSEUDO)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(pseudo(message.id[min(form, 1)]) for form in range(catalog.num_plurals))
        else:
            message.string = pseudo(message.id)
        message.flags.discard("fuzzy")
    folder = directory / PSEUDO / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, catalog)
    return directory


def pseudo_config(directory: Path) -> dict:
    return {
        "BABEL_TRANSLATION_DIRECTORIES": str(pseudo_translations(directory)),
        "LANGUAGES": {**Defaults.LANGUAGES, PSEUDO: "Pseŭdo"},
    }


# A code people type or match (receipt code ABCD-1234 or ABCD1234, ticket code F4B8A-TAZSJ, case number R8-0001): capitals
# and digits in hyphenated groups.
CODE = re.compile(r"(?<![A-Za-z0-9])(?:[A-Z0-9]{4,}(?:-[A-Z0-9]{4,})+|(?=[A-Z]*\d)[A-Z0-9]{8}|(?=[A-Z0-9-]*\d)[A-Z0-9]+(?:-[A-Z0-9]+)+)(?![A-Za-z0-9])")
_VISIBLE_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
_HIDDEN = {"script", "style", "rt", "template", "title"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Reader(HTMLParser):
    """Visible text (and the attributes a screen reader speaks) as (text, language of its nearest lang=)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, bool]] = []
        self.chunks: list[tuple[str, str]] = []

    def _lang(self) -> str:
        for _tag, lang, _hidden in reversed(self.stack):
            if lang is not None:
                return lang
        return ""

    def _hidden(self) -> bool:
        return any(hidden for _tag, _lang, hidden in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        hidden = tag in _HIDDEN or "hidden" in attrs and tag not in ("input",)
        if tag not in _VOID:
            self.stack.append((tag, attrs.get("lang"), hidden))
        lang = attrs.get("lang", self._lang())
        if self._hidden() or hidden:
            return
        for name in _VISIBLE_ATTRIBUTES:
            if attrs.get(name):
                self.chunks.append((attrs[name], lang))
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.chunks.append((attrs["value"], lang))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if data.strip() and not self._hidden():
            self.chunks.append((data, self._lang()))


def visible_text(html: str) -> list[tuple[str, str]]:
    reader = _Reader()
    reader.feed(html)
    return reader.chunks


def without_allowed(text: str, allowed: list[str]) -> str:
    """The text with each allowed phrase taken out where it stands as whole words (a username `tr` never hides the
    letters of a longer word)."""
    for allowance in sorted({a for a in allowed if a}, key=len, reverse=True):
        text = re.sub(rf"(?<![A-Za-z]){re.escape(allowance)}(?![A-Za-z])", " ", text)
    return text


def _without_marked(text: str) -> str:
    previous = None
    while previous != text:  # a translated string may hold another (a placeholder filled with a label)
        previous = text
        text = re.sub(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", " ", text)
    return text


def _date_words() -> list[str]:
    """Month and day names of the pseudo-locale, and the words of its lists ("a, b and c"): dates and lists are
    written by Babel from the Unicode CLDR data of the reader's language, not by the catalogue."""
    locale = Locale.parse(PSEUDO)
    words = {word for pattern in locale.list_patterns.values() for value in pattern.values()
             for word in re.findall(r"[^\W\d_]+", value)}
    for names in (locale.months, locale.days):
        for context in names.values():
            for width, values in context.items():
                if width != "narrow":  # single letters: never a whole word of a date
                    words.update(values.values())
    return sorted(words, key=len, reverse=True)


def unmarked_words(html: str, allowed: list[str], *, skip_lang: str | None = None) -> list[str]:
    """Words on the page (text, spoken attributes) outside any ⟦…⟧ that are not allowed, and any placeholder left
    unfilled (`%(name)s`): none is the property.

    `allowed`: what may show without the catalogue (the recipient's own words, names, codes, the languages'
    own names); `skip_lang`: text whose nearest lang= is this (the official Japanese of a bilingual paper).
    """
    # One text for the page: a translated string may hold markup, so its ⟦ and ⟧ may fall in different chunks.
    text = "\n".join(chunk for chunk, lang in visible_text(html) if not (skip_lang and lang == skip_lang))
    # A placeholder the page never filled in came through the catalogue, marked and all, but nobody can read it.
    unfilled = _PLACEHOLDER.findall(text)
    rest = without_allowed(_without_marked(text), allowed)
    rest = CODE.sub(" ", rest)  # a receipt or ticket code
    dates = set(_date_words())
    words = re.findall(r"[^\W\d_][\w'’.-]*", rest)
    return unfilled + [w for w in words if w not in dates and w.rstrip(".") not in dates]


_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# Codes and ids staff read as they are: receipt and ticket codes (XXXX-XXXX), case numbers (R8-0001), hashes,
# the QR code's and PDF's names, units. Each entry a whole word.
# Abbreviations Japanese writes in Latin letters as words of its own (NPO: 特定非営利活動法人).
# Codes and the names of character encodings (UTF-8, Shift_JIS and CP932, which the case record CSV offers).
LATIN_ALLOWED = {"PDF", "CSV", "QR", "ID", "JSON", "NPO", "UTF", "Shift", "JIS", "CP"}


def latin_words(text: str, allowed: list[str]) -> list[str]:
    """Latin-letter words in staff text, but for codes and the allowed names (people, usernames, case numbers)."""
    text = without_allowed(text, allowed)
    text = re.sub(r"https?://\S+", " ", text)  # an address (the kiosk's enrolment link)
    text = CODE.sub(" ", text)  # receipt and ticket codes, case numbers
    text = re.sub(r"(?<![A-Za-z0-9])[AB][3-5](?![A-Za-z0-9])", " ", text)  # a paper size (A4)
    text = re.sub(r"(?<![A-Za-z0-9])[0-9a-f]{16,}(?![A-Za-z0-9])", " ", text)  # a hash
    return [w for w in _LATIN_WORD.findall(text) if w not in LATIN_ALLOWED]


def staff_latin(html: str, allowed: list[str]) -> list[str]:
    """Latin words in a staff page's visible text (every language: staff pages are Japanese, but for the recipient's
    own words marked with their lang=, which `allowed` names)."""
    html = re.sub(r"<code>.*?</code>", " ", html, flags=re.S)  # an id set apart as code, beside its Japanese label
    found = []
    for text, _lang in visible_text(html):
        found += latin_words(text, allowed)
    return found


def csv_latin(text: str, allowed: list[str]) -> list[str]:
    """Latin words in a staff CSV's cells, but for the columns named for ids and codes (…ID, …コード)."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows:
        return []
    header = rows[0]
    named_for_ids = {i for i, name in enumerate(header) if name.endswith(("ID", "コード"))}
    found = [w for name in header for w in latin_words(name, allowed)]
    for row in rows[1:]:
        found += [w for i, cell in enumerate(row) if i not in named_for_ids for w in latin_words(cell, allowed)]
    return found
