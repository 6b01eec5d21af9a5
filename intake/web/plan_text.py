"""A plan's parts as text: the goal, its kind, programs and evaluations, in the page's language.

Plan content stores ids and the words people wrote; this module turns ids into translated labels
(gettext, so a missing translation falls back to English) and leaves written words verbatim. The
printed sheet's Japanese labels come from the office's data file (data/plan_sheet.yaml).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app, g
from flask_babel import gettext

from ..domain.answers import N_
from ..domain.engine import Engine
from ..domain.eras import EraCalendar
from ..domain.plan import Draft, Plan, PlanGoal, Written
from ..i18n import answer_text, language_name_in, option_label, translate
from ..records import as_utc
from ..services.office_data import read_office_data
from .common import intake_engine

EVALUATION_LABELS = {
    # i18n: An evaluation of a goal or action at review time, on the recipient's copy of the plan.
    "achieved": N_("Achieved"),
    # i18n: An evaluation of a goal or action at review time, on the recipient's copy of the plan.
    "partly": N_("Partly achieved"),
    # i18n: An evaluation of a goal or action at review time: not achieved yet.
    "not_yet": N_("Not yet"),
}
# The queue's statuses (records.CaseStatus) as staff read them.
STATUS_LABELS = {
    # i18n: staff: a case status in the caseworker's queue.
    "new": N_("New"),
    # i18n: staff: a case status in the caseworker's queue.
    "ticket_issued": N_("Ticket issued"),
    # i18n: staff: a case status in the caseworker's queue.
    "code_expired": N_("Code expired"),
    # i18n: staff: a case status in the caseworker's queue.
    "at_kiosk": N_("At the kiosk"),
    # i18n: staff: a case status in the caseworker's queue.
    "submitted": N_("Draft sent"),
    # i18n: staff: a case status in the caseworker's queue.
    "in_review": N_("In review"),
    # i18n: staff: a case status in the caseworker's queue.
    "awaiting_sign_off": N_("Awaiting sign-off"),
    # i18n: staff: a case status in the caseworker's queue.
    "approved": N_("Approved"),
    # i18n: staff: a case status in the caseworker's queue.
    "review_due": N_("Review due"),
    # i18n: staff: a case status in the caseworker's queue.
    "closed": N_("Closed"),
}
# The audit log's actions (audit_log.audit) as staff read them: on the audit pages and in their CSV.
AUDIT_ACTIONS = {
    # i18n: staff: an action in the audit log.
    "account": N_("Account changed"),
    # i18n: staff: an action in the audit log.
    "approve": N_("Plan approved"),
    # i18n: staff: an action in the audit log: a pocket card was issued for a plan version.
    "card_issue": N_("Pocket card issued"),
    # i18n: staff: an action in the audit log: a pocket card stopped working (new version, case closed, reissued).
    "card_revoke": N_("Pocket card revoked"),
    # i18n: staff: an action in the audit log: the recipient checked in at a kiosk with their pocket card.
    "check_in": N_("Checked in at the kiosk"),
    # i18n: staff: an action in the audit log.
    "claim": N_("Walk-in draft claimed"),
    # i18n: staff: an action in the audit log.
    "close": N_("Case closed"),
    # i18n: staff: an action in the audit log: how long the anonymous step counts are kept was changed.
    "counts_retention": N_("Step counts retention changed"),
    # i18n: staff: an action in the audit log.
    "create": N_("Case created"),
    # i18n: staff: an action in the audit log.
    "edit": N_("Plan edited"),
    # i18n: staff: an action in the audit log.
    "erase": N_("Records erased"),
    # i18n: staff: an action in the audit log.
    "export": N_("Records exported"),
    # i18n: staff: an action in the audit log.
    "file_pdf": N_("PDF filed"),
    # i18n: staff: an action in the audit log.
    "kiosk_key": N_("Kiosk enrolment address renewed"),
    # i18n: staff: an action in the audit log.
    "kiosk_start": N_("Started at the kiosk"),
    # i18n: staff: an action in the audit log: an operator's command that worked on every office, one at a time.
    "operator": N_("Operator's command across offices"),
    # i18n: staff: an action in the audit log.
    "print": N_("Printed"),
    # i18n: staff: an action in the audit log.
    "programs": N_("Support programs changed"),
    # i18n: staff: an audit log action: records deleted because the office's retention period ended.
    "purge": N_("Deleted after the retention period"),
    # i18n: staff: an action in the audit log.
    "reassign": N_("Reassigned"),
    # i18n: staff: an action in the audit log.
    "reopen": N_("Case reopened"),
    # i18n: staff: an action in the audit log: a case record entry (ケース記録) was confirmed.
    "record_confirm": N_("Case record entry confirmed"),
    # i18n: staff: an action in the audit log: a case's confirmed record entries were downloaded as CSV.
    "record_export": N_("Case record exported"),
    # i18n: staff: an action in the audit log.
    "review": N_("Reviewed"),
    # i18n: staff: an action in the audit log.
    "sign_in": N_("Signed in"),
    # i18n: staff: an action in the audit log: a sign-in refused (the detail says why: password, code, waiting…).
    "sign_in_failed": N_("Sign-in refused"),
    # i18n: staff: an action in the audit log.
    "sign_out": N_("Signed out"),
    # i18n: staff: an action in the audit log: a signed-in session ended (signed out, expired, ended by an admin…).
    "session_ended": N_("Session ended"),
    # i18n: staff: an action in the audit log: a request with an ended, unknown or forged session cookie was refused.
    "session_refused": N_("Session cookie refused"),
    # i18n: staff: an action in the audit log: a staff member set up their one-time codes (second factor).
    "factor_enrolled": N_("One-time codes set up"),
    # i18n: staff: an action in the audit log: an admin reset a staff member's one-time codes (second factor).
    "factor_reset": N_("One-time codes reset"),
    # i18n: staff: an action in the audit log: a one-time recovery code was used to sign in.
    "recovery_code_used": N_("Recovery code used"),
    # i18n: staff: an action in the audit log: an office setting was changed (e.g. whether one-time codes are required).
    "office_setting": N_("Office setting changed"),
    # i18n: staff: an action in the audit log.
    "sign_off": N_("Signed off"),
    # i18n: staff: an action in the audit log.
    "ticket": N_("Code issued"),
    # i18n: staff: an action in the audit log.
    "view": N_("Viewed"),
}
GROUP_LABELS = {
    # i18n: A kind of goal: self-reliance through work (経済的自立).
    "economic": N_("Economic self-reliance"),
    # i18n: A kind of goal: managing one's own health and daily life (日常生活自立).
    "daily_life": N_("Daily-life self-reliance"),
    # i18n: A kind of goal: social ties and taking part in the community (社会生活自立).
    "social_life": N_("Social-life self-reliance"),
    # The report's sub-lines inside a group (docs/domain.md §8).
    # i18n: A sub-line of a report table: the part of a group that is about finding work.
    "employment": N_("of which: employment"),
    # i18n: A sub-line of a report table: the part of a group that is about children.
    "children": N_("of which: children"),
}


def load_office_data(app) -> None:
    """Read the era table and the plan sheet once, when the blueprint is registered."""
    eras, sheet = read_office_data(Path(app.config["ERAS_FILE"]), Path(app.config["PLAN_SHEET_FILE"]))
    app.extensions["yorisoi.eras"] = eras
    app.extensions["yorisoi.plan_sheet"] = sheet


def sheet_office() -> tuple[str, str]:
    """The office the sheet is addressed to: (its name, the addressee line 〇〇福祉事務所長 殿).

    The one place the sheet learns its office: the request's office record (offices.head_title, else its
    name + 長); a staff member's office is the case's, as walls keep them to their own office's cases.
    """
    from .offices import current_office

    office = current_office()
    return office.name, office.addressee


def interpreted_note(content: Plan) -> str:
    """The sheet's note that the recipient's words in another language are printed as their Japanese, and by whom."""
    written = [content.goal.language] if content.goal.needs_japanese else []
    written += [a.language for a in content.actions if a.needs_japanese]
    labels = plan_sheet()["labels"]
    note = labels["interpreted"] if content.interpreter else labels["interpreted_unnamed"]
    languages = "・".join(language_name(code) for code in dict.fromkeys(written))
    return note.replace("{language}", languages).replace("{interpreter}", content.interpreter)


def eras() -> EraCalendar:
    return current_app.extensions["yorisoi.eras"]


def plan_sheet() -> Mapping:
    """The plan sheet's Japanese text: data/plan_sheet.yaml, with the office's own addressee and labels over it."""
    from .offices import current_office

    sheet = current_app.extensions["yorisoi.plan_sheet"]
    office = current_office()
    if not office.sheet_labels:
        return sheet
    return {**sheet, "labels": {**sheet["labels"], **office.sheet_labels}}


def era_date(day: date | str | None) -> str:
    """A date as official forms write it: 令和元年5月1日."""
    if not day:
        return ""
    day = day if isinstance(day, date) else date.fromisoformat(day)
    return eras().format_date(day, western=current_app.config["PLAN_WESTERN_YEAR"])


def era_datetime(moment: datetime | None) -> str:
    """A moment as staff pages write it, in the office's time zone: 令和8年12月3日 16:05."""
    if not moment:
        return ""
    moment = as_utc(moment)
    local = moment.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))
    days = g.setdefault("yorisoi_era_days", {})  # a queue page writes hundreds of moments on a few days
    day = local.date()
    if day not in days:
        days[day] = era_date(day)
    return f"{days[day]} {local:%H:%M}"


