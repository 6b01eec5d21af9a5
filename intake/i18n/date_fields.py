"""A date the recipient enters in their own language: separate year, month (and day) lists.

A browser's own date and month fields follow the browser's language, not the page's (mm/dd/yyyy and
English month names on a Nepali page). The kiosk shows one list per part instead, in the order the
recipient's language writes a date (Babel's medium date pattern), each choice written in that
language: month names, and for Japanese the year in 令和 beside the Western year. Lists work the same
with a finger, a keyboard and no JavaScript. The form sends the parts as `<name>-year`, `<name>-month`,
`<name>-day`; domain/step_kinds.py joins them into the 'YYYY-MM-DD' or 'YYYY-MM' the JSON API takes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date, format_skeleton, get_date_format
from flask import current_app
from flask_babel import get_locale

from ..domain.step_kinds import DATE_PARTS

_LETTER = {"year": "y", "month": "M", "day": "d"}


@dataclass(frozen=True)
class DateField:
    part: str  # "year", "month" or "day" (the template labels it)
    options: tuple[tuple[str, str], ...]  # (value sent, text shown)
    selected: str  # the value chosen, "" for none


def _locale() -> str:
    return str(get_locale())


def date_order(kind: str) -> tuple[str, ...]:
    """The parts of a date (or month) in the order the viewer's language writes them."""
    pattern = get_date_format("medium", locale=_locale()).pattern.replace("L", "M")
    parts = DATE_PARTS[kind]
    return tuple(sorted(parts, key=lambda part: pattern.find(_LETTER[part]) % (len(pattern) + 1)))


def _year_text(year: int, locale: str) -> str:
    shown = format_skeleton("y", date(year, 1, 1), locale=locale)
    if locale.split("@")[0] == "ja":  # the Japanese calendar too, as the office's letters write it
        era, number = current_app.extensions["yorisoi.eras"].era_of(date(year, 12, 31))
        shown += f"（{era.name}{'元' if number == 1 else number}年）"
    return shown


def _chosen(value: object, kind: str) -> dict[str, str]:
    """The parts of a stored or refused value ('2027-05-09', '2027--09', '2027-05'), as the lists' values."""
    pieces = str(value or "").split("-")
    chosen = {}
    for part, piece in zip(DATE_PARTS[kind], pieces, strict=False):
        chosen[part] = str(int(piece)) if piece.isdigit() else ""
    return chosen


def date_fields(kind: str, bounds: tuple[date, date], value: object) -> list[DateField]:
    """The lists of a date or month question, in the viewer's language and order.

    Years are those the allowed window touches; months and days are all twelve and all 31, so a list
    never changes under the finger (a day the month does not have is refused with the allowed range).
    """
    locale = _locale()
    chosen = _chosen(value, kind)
    options = {
        "year": tuple((str(y), _year_text(y, locale)) for y in range(bounds[0].year, bounds[1].year + 1)),
        "month": tuple((str(m), format_date(date(2000, m, 1), "LLLL", locale=locale)) for m in range(1, 13)),
        "day": tuple((str(d), format_skeleton("d", date(2000, 1, d), locale=locale)) for d in range(1, 32)),
    }
    return [DateField(part, options[part], chosen.get(part, "")) for part in date_order(kind)]
