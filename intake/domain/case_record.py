"""Case record entries (ケース記録) as text, the dates that come due, and the CSV an older system imports.

Pure: no Flask, no database. An entry's words come from the office's templates (strings with named
placeholders, translated in the staff catalogue), filled here with values the caller has already put
into Japanese; a template an office broke (a placeholder it does not know) falls back to the source.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .answers import N_
from .pocket_card import STATUSES


class EntryKind:
    """What an entry records: a plan drawn up (approval), a review (見直し), a check-in at the kiosk."""

    PLAN = "plan"
    REVIEW = "review"
    CHECK_IN = "check_in"
    ALL = (PLAN, REVIEW, CHECK_IN)


# How the recipient answered a check-in about one action: the check-in dialogue's own keys.
CHECK_IN_STATUSES = STATUSES
# The numbers an office writes before listed items: ①②③… (five actions at most, some room to spare).
MARKS = "①②③④⑤⑥⑦⑧⑨⑩"
MAX_CONTENT = 4000
# Characters CP932 writes with another code point than Unicode's usual one: the same glyph, so they are
# written as CP932's own before encoding (〜 as ～, − as －, …), not counted as characters it cannot hold.
CP932_SAME_GLYPH = str.maketrans(
    {"\u301c": "\uff5e", "\u2016": "\u2225", "\u2212": "\uff0d", "\u00a2": "\uffe0", "\u00a3": "\uffe1",
     "\u00ac": "\uffe2", "\u2014": "\u2015"}
)
# What a character CP932 cannot hold becomes: the geta mark, as Japanese systems have long written one.
CP932_SUBSTITUTE = "〓"
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def fill(template: str, source: str, values: Mapping[str, object]) -> str:
    """An office's template filled with `values`; the English `source` when the template does not format.

    An office may drop a placeholder from its template; one it made up, or a stray `%`, would not
    format, so the source is used instead and nothing is lost.
    """
    try:
        return template % values
    except (KeyError, ValueError, TypeError):
        return source % values


def placeholders(template: str) -> set[str]:
    return set(_PLACEHOLDER.findall(template))


def numbered(items: Sequence[str], separator: str) -> str:
    """Items as an office lists them in a record: ①…②… (each item already worded)."""
    return separator.join(f"{MARKS[i] if i < len(MARKS) else f'({i + 1})'}{item}" for i, item in enumerate(items))


def content_problem(content: str) -> tuple[str, dict] | None:
    """What is wrong with an edited entry's content (a message and its values), or None."""
    if not content.strip():
        return N_("Write what the entry records."), {}
    if len(content) > MAX_CONTENT:
        return N_("This entry is too long. Please shorten it."), {}
    return None


def parse_day(raw: object) -> date | None:
    try:
        return date.fromisoformat(str(raw or "").strip())
    except ValueError:
        return None


# --- the CSV an older system imports -----------------------------------------------------------------


@dataclass(frozen=True)
class Unencodable:
    """Characters CP932 cannot hold, and the rows (1 = the first entry) that hold them."""

    characters: tuple[str, ...]
    rows: tuple[int, ...]


def cp932_form(text: str) -> str:
    return text.translate(CP932_SAME_GLYPH)


def unencodable(rows: Iterable[Sequence[str]]) -> Unencodable:
    """What CP932 cannot hold in these rows, after writing same-glyph characters as CP932's own."""
    characters: dict[str, None] = {}
    where: list[int] = []
    for number, row in enumerate(rows, start=1):
        found = [ch for cell in row for ch in cp932_form(str(cell)) if not _cp932_holds(ch)]
        if found:
            characters.update(dict.fromkeys(found))
            where.append(number)
    return Unencodable(tuple(characters), tuple(where))


def _cp932_holds(ch: str) -> bool:
    try:
        ch.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]], encoding: str) -> bytes:
    """The CSV as bytes: UTF-8 with a BOM (spreadsheets read it as UTF-8), or CP932 for older systems, where each
    character CP932 cannot hold is written as 〓 (the caller has said which, before)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    text = out.getvalue()
    if encoding == "cp932":
        return "".join(ch if _cp932_holds(ch) else CP932_SUBSTITUTE for ch in cp932_form(text)).encode("cp932")
    return ("\ufeff" + text).encode("utf-8")


# --- dates that come due ---------------------------------------------------------------------------------

DUE_WITHIN_DAYS = 14


class DueKind:
    ACTION = "action"
    REVIEW = "review"


@dataclass(frozen=True)
class Due:
    """An action's date or a plan's review date, due within the next two weeks or past."""

    kind: str
    day: date
    case_id: int
    index: int | None = None  # the action's place in the plan (0 = the first); None for a review

    def overdue(self, today: date) -> bool:
        return self.day < today

    def days_left(self, today: date) -> int:
        return (self.day - today).days


def due_dates(
    case_id: int,
    *,
    action_days: Sequence[str | None],
    achieved: Sequence[bool],
    review_date: date | None,
    reviewed: bool,
    today: date,
    within: int = DUE_WITHIN_DAYS,
) -> list[Due]:
    """What of one case's current plan comes due by `within` days from today, or is past and not done.

    An action counts as done once a review of the plan marked it achieved; the review date once the plan was
    reviewed (the next one comes with the revised version).
    """
    horizon = today + timedelta(days=within)
    found = []
    for index, raw in enumerate(action_days):
        day = parse_day(raw)
        if day is not None and day <= horizon and not (index < len(achieved) and achieved[index]):
            found.append(Due(DueKind.ACTION, day, case_id, index))
    if review_date is not None and review_date <= horizon and not reviewed:
        found.append(Due(DueKind.REVIEW, review_date, case_id))
    return found