def era_month(month: str | None) -> str:
    """A target month as the sheet writes it: 令和9年11月."""
    if not month:
        return ""
    text = era_date(month + "-01")
    return text[: text.index("月") + 1] if "月" in text else text


def goal_sentence(goal: PlanGoal, engine: Engine | None = None) -> str:
    """The plan's goal: a chosen suggestion translated, or the words someone wrote, verbatim."""
    engine = engine or intake_engine()
    for s in engine.dialogue.goal_suggestions:
        if s.id == goal.suggestion:
            return translate(engine.dialogue.context("goal", s.id), s.text)
    return goal.text or ""


def sheet_goal(goal: PlanGoal, engine: Engine | None = None) -> str:
    """The goal as the official (Japanese) sheet prints it: the Japanese of words written in another language."""
    return (goal.japanese or goal.text or "") if goal.needs_japanese else goal_sentence(goal, engine)


def goal_kind_label(kind: str | None, engine: Engine | None = None) -> str:
    engine = engine or intake_engine()
    step_id = engine.dialogue.produces.step("goal.kind")
    step = engine.dialogue.steps.get(step_id) if step_id else None
    option = step.option(kind) if step and kind else None
    return option_label(option) if option else (kind or "")


# What the recipient said besides goal and actions, in the order the draft sheet lists it.
DRAFT_ANSWER_FIELDS = (
    "future.picture",
    "future.areas",
    "strengths.chosen",
    "strengths.own",
    "situation",
    "barriers.chosen",
    "barriers.own",
)


