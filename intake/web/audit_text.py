"""An audit line's detail as staff read it: a Japanese sentence, whatever the code that wrote the line stored.

The audit log stores its details as the code writes them (short English, ids and ISO dates: part of each line's
hash, and the same in every office's language), so old lines read as well as new ones. This module is the one
place that turns them into what staff read, on the audit pages and in the audit CSV: each action's stored shapes,
its parts (dates, versions, codes, roles, the plan's parts) written as the rest of the staff pages write them.
A detail of a shape not listed here is shown as stored (the Japanese-only test of staff pages names it).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import gettext, ngettext, pgettext

from ..domain.answers import N_, Nn_
from .plan_text import SIGN_IN_REASONS, each_labelled, era_date, labelled, language_name, program_name, receipt_text


def _day(value: str) -> str:
    try:
        return era_date(value)
    except ValueError:
        return value


def _role(value: str) -> str:
    labels = {
        "caseworker": pgettext("role", "Caseworker"),
        "supervisor": pgettext("role", "Supervisor"),
        "translator": pgettext("role", "Translator"),
        "admin": pgettext("role", "Administrator"),
    }
    return labels.get(value, value)


# The plan's top-level parts, as the edit history names them (intake/web/history.py).
def _parts(value: str) -> str:
    from .history import PART_LABELS

    return each_labelled(PART_LABELS, value)


PROGRAM_FIELDS = {
    # i18n: staff: a part of a support program that an admin changed (in the audit log).
    "name": N_("name"),
    # i18n: staff: a part of a support program that an admin changed (in the audit log).
    "description": N_("support text"),
    # i18n: staff: a part of a support program that an admin changed (in the audit log).
    "action": N_("suggested first action"),
    # i18n: staff: a part of a support program that an admin changed (in the audit log).
    "group": N_("group"),
    # i18n: staff: a part of a support program that an admin changed (in the audit log).
    "barriers": N_("barriers it answers"),
    # i18n: staff: a part of a support program that an admin changed (in the audit log).
    "goal_kinds": N_("goal kinds"),
    # i18n: staff: a part of a support program that an admin changed (in the audit log).
    "report_lines": N_("report lines"),
    # i18n: staff: a part of a support program that an admin changed (in the audit log).
    "always_for": N_("barriers it is made for"),
    # i18n: staff: a part of a support program that an admin changed (in the audit log).
    "answers": N_("other answers that fit it"),
    # i18n: staff: a part of a support program that an admin changed (in the audit log).
    "ages": N_("age bands"),
    # i18n: staff: a part of a support program that an admin changed (in the audit log).
    "employment": N_("whether it is about work"),
    # i18n: staff: a part of a support program that an admin changed (in the audit log).
    "require": N_("who it is suggested only for"),
    # i18n: staff: a part of a support program that an admin changed (in the audit log).
    "exclude": N_("who it is never suggested for"),
}


def _program_fields(value: str) -> str:
    return each_labelled(PROGRAM_FIELDS, value)


# The records an erasure or the retention purge deleted, by table (services/retention.py writes "table count, …").
TABLES = {
    # i18n: staff: a kind of record deleted (in the audit log's detail of an erasure or purge).
    "intakes": N_("kiosk answers"),
    # i18n: staff: a kind of record deleted (in the audit log's detail of an erasure or purge).
    "draft_plans": N_("drafts"),
    # i18n: staff: a kind of record deleted (in the audit log's detail of an erasure or purge).
    "case_intakes": N_("links to drafts"),
    # i18n: staff: a kind of record deleted (in the audit log's detail of an erasure or purge).
    "tickets": N_("codes"),
    # i18n: staff: a kind of record deleted (in the audit log's detail of an erasure or purge).
    "worksheets": N_("worksheets"),
    # i18n: staff: a kind of record deleted (in the audit log's detail of an erasure or purge).
    "plan_edits": N_("edit history entries"),
    # i18n: staff: a kind of record deleted (in the audit log's detail of an erasure or purge).
    "plan_versions": N_("plan versions"),
    # i18n: staff: a kind of record deleted (in the audit log's detail of an erasure or purge).
    "plan_documents": N_("filed PDFs"),
    # i18n: staff: a kind of record deleted (in the audit log's detail of an erasure or purge).
    "reviews": N_("reviews"),
}
_COUNT = re.compile(r"^(?P<table>[a-z_]+) (?P<count>\d+)$")


def _counts(value: str) -> str:
    parts = []
    for item in filter(None, value.split(", ")):
        match = _COUNT.match(item)
        if match is None:
            parts.append(item)
            continue
        table = match["table"]
        name = labelled(TABLES, table)
        count = int(match["count"])
        # i18n: staff: how many records of one kind an erasure or purge deleted (in the audit log).
        parts.append(ngettext("%(records)s: %(count)s record", "%(records)s: %(count)s records", count, records=name, count=count))
    return "、".join(parts) if parts else gettext("none")


_ACCOUNT_CHANGE = re.compile(r"^(?P<what>role|supervisor|name) (?P<before>.*) → (?P<after>.*)$")


def _account_changes(value: str) -> str:
    """ "role caseworker → supervisor, name A → B" (services/accounts.py) as staff read it."""
    labels = {
        # i18n: staff: a part of a staff account that an admin changed (in the audit log).
        "role": gettext("role"),
        # i18n: staff: a part of a staff account that an admin changed (in the audit log).
        "supervisor": gettext("supervisor"),
        # i18n: staff: a part of a staff account that an admin changed (in the audit log).
        "name": gettext("name shown"),
    }
    parts = []
    for item in value.split(", "):
        match = _ACCOUNT_CHANGE.match(item)
        if match is None:
            parts.append(item)
            continue
        before, after = match["before"], match["after"]
        if match["what"] == "role":
            before, after = _role(before), _role(after)
        parts.append(gettext("%(what)s %(before)s → %(after)s", what=labels[match["what"]], before=before, after=after))
    return "、".join(parts)


CARD_REVOKED = {
    # i18n: staff: why a pocket card stopped working (in the audit log): a new version of the plan was approved.
    "revision": N_("new plan version"),
    # i18n: staff: why a pocket card stopped working (in the audit log): the case was closed.
    "closure": N_("case closed"),
    # i18n: staff: why a pocket card stopped working (in the audit log): a new card was printed instead.
    "reissue": N_("card reissued"),
}


def _card_reason(value: str) -> str:
    return labelled(CARD_REVOKED, value)


def _record_kind(value: str) -> str:
    from .caseworker.record_text import KIND_LABELS

    return labelled(KIND_LABELS, value)


def _encoding(value: str) -> str:
    return "Shift_JIS（CP932）" if value == "cp932" else "UTF-8"


OPERATOR_SCOPES = {
    # i18n: staff: an operator's command that worked on every office (in the audit log).
    "purge": N_("Deleting what is due in every office (flask intake purge)"),
    # i18n: staff: an operator's command that worked on every office (in the audit log).
    "audit_verify": N_("Checking every office's audit log (flask intake audit verify)"),
    # i18n: staff: an operator's command that worked on every office (in the audit log).
    "users_list": N_("Listing every office's accounts (flask intake users list)"),
    # i18n: staff: an operator's command that worked on every office (in the audit log).
    "office_list": N_("Listing every office's staff and cases (flask intake office list)"),
}

# The parts a pattern captures, and how each is written for staff; the others are shown as they are.
CONVERT: dict[str, Callable[[str], str]] = {
    "start": _day,
    "end": _day,
    "closed": _day,
    "role": _role,
    "old_role": _role,
    "parts": _parts,
    "fields": _program_fields,
    "counts": _counts,
    "changes": _account_changes,
    "locale": language_name,
    "program": program_name,
    "receipt": receipt_text,
    "day": _day,
    "reason": _card_reason,
    "kind": _record_kind,
    "encoding": _encoding,
}
_VERSION = r"version (?P<number>\d+)"
_PERIOD = r"(?P<start>\d{4}-\d{2}-\d{2})\.\.(?P<end>\d{4}-\d{2}-\d{2})"
_CODE = r"(?P<code>[A-Z0-9][A-Z0-9-]*)"
_DAY = r"(?P<day>\d{4}-\d{2}-\d{2})"
_WHO = r"(?P<who>[^:]+): "

# Per action: (the stored shape, the sentence staff read: Nn_'s pair where the shape holds a count). The first shape
# that matches wins.
DETAILS: dict[str, tuple[tuple[str, str], ...]] = {
    "export": (
        # i18n: staff: an audit log detail (what was exported).
        (r"case records json \(cli\)", N_("The case's records as JSON, from the command line")),
        # i18n: staff: an audit log detail (what was exported).
        (r"case records json", N_("The case's records as JSON")),
        # i18n: staff: an audit log detail (what was exported).
        (_VERSION + r" json", N_("Version %(number)s as JSON")),
        # i18n: staff: an audit log detail (what was exported); %(start)s and %(end)s are dates.
        (r"report\.csv " + _PERIOD, N_("The report's CSV, %(start)s to %(end)s")),
        # i18n: staff: an audit log detail (what was exported).
        (r"audit\.csv", N_("The audit log's CSV")),
        # i18n: staff: an audit log detail (what was exported); %(start)s and %(end)s are dates.
        (r"step counts\.csv " + _PERIOD, N_("The step counts' CSV, %(start)s to %(end)s")),
    ),
    "view": (
        # i18n: staff: an audit log detail (what was viewed).
        (r"review form", N_("The review form")),
        # i18n: staff: an audit log detail (what was viewed); %(start)s and %(end)s are dates.
        (r"report " + _PERIOD, N_("The report, %(start)s to %(end)s")),
        # i18n: staff: an audit log detail (what was viewed); %(start)s and %(end)s are dates.
        (r"step counts " + _PERIOD, N_("The step counts, %(start)s to %(end)s")),
        # i18n: staff: an audit log detail (what was viewed).
        (r"worksheet", N_("The worksheet")),
        # i18n: staff: an audit log detail (what was viewed).
        (_VERSION, N_("Version %(number)s of the plan")),
        # i18n: staff: an audit log detail (what was viewed): two versions of the plan side by side.
        (r"versions (?P<older>\d+)→(?P<newer>\d+)", N_("Versions %(older)s and %(newer)s compared")),
        # i18n: staff: an audit log detail (what was viewed).
        (r"case", N_("The case page")),
        # i18n: staff: an audit log detail (what was viewed): the case record (ケース記録) entries.
        (r"case record", N_("The case record")),
        # i18n: staff: an audit log detail (what was viewed): a draft sent from the kiosk, by its receipt code.
        (r"draft (?P<receipt>\S+)", N_("The draft with receipt code %(receipt)s")),
    ),
    "print": (
        # i18n: staff: an audit log detail (what was printed).
        (_VERSION + r" pdf", N_("Version %(number)s of the plan as PDF")),
        # i18n: staff: an audit log detail (what was printed): the bilingual copy handed to the recipient.
        (_VERSION + r" recipient copy", N_("Version %(number)s of the plan, the recipient's copy")),
        # i18n: staff: an audit log detail (what was printed).
        (_VERSION, N_("Version %(number)s of the plan")),
        # i18n: staff: an audit log detail (what was printed): the slip with a code for the kiosk.
        (r"ticket " + _CODE, N_("The slip with code %(code)s")),
        # i18n: staff: an audit log detail (what was printed): the recipient's pocket card, as PDF.
        (r"card " + _CODE + r" pdf", N_("The pocket card %(code)s as PDF")),
        # i18n: staff: an audit log detail (what was printed): the recipient's pocket card.
        (r"card " + _CODE, N_("The pocket card %(code)s")),
        # i18n: staff: an audit log detail (what was printed): the list of dates coming due; %(day)s is a date.
        (
            r"due dates list " + _DAY + r": (?P<count>\d+)",
            Nn_("The list of dates coming due, %(day)s (%(count)s line)", "The list of dates coming due, %(day)s (%(count)s lines)"),
        ),
        # i18n: staff: an audit log detail (what was printed): the letter reminding of the next review on %(day)s.
        (r"review reminder letter " + _DAY, N_("The reminder letter for the review on %(day)s")),
    ),
    # i18n: staff: an audit log detail: the pocket card printed for a plan version, by its code.
    "card_issue": ((_VERSION + r" " + _CODE, N_("Version %(number)s of the plan, card %(code)s")),),
    # i18n: staff: an audit log detail: why a pocket card stopped working, and its code.
    "card_revoke": ((r"(?P<reason>[a-z]+) " + _CODE, N_("Card %(code)s (%(reason)s)")),),
    # i18n: staff: an audit log detail: a check-in started at the kiosk with a pocket card, by its code.
    "kiosk_start": ((r"check-in " + _CODE, N_("Check-in with the pocket card %(code)s")),),
    # i18n: staff: an audit log detail: at a check-in the recipient said they need help.
    "check_in": ((r"needs help", N_("Needs help")),),
    # i18n: staff: an audit log detail: which case record entry was confirmed (its kind and date).
    "record_confirm": ((r"(?P<kind>[a-z_]+) " + _DAY, N_("%(kind)s, %(day)s")),),
    "record_export": (
        # i18n: staff: an audit log detail: the case record CSV, with characters its encoding could not hold as 〓.
        (
            r"case record csv (?P<encoding>utf-8|cp932) (?P<count>\d+); (?P<replaced>\d+) characters as 〓",
            Nn_(
                "Case record CSV (%(encoding)s), %(count)s entry, %(replaced)s characters written as 〓",
                "Case record CSV (%(encoding)s), %(count)s entries, %(replaced)s characters written as 〓",
            ),
        ),
        # i18n: staff: an audit log detail: the case record CSV and its character encoding.
        (
            r"case record csv (?P<encoding>utf-8|cp932) (?P<count>\d+)",
            Nn_("Case record CSV (%(encoding)s), %(count)s entry", "Case record CSV (%(encoding)s), %(count)s entries"),
        ),
    ),
    "approve": ((_VERSION, N_("Version %(number)s of the plan")),),
    "sign_off": ((_VERSION, N_("Version %(number)s of the plan")),),
    "review": ((_VERSION, N_("Version %(number)s of the plan")),),
    # i18n: staff: an audit log detail: the PDF kept on file and its fingerprint (a long code).
    "file_pdf": (
        (_VERSION + r" sha256 (?P<digest>[0-9a-f]+)", N_("Version %(number)s of the plan (hash %(digest)s)")),
    ),
    "edit": (
        # i18n: staff: an audit log detail: the caseworker started the plan's worksheet.
        (r"worksheet started", N_("Worksheet started")),
        # i18n: staff: an audit log detail: a new version of an approved plan was started.
        (r"revision of " + _VERSION, N_("Revision of version %(number)s started")),
        # i18n: staff: an audit log detail: the parts of the plan that a save changed (goal, actions…).
        (r"(?P<parts>[a-z_]+(?:, [a-z_]+)*)", N_("Changed: %(parts)s")),
    ),
    "ticket": (
        # i18n: staff: an audit log detail: a code issued for the recipient's intake at the kiosk.
        (r"intake " + _CODE, N_("Intake code %(code)s")),
        # i18n: staff: an audit log detail: a code issued for the recipient's review at the kiosk.
        (r"review " + _CODE, N_("Review code %(code)s")),
    ),
    # i18n: staff: an audit log detail: how long the anonymous step counts are kept now.
    "counts_retention": ((r"(?P<months>\d+) months", N_("Kept for %(months)s months")),),
    # i18n: staff: an audit log detail: how many unused recovery codes the staff member has left.
    "recovery_code_used": ((r"(?P<left>\d+)", N_("%(left)s recovery codes left")),),
    "office_setting": (
        # i18n: staff: an audit log detail: the office now requires one-time codes at sign-in.
        (r"second factor required", N_("One-time codes required at sign-in")),
        # i18n: staff: an audit log detail: the office no longer requires one-time codes at sign-in.
        (r"second factor optional", N_("One-time codes optional at sign-in")),
    ),
    "factor_enrolled": (
        # i18n: staff: an audit log detail: one-time codes set up with an authenticator app.
        (r"totp", N_("With an authenticator app")),
        # i18n: staff: an audit log detail: an operator's command gave the account its one-time-code key.
        (_WHO + r"totp provisioned", N_("%(who)s: authenticator key given by a command")),
    ),
    "account": (
        # i18n: staff: an audit log detail: an account created, with its role.
        (
            _WHO + r"created as (?P<role>[a-z]+), supervisor (?P<boss>.+)",
            N_("%(who)s: created as %(role)s, supervisor %(boss)s"),
        ),
        # i18n: staff: an audit log detail: an account created, with its role.
        (_WHO + r"created as (?P<role>[a-z]+)", N_("%(who)s: created as %(role)s")),
        # i18n: staff: an audit log detail: an account could sign in again.
        (_WHO + r"reactivated", N_("%(who)s: reactivated")),
        # i18n: staff: an audit log detail: an account can no longer sign in.
        (_WHO + r"deactivated", N_("%(who)s: deactivated")),
        # i18n: staff: an audit log detail: an admin set a new password for the account.
        (_WHO + r"password set", N_("%(who)s: new password set")),
        # i18n: staff: an audit log detail: the staff member changed their own password.
        (_WHO + r"password changed", N_("%(who)s: password changed")),
        # i18n: staff: an audit log detail: what an admin changed in an account (role, supervisor, name shown).
        (_WHO + r"(?P<changes>(?:role|supervisor|name) .+)", N_("%(who)s: %(changes)s")),
    ),
    "programs": (
        # i18n: staff: an audit log detail: the office's own list of support programs was started from the shipped one.
        (
            r"programs\.yaml copied into the office's own catalogue",
            N_("The office's own program list started from the shipped one"),
        ),
        # i18n: staff: an audit log detail: a support program was added.
        (r"(?P<program>[a-z0-9_]+): added", N_("%(program)s: added")),
        # i18n: staff: an audit log detail: parts of a support program were changed.
        (r"(?P<program>[a-z0-9_]+): (?P<fields>[a-z_]+(?:, [a-z_]+)*) changed", N_("%(program)s: %(fields)s changed")),
        # i18n: staff: an audit log detail: a support program is no longer offered.
        (r"(?P<program>[a-z0-9_]+): retired", N_("%(program)s: no longer offered")),
        # i18n: staff: an audit log detail: a retired support program is offered again.
        (r"(?P<program>[a-z0-9_]+): offered again", N_("%(program)s: offered again")),
        # i18n: staff: an audit log detail: a support program's text was translated into a language.
        (
            r"(?P<program>[a-z0-9_]+): (?P<fields>[a-z_]+) translated \((?P<locale>[A-Za-z_@]+)\)",
            N_("%(program)s: %(fields)s translated into %(locale)s"),
        ),
    ),
    "purge": (
        # i18n: staff: an audit log detail: a closed case deleted after the retention period; %(closed)s is a date.
        (
            r"case (?P<number>.+?); closed (?P<closed>\d{4}-\d{2}-\d{2}), kept (?P<years>\d+) years; (?P<counts>.*)",
            N_("Case %(number)s, closed %(closed)s, kept %(years)s years. Deleted: %(counts)s"),
        ),
        # i18n: staff: an audit log detail: kiosk answers never sent, deleted when the time to resume them ended.
        (
            r"unfinished kiosk answers (?P<code>[A-Z0-9-]*); the resume window ended",
            N_("Unsent kiosk answers (receipt code %(code)s): the time to resume them ended"),
        ),
    ),
    "erase": (
        # i18n: staff: an audit log detail: a whole case deleted at the recipient's request, with its reference.
        (
            r"case (?P<number>.+?); request (?P<reference>.+?); (?P<counts>.*)",
            N_("Case %(number)s, request %(reference)s. Deleted: %(counts)s"),
        ),
    ),
}
_COMPILED = {
    action: tuple((re.compile(f"^{shape}$"), sentence) for shape, sentence in shapes)
    for action, shapes in DETAILS.items()
}
_SIGN_IN_DETAIL = re.compile(r"^(?:(?P<who>[^:]+): )?(?P<reason>[a-z_ ()]+?)(?P<count> \(\d+\))?$")


def audit_detail(entry) -> str:
    """An audit line's detail as staff read it (see the module's docstring)."""
    detail = entry.detail or ""
    if entry.action in ("sign_in_failed", "session_ended", "session_refused"):
        match = _SIGN_IN_DETAIL.match(detail)
        if match is None or match["reason"] not in SIGN_IN_REASONS:
            return detail
        who = f"{match['who']}: " if match["who"] else ""
        return f"{who}{gettext(SIGN_IN_REASONS[match['reason']])}{match['count'] or ''}"
    if entry.action == "operator":
        return labelled(OPERATOR_SCOPES, detail)
    for pattern, sentence in _COMPILED.get(entry.action, ()):
        match = pattern.match(detail)
        if match:
            parts = {
                name: CONVERT[name](value) if name in CONVERT else value for name, value in match.groupdict().items()
            }
            values = {k: v or "" for k, v in parts.items()}
            if isinstance(sentence, tuple):  # a count: singular and plural (Nn_), by the shape's `count`
                return ngettext(*sentence, int(match["count"]), **values)
            return gettext(sentence, **values)
    return detail
