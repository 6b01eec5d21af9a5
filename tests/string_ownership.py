"""Helpers for the string-ownership tests: a pseudo-locale made at test time, and pages read as a person reads them.

The pseudo-locale is never shipped: its catalogue is generated from messages.pot into a temporary translations
folder, every string wrapped in ⟦…⟧ with its letters accented (placeholders and markup kept), so that text on a
page that did not come through the recipients' catalogue stands out: it has letters outside any ⟦…⟧.
"""

from __future__ import annotations

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
    """Words on the page (text, spoken attributes) outside any ⟦…⟧ that are not allowed: none is the property.

    `allowed`: what may show without the catalogue (the recipient's own words, names, codes, the languages'
    own names); `skip_lang`: text whose nearest lang= is this (the official Japanese of a bilingual paper).
    """
    allowances = sorted({a for a in allowed if a}, key=len, reverse=True)
    # One text for the page: a translated string may hold markup, so its ⟦ and ⟧ may fall in different chunks.
    text = "\n".join(chunk for chunk, lang in visible_text(html) if not (skip_lang and lang == skip_lang))
    rest = _without_marked(text)
    for allowance in allowances:
        rest = rest.replace(allowance, " ")
    rest = re.sub(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b", " ", rest)  # a receipt or ticket code
    dates = set(_date_words())
    return [w for w in re.findall(r"[^\W\d_][\w'’.-]*", rest) if w not in dates and w.rstrip(".") not in dates]


_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# Codes and ids staff read as they are: receipt and ticket codes (XXXX-XXXX), case numbers (R8-0001), hashes,
# the QR code's and PDF's names, units. Each entry a whole word.
LATIN_ALLOWED = {"PDF", "CSV", "QR", "ID", "JSON", "SHA", "OK"}


def latin_words(text: str, allowed: list[str]) -> list[str]:
    """Latin-letter words in staff text, but for codes and the allowed names (people, usernames, case numbers)."""
    for allowance in sorted({a for a in allowed if a}, key=len, reverse=True):
        text = text.replace(allowance, " ")
    text = re.sub(r"https?://\S+", " ", text)  # an address (the kiosk's enrolment link)
    text = re.sub(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b", " ", text)  # a receipt or ticket code
    text = re.sub(r"\b[0-9a-f]{16,}\b", " ", text)  # a hash
    text = re.sub(r"\b[A-Z]{1,3}\d*-\d+\b", " ", text)  # a case number as offices write them
    return [w for w in _LATIN_WORD.findall(text) if w not in LATIN_ALLOWED]


def staff_latin(html: str, allowed: list[str]) -> list[str]:
    """Latin words in a staff page's visible text (every language: staff pages are Japanese, but for the recipient's
    own words marked with their lang=, which `allowed` names)."""
    found = []
    for text, _lang in visible_text(html):
        found += latin_words(text, allowed)
    return found
