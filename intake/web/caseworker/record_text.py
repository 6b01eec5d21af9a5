"""The words of case record entries (ケース記録): the office's templates, filled in Japanese.

Each template is a staff-catalogue string with named placeholders (translations/ja/LC_MESSAGES/staff.po), so an
office writes its records in its own style by editing its catalogue; a template may drop a placeholder, and one
that does not format falls back to the English source (domain.case_record.fill). Entries are always Japanese,
whatever the language of the request that writes them (a check-in comes from a kiosk in Vietnamese).
"""

from __future__ import annotations

from collections.abc import Sequence

from babel.support import NullTranslations, Translations
from flask import current_app
from flask_babel import force_locale

from ...domain.answers import N_
from ...domain.case_record import EntryKind, fill, numbered
from ...extensions import babel
from ...i18n.catalogues import RECIPIENT_DOMAIN, STAFF_DOMAIN
from ..plan_text import era_date, era_datetime, era_month, evaluation_label, program_name, sheet_goal
from .check_ins import STATUS_LABELS

CATALOGUE = "yorisoi.case_record_catalogue"

# i18n: staff: the template of the case record entry (ケース記録) written when a plan version is approved. An
# office may reword it; keep the %(name)s placeholders it uses (any may be dropped): %(number)s the version,
# %(goal)s, %(goal_month)s its target month, %(actions)s the numbered actions, %(programs)s the programs with
# their support, %(review_date)s the next review.
PLAN = N_(
    "Self-reliance support program: met the recipient and drew up the self-reliance plan (version %(number)s). "
    "Goal: %(goal)s (by %(goal_month)s). Actions: %(actions)s. Support: %(programs)s. Next review: %(review_date)s."
)
# i18n: staff: the template of the case record entry written when a review (見直し) is recorded: %(number)s the
# plan's version, %(goal)s and %(goal_evaluation)s, %(actions)s and %(programs)s each with progress and evaluation.
REVIEW = N_(
    "Self-reliance support program: met the recipient and reviewed the self-reliance plan (version %(number)s). "
    "Goal: %(goal)s, %(goal_evaluation)s. Actions: %(actions)s. Support: %(programs)s."
)
# i18n: staff: the template of the case record entry written when the recipient checks in at a kiosk: %(actions)s
# each action with how it goes, %(note)s what they wrote, %(requests)s whether they would like to talk or need help.
CHECK_IN = N_(
    "Self-reliance support program: the recipient checked in at the kiosk. Actions: %(actions)s. "
    "Their note: %(note)s. %(requests)s"
)
# i18n: staff: one action in a case record entry: %(action)s what, %(date)s by when.
ACTION_ITEM = N_("%(action)s (by %(date)s)")
# i18n: staff: one support program in a case record entry: %(program)s its name, %(support)s the support planned.
PROGRAM_ITEM = N_("%(program)s: %(support)s")
# i18n: staff: one action or program in a review's case record entry: %(item)s, %(progress)s, %(evaluation)s.
REVIEW_ITEM = N_("%(item)s: %(progress)s (%(evaluation)s)")
# i18n: staff: one action in a check-in's case record entry: %(action)s, %(status)s how the recipient said it goes.
CHECK_IN_ITEM = N_("%(action)s: %(status)s")
# i18n: staff: what separates listed programs in a case record entry (Japanese: 、).
SEPARATOR = N_(", ")
# i18n: staff: in a case record entry, where nothing was written (no note, no progress).
NOTHING = N_("none")
# How each answer about an action reads: the same words as on the review form (check_ins.py).
CHECK_IN_STATUS = STATUS_LABELS
# i18n: staff: in a check-in's case record entry.
WANTS_TALK = N_("The recipient would like to talk to the caseworker.")
# i18n: staff: in a check-in's case record entry.
NEEDS_HELP = N_("The recipient asked for help.")
KIND_LABELS = {
    # i18n: staff: the kind of a case record entry: a plan drawn up (計画策定).
    EntryKind.PLAN: N_("Plan drawn up"),
    # i18n: staff: the kind of a case record entry: a plan reviewed (見直し).
    EntryKind.REVIEW: N_("Plan reviewed"),
    # i18n: staff: the kind of a case record entry: the recipient checked in at a kiosk.
    EntryKind.CHECK_IN: N_("Check-in at the kiosk"),
}


