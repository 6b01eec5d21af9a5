"""Check-ins as staff read them: each action's status in Japanese, and the review form started from them."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext

from ...domain.answers import N_
from ...records import Case
from ...services import check_ins
from ..plan_text import era_date

STATUS_LABELS = {
    # i18n: staff: how an action is going, as the recipient said at a check-in with their pocket card.
    "done": N_("done"),
    # i18n: staff: how an action is going, as the recipient said at a check-in with their pocket card.
    "partly": N_("partly done"),
    # i18n: staff: how an action is going, as the recipient said at a check-in with their pocket card.
    "not_yet": N_("not yet started"),
    # i18n: staff: at a check-in with their pocket card, the recipient said they need help with this action.
    "help": N_("needs help"),
}


def status_label(status: str | None) -> str:
    """A check-in's answer about one action, for staff (a skipped one: a dash)."""
    return gettext(STATUS_LABELS[status]) if status in STATUS_LABELS else "–"


def _line(day: date, status: str) -> str:
    # i18n: staff: one check-in's answer in the review form's progress; %(day)s is a date, %(status)s e.g. 一部できた.
    return gettext("Check-in %(day)s: %(status)s", day=era_date(day), status=status_label(status))


def check_in_start(case: Case, kiosk_review: dict | None) -> tuple[dict[str, str], list]:
    """The review form's first values (the check-ins since the last review, the kiosk review over them) and those
    check-ins, oldest first."""
    return check_ins.review_form_start(case, kiosk_review, _line)
