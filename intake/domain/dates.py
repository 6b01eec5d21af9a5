"""Dates as people give them: a day or a month typed into a form (the one parser of both), and dates relative to
today ("+6m", "+3y"), for the ranges a dialogue allows."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_OFFSET = re.compile(r"^([+-])(\d{1,3})([dmy])$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_day(raw: object) -> date | None:
    """A day as a date field sends it ("2026-11-26", spaces around allowed); None for anything else (no ISO week
    dates or basic "20261126", which `date.fromisoformat` would take)."""
    match = _DAY.match(raw.strip()) if isinstance(raw, str) else None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])) if match else None
    except ValueError:  # 2026-02-30
        return None


def parse_month(raw: object) -> date | None:
    """A month as a month field sends it ("2027-03"): its first day; None for anything else."""
    match = _MONTH.match(raw.strip()) if isinstance(raw, str) else None
    try:
        return date(int(match[1]), int(match[2]), 1) if match else None
    except ValueError:  # 2027-13
        return None


def fiscal_year(day: date) -> tuple[date, date]:
    """The Japanese fiscal year (年度, April to March) that a day falls in: its first and last day."""
    start_year = day.year if day.month >= 4 else day.year - 1
    return date(start_year, 4, 1), date(start_year + 1, 3, 31)


def add_months(day: date, months: int) -> date:
    """The same day of the month, months later (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def parse_offset(text: str) -> tuple[int, str]:
    """'+6m' -> (6, 'm'); raises ValueError on anything else."""
    match = _OFFSET.match(str(text))
    if not match:
        raise ValueError(f"'{text}' is not an offset like +1m, +6m, +3y or +14d")
    sign, number, unit = match.groups()
    return (-1 if sign == "-" else 1) * int(number), unit


def shift(today: date, offset: tuple[int, str]) -> date:
    number, unit = offset
    if unit == "d":
        return date.fromordinal(today.toordinal() + number)
    return add_months(today, number * (12 if unit == "y" else 1))


@dataclass(frozen=True)
class DateRange:
    """An allowed window of dates, written relative to the day the question is answered."""

    earliest: tuple[int, str]
    latest: tuple[int, str]

    def bounds(self, today: date) -> tuple[date, date]:
        return shift(today, self.earliest), shift(today, self.latest)