def _catalogue() -> Translations | NullTranslations:
    """The Japanese staff catalogue, then the Japanese recipients' one (read once per process)."""
    found = current_app.extensions.get(CATALOGUE)
    if found is None:
        found = NullTranslations()
        for dirname in reversed(babel.domain_instance.translation_directories):
            for domain in (RECIPIENT_DOMAIN, STAFF_DOMAIN):
                catalog = Translations.load(dirname, ["ja"], domain)
                catalog.add_fallback(found)
                found = catalog
        current_app.extensions[CATALOGUE] = found
    return found


def office_text(source: str, **values) -> str:
    """An office's template in Japanese, filled with `values`."""
    return fill(_catalogue().ugettext(source), source, values)


def kind_label(kind: str) -> str:
    return _catalogue().ugettext(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def _or_nothing(text: str | None) -> str:
    return (text or "").strip() or office_text(NOTHING)


def _joined(items: Sequence[str]) -> str:
    return office_text(SEPARATOR).join(items) or office_text(NOTHING)


class OfficeWording:
    """The wording services.case_records asks for (registered as its WORDING)."""

    def plan_entry(self, plan) -> str:
        content = plan.plan
        with force_locale("ja"):
            actions = [office_text(ACTION_ITEM, action=a.sheet_text, date=era_date(a.date)) for a in content.actions]
            programs = [
                office_text(PROGRAM_ITEM, program=program_name(p.id), support=_or_nothing(p.support))
                for p in content.programs
            ]
            return office_text(
                PLAN,
                number=plan.number,
                goal=sheet_goal(content.goal),
                goal_month=era_month(content.goal.date),
                actions=numbered(actions, "") or office_text(NOTHING),
                programs=_joined(programs),
                review_date=era_date(plan.review_date),
            )

    def review_entry(self, review) -> str:
        plan, result = review.plan, review.result
        content = plan.plan
        with force_locale("ja"):
            actions = []
            for index, action in enumerate(content.actions):
                line = result.actions[index] if index < len(result.actions) else None
                actions.append(self._review_item(action.sheet_text, line))
            programs = [self._review_item(program_name(p.id), result.programs.get(p.id)) for p in content.programs]
            return office_text(
                REVIEW,
                number=plan.number,
                goal=sheet_goal(content.goal),
                goal_evaluation=_or_nothing(evaluation_label(result.goal.evaluation)),
                actions=numbered(actions, "") or office_text(NOTHING),
                programs=_joined(programs),
            )

    @staticmethod
    def _review_item(item: str, line) -> str:
        progress = line.progress if line else ""
        evaluation = evaluation_label(line.evaluation) if line else ""
        return office_text(REVIEW_ITEM, item=item, progress=_or_nothing(progress), evaluation=_or_nothing(evaluation))

    def check_in_entry(self, case, action_statuses, note: str, wants_talk: bool, needs_help: bool) -> str:
        actions = [
            office_text(CHECK_IN_ITEM, action=text, status=office_text(CHECK_IN_STATUS[status]))
            for text, status in action_statuses
        ]
        requests = [office_text(text) for wanted, text in ((wants_talk, WANTS_TALK), (needs_help, NEEDS_HELP)) if wanted]
        return office_text(
            CHECK_IN,
            actions=numbered(actions, "") or office_text(NOTHING),
            note=_or_nothing(note),
            requests="".join(requests),
        ).strip()

    def export_header(self) -> list[str]:
        return [
            # i18n: staff: a column of the case record CSV.
            office_text(N_("Case number")),
            # i18n: staff: a column of the case record CSV: the day the entry records.
            office_text(N_("Day of the entry")),
            # i18n: staff: a column of the case record CSV: the kind of entry (plan drawn up, review, check-in).
            office_text(N_("Kind")),
            # i18n: staff: a column of the case record CSV: the entry's words.
            office_text(N_("Content")),
            # i18n: staff: a column of the case record CSV: when the caseworker confirmed the entry.
            office_text(N_("Confirmed at")),
            # i18n: staff: a column of the case record CSV: who confirmed the entry.
            office_text(N_("Confirmed by")),
        ]

    def export_row(self, entry) -> list[str]:
        return [
            entry.case.case_number,
            era_date(entry.day),
            kind_label(entry.kind),
            entry.content,
            era_datetime(entry.confirmed_at),
            entry.confirmer.display_name if entry.confirmer else "",
        ]
