"""Helpers for the language tests: temporary catalogues, the shipped locales, and a first question's text."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from intake.config import ROOT, Defaults

TRANSLATIONS = ROOT / "translations"


def without_readings(html: str) -> str:
    """Page markup as text with the furigana left out (the base text of each <ruby> stays), tags removed."""
    return re.sub(r"<rt>.*?</rt>|<[^>]+>", "", html)


def shipped_locales() -> list[str]:
    """Every language the kiosk offers (the draft ones are not shipped yet)."""
    return [code for code in Defaults.LANGUAGES if code not in Defaults.LANGUAGES_DRAFT]


def write_catalogue(directory: Path, locale: str, messages: dict, *, compile_mo: bool = True) -> Path:
    """A small catalogue: {msgid or (context, msgid): msgstr or (msgstr, 'fuzzy')}; returns the .po path."""
    catalog = Catalog(locale=locale)
    for key, value in messages.items():
        context, msgid = key if isinstance(key, tuple) else (None, key)
        string, flags = (value[0], {value[1]}) if isinstance(value, tuple) else (value, set())
        catalog.add(msgid, string, context=context, flags=flags)
    folder = directory / locale / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "messages.po").open("wb") as handle:
        write_po(handle, catalog)
    if compile_mo:
        with (folder / "messages.mo").open("wb") as handle:
            write_mo(handle, catalog)
    return folder / "messages.po"


def copy_template(directory: Path) -> Catalog:
    """The real messages.pot in a temporary translations folder."""
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(TRANSLATIONS / "messages.pot", directory / "messages.pot")
    with (directory / "messages.pot").open("rb") as handle:
        return read_po(handle)


def complete_catalogue(directory: Path, locale: str, template: Catalog) -> Path:
    """A catalogue where every string is 'translated' as itself: passes `check` until a test breaks it."""
    catalog = Catalog(locale=locale)
    for message in template:
        if message.id:
            catalog.add(
                message.id, message.id, context=message.context, locations=message.locations, flags=message.flags
            )
    folder = directory / locale / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "messages.po").open("wb") as handle:
        write_po(handle, catalog)
    return folder / "messages.po"