def draft_answers(engine: Engine, draft: Draft, answers: Mapping[str, object]) -> list[dict]:
    """The recipient's other answers as rows: the question, the answer as staff read it, the language written in."""
    written: dict[str, Written | None] = {
        "future.picture": draft.future_picture,
        "strengths.own": draft.strengths.own,
        "barriers.own": draft.barriers.own,
    }
    rows = []
    for name in DRAFT_ANSWER_FIELDS:
        for step_id in engine.dialogue.produces.steps(name):
            if step_id not in answers:
                continue
            step = engine.step(step_id)
            own = written.get(name)
            rows.append(
                {"step": step, "answer": answer_text(engine, step, answers), "written_in": own and own.language}
            )
    return rows


def program_name(program_id: str, engine: Engine | None = None) -> str:
    program = (engine or intake_engine()).program(program_id)
    return translate(program.context("name"), program.name) if program else program_id


def evaluation_label(evaluation: str | None) -> str:
    return gettext(EVALUATION_LABELS[evaluation]) if evaluation in EVALUATION_LABELS else ""


def status_text(status: str) -> str:
    """A case status in the page's language; translated once a request, as the queue shows hundreds."""
    labels = g.get("yorisoi_status_labels")
    if labels is None:
        labels = g.yorisoi_status_labels = {key: gettext(text) for key, text in STATUS_LABELS.items()}
    return labels.get(status, status)


def labelled(labels: Mapping[str, str], code: str) -> str:
    """A stored code as staff read it: its label from `labels`, translated; a code with no label, as stored."""
    return gettext(labels[code]) if code in labels else code


def each_labelled(labels: Mapping[str, str], codes: str) -> str:
    """Stored codes listed as "a, b" (an audit line's detail), each as staff read it, joined the Japanese way."""
    return "、".join(labelled(labels, code) for code in codes.split(", "))


def audit_action_label(action: str) -> str:
    return labelled(AUDIT_ACTIONS, action)


