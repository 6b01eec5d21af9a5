"""The Japanese era calendar (令和8年11月26日) from an era table kept in data (data/eras.yaml).

Babel cannot format eras, and a new era must need no code change: the table names each era and its
first day; the first year of an era is written 元年.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import yamlfile
from .yamlfile import DataFileError, LineDict, Problem


@dataclass(frozen=True)
class Era:
    name: str
    start: date


@dataclass(frozen=True)
class EraCalendar:
    """The eras, oldest first, and how the office writes a date with them."""

    eras: tuple[Era, ...]
    format: str = "{era}{year}年{month}月{day}日"
    first_year: str = "元"
    western_format: str = "（{western}年）"

    def era_of(self, day: date) -> tuple[Era, int]:
        """The era a day falls in and the year within it (1 for the first year)."""
        current = None
        for era in self.eras:
            if era.start <= day:
                current = era
        if current is None:
            raise ValueError(f"{day} is before the first era in the table")
        return current, day.year - current.start.year + 1

    def format_date(self, day: date, *, western: bool = False) -> str:
        """令和元年5月1日; with `western`, the Western year follows (令和8年11月26日（2026年）)."""
        era, year = self.era_of(day)
        text = self.format.format(
            era=era.name, year=self.first_year if year == 1 else year, month=day.month, day=day.day
        )
        if western:
            text += self.western_format.format(western=day.year)
        return text


def load_eras(path: Path) -> EraCalendar:
    """Read and check the era table; DataFileError says what is wrong and where."""
    data = yamlfile.load(path)
    source = str(path)
    entries = data.get("eras") if isinstance(data, LineDict) else None
    if not isinstance(entries, list) or not entries:
        raise DataFileError([Problem(source, 1, "the era table needs a non-empty list 'eras'")])
    eras, problems = [], []
    for entry in entries:
        try:
            eras.append(Era(str(entry["name"]), date.fromisoformat(str(entry["start"]))))
        except (KeyError, TypeError, ValueError):
            problems.append(Problem(source, getattr(entry, "line", 0), "each era needs a name and a start date"))
    if [e.start for e in eras] != sorted(e.start for e in eras):
        problems.append(Problem(source, entries.line, "list the eras oldest first"))
    if problems:
        raise DataFileError(problems)
    options = {k: str(data[k]) for k in ("format", "first_year", "western_format") if k in data}
    return EraCalendar(tuple(eras), **options)