# Why a sign-in was refused or a session ended, as the sign-in code writes it into an audit line's detail
# (web/caseworker/sign_in.py, services/staff_sessions.py), and as staff read it.
SIGN_IN_REASONS = {
    # i18n: staff: an audit log detail: why a sign-in was refused.
    "password": N_("wrong password or unknown username"),
    # i18n: staff: an audit log detail: why a sign-in was refused.
    "inactive": N_("deactivated account"),
    # i18n: staff: an audit log detail: why a sign-in was refused.
    "code": N_("wrong one-time code"),
    # i18n: staff: an audit log detail: why a sign-in was refused.
    "recovery code": N_("wrong or used recovery code"),
    # i18n: staff: an audit log detail: why a sign-in was refused.
    "enrolment code": N_("wrong code while setting up one-time codes"),
    # i18n: staff: an audit log detail: why a sign-in was refused: it came while failures made the account wait.
    "while waiting": N_("during a wait after failures"),
    # i18n: staff: an audit log detail: why a sign-in was refused.
    "while waiting (with a code)": N_("during a wait after failures (with a code)"),
    # i18n: staff: an audit log detail: why a sign-in was refused.
    "code while waiting": N_("one-time code during a wait after failures"),
    # i18n: staff: an audit log detail: why a sign-in was refused.
    "enrolment code while waiting": N_("set-up code during a wait after failures"),
    # i18n: staff: an audit log detail: why a session ended.
    "signed_out": N_("signed out"),
    # i18n: staff: an audit log detail: why a session ended.
    "idle": N_("no activity for too long"),
    # i18n: staff: an audit log detail: why a session ended.
    "lifetime": N_("the session's time limit"),
    # i18n: staff: an audit log detail: why a session ended.
    "deactivated": N_("account deactivated"),
    # i18n: staff: an audit log detail: why a session ended.
    "password_set": N_("new password set by an admin"),
    # i18n: staff: an audit log detail: why a session ended.
    "password_changed": N_("password changed"),
    # i18n: staff: an audit log detail: why a session ended.
    "ended_by_admin": N_("ended by an admin"),
    # i18n: staff: an audit log detail: why a session ended.
    "factor_reset": N_("one-time codes reset"),
    # i18n: staff: an audit log detail: why a session cookie was refused: its session had already ended.
    "ended": N_("session already ended"),
    # i18n: staff: an audit log detail: why a session cookie was refused: no such session (forged or garbled).
    "unknown": N_("no such session"),
}
def audit_detail(entry) -> str:
    """An audit line's detail as staff read it: a Japanese sentence (web/audit_text.py)."""
    from .audit_text import audit_detail as detail_text

    return detail_text(entry)


def audit_actor(entry) -> str:
    """Who made an audit entry, as staff read it: the staff member, else the command line, the purge or a kiosk."""
    if entry.user is not None:
        return entry.user.display_name
    if entry.action in ("account", "operator", "office_setting"):
        # i18n: staff: who made an audit log entry: an operator's command.
        return gettext("Command line")
    if entry.action == "purge":
        # i18n: staff: who made an audit log entry: the app itself, deleting records whose retention period ended.
        return gettext("Automatic deletion")
    # i18n: staff: who made an audit log entry: a recipient at a kiosk.
    return gettext("Kiosk")


def group_label(group: str) -> str:
    return labelled(GROUP_LABELS, group)


# Staff read every language by its Japanese name, one name per language on every page and paper: Babel's (the
# plan sheet's フィリピノ語, not Tagalog here and something else there), but for what Babel cannot name.
_JAPANESE_NAMES = {"ja@easy": "やさしい日本語"}


def language_name(code: str | None) -> str:
    """A language as staff read it: its Japanese name (ベトナム語), never the recipient's own script."""
    if not code:
        return ""
    if code in _JAPANESE_NAMES:
        return _JAPANESE_NAMES[code]
    return language_name_in(code, "ja") or code  # not a locale id Babel knows: shown as stored


def staff_language_names() -> dict[str, str]:
    """Every language the kiosk speaks, by its Japanese name (the staff's choice of a recipient's language)."""
    return {code: language_name(code) for code in current_app.config["LANGUAGES"]}


def receipt_text(code: str | None) -> str:
    """A receipt code as the recipient's screen shows it (ABCD-EFGH), so staff read the same code they bring."""
    if not code or len(code) != 8 or "-" in code:
        return code or ""
    return f"{code[:4]}-{code[4:]}"


def template_helpers() -> dict:
    return {
        "era_date": era_date,
        "era_datetime": era_datetime,
        "era_month": era_month,
        "goal_sentence": goal_sentence,
        "sheet_goal": sheet_goal,
        "goal_kind_label": goal_kind_label,
        "program_name": program_name,
        "draft_answers": draft_answers,
        "evaluation_label": evaluation_label,
        "group_label": group_label,
        "audit_action_text": audit_action_label,
        "audit_actor": audit_actor,
        "audit_detail": audit_detail,
        "status_text": status_text,
        "language_name": language_name,
        "receipt_text": receipt_text,
        "staff_language_names": staff_language_names,
        "plan_sheet": plan_sheet,
        "sheet_office": sheet_office,
        "interpreted_note": interpreted_note,
    }
