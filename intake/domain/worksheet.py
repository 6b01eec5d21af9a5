"""The caseworker's plan: started from the recipient's draft, edited, checked for approval, compared and reviewed.

Typed plans in, typed plans out: every edit returns a new Plan (frozen dataclasses; the record stores
`Plan.to_json()`) and a list of AnswerProblem; a non-empty list means nothing changed.
Text written by the recipient keeps the language it was written in; text the caseworker writes is
marked as Japanese, so the plan always says whose words are whose.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date

from .answers import N_, AnswerProblem, clean_text
from .dates import add_months, parse_day, parse_month
from .plan import Consent, Draft, Plan, PlanAction, PlanGoal, ProgramChoice, Review, ReviewLine

GOAL_KINDS = ("economic", "daily_life", "social_life")
EVALUATIONS = ("achieved", "partly", "not_yet")
MAX_ACTIONS = 5
MAX_TEXT = 400
MAX_NAME = 100
STAFF_LANGUAGE = "ja"


def _problem(code: str, message: str, where: str, **params) -> AnswerProblem:
    return AnswerProblem(code, message, params, where)


def _month_end(month: str) -> date:
    first = date.fromisoformat(month + "-01")
    return date.fromordinal(add_months(first, 1).toordinal() - 1)


def start_worksheet(draft: Draft | None, recipient_language: str | None) -> Plan:
    """A plan from the recipient's draft: their goal and actions, each in the language written in."""
    draft = draft or Draft("", 0)
    own = draft.goal.own
    return Plan(
        goal=PlanGoal(
            kind=draft.goal.kind,
            suggestion=draft.goal.suggestion,
            text=own.text if own else None,
            language=own.language if own else None,
            date=draft.goal.date,
        ),
        actions=tuple(PlanAction(a.text, a.date, a.confidence, a.language) for a in draft.actions[:MAX_ACTIONS]),
        barriers=draft.barriers.chosen,
        recipient_language=draft.preferred_language or recipient_language,
    )


def blank_worksheet(recipient_language: str | None) -> Plan:
    """A plan with nothing in it, for a case whose recipient did not use the kiosk."""
    return start_worksheet(None, recipient_language)


def revision_of(plan: Plan) -> Plan:
    """A plan for revising an approved one: the same content, consent to be given again."""
    return replace(plan, consent=Consent())


def edit_goal(
    plan: Plan,
    *,
    text: str | None,
    kind: object,
    month: object,
    today: date,
    japanese: str | None = None,
    check_actions: bool = True,
) -> tuple[Plan, list]:
    """Change the goal; `text` None keeps the goal's words (a suggestion stays a suggestion).

    `japanese` is the Japanese of the recipient's words in another language (None leaves it as it is);
    new words written here are the caseworker's, in Japanese. `check_actions` False leaves the check of
    the actions' dates against the new target date to `edit_actions`, when both change in one save.
    """
    problems: list[AnswerProblem] = []
    goal = plan.goal
    if text is not None:
        cleaned, found = clean_text(text, MAX_TEXT, "goal_text")
        problems += found
        if not cleaned:
            problems.append(_problem("required", N_("Please write the goal."), "goal_text"))
        goal = replace(goal, suggestion=None, text=cleaned, language=STAFF_LANGUAGE, japanese=None)
    elif japanese is not None and goal.needs_japanese:
        cleaned, found = clean_text(japanese, MAX_TEXT, "goal_japanese")
        problems += found
        goal = replace(goal, japanese=cleaned or None)
    if kind not in GOAL_KINDS:
        problems.append(_problem("invalid_kind", N_("Please choose the kind of self-reliance."), "goal_kind"))
    else:
        goal = replace(goal, kind=kind)
    first = parse_month(month)
    parsed = f"{first:%Y-%m}" if first else None
    if parsed is None:
        problems.append(_problem("invalid_date", N_("Please give the target date as a month."), "goal_date"))
    elif _month_end(parsed) < today:
        problems.append(_problem("date_past", N_("The target date of the goal is in the past."), "goal_date"))
    else:
        goal = replace(goal, date=parsed)
        if check_actions and any(a.date and a.date > _month_end(parsed).isoformat() for a in plan.actions):
            problems.append(
                _problem(
                    "dates_out_of_order",
                    N_("An action's date is after the goal's target date. Change the action first."),
                    "goal_date",
                )
            )
    if problems:
        return plan, problems
    return replace(plan, goal=goal), []


def edit_actions(plan: Plan, items: Sequence[Mapping]) -> tuple[Plan, list[AnswerProblem]]:
    """Replace the actions (at most five, each with a date no later than the goal's target date). None at all may be
    saved (a plan made at the desk gets its goal first): approval is what asks for at least one."""
    problems: list[AnswerProblem] = []
    actions = []
    goal_month = plan.goal.date
    for index, item in enumerate(items):
        where = f"action-{index}"
        text, found = clean_text(item.get("text", ""), MAX_TEXT, where)
        if not text and not (item.get("date") or "").strip():
            continue
        problems += found
        if not text:
            problems.append(_problem("required", N_("Please write what the action is."), where))
        day = parse_day(item.get("date"))
        if day is None:
            problems.append(_problem("invalid_date", N_("Please give each action a date."), where))
        elif goal_month and day > _month_end(goal_month):
            problems.append(
                _problem(
                    "dates_out_of_order",
                    N_("Action %(number)s is dated after the goal's target date."),
                    where,
                    number=index + 1,
                )
            )
        support, found = clean_text(item.get("support", ""), MAX_TEXT, where)
        problems += found
        old = next((a for a in plan.actions if a.text == text), None)
        action = PlanAction(
            text=text,
            date=day.isoformat() if day else None,
            confidence=old.confidence if old else None,
            language=(old.language or STAFF_LANGUAGE) if old else STAFF_LANGUAGE,
            support=support,
        )
        if action.needs_japanese:  # the recipient's words, kept verbatim, and their Japanese
            raw = item.get("japanese")
            japanese, found = clean_text(raw, MAX_TEXT, where) if raw is not None else (old.japanese, [])
            problems += found
            action = replace(action, japanese=japanese or None)
        actions.append(action)
    if len(actions) > MAX_ACTIONS:
        problems.append(_problem("too_many", N_("A plan has at most five actions."), "actions"))
    if problems:
        return plan, problems
    return replace(plan, actions=tuple(actions)), []


def choose_programs(
    plan: Plan, chosen: Sequence[str], supports: Mapping[str, str], known: Sequence[str]
) -> tuple[Plan, list[AnswerProblem]]:
    """Set the chosen programs, each with its support and plan (支援内容及び計画), in the order given."""
    problems: list[AnswerProblem] = []
    programs = []
    for program_id in dict.fromkeys(chosen):
        if program_id not in known:
            problems.append(_problem("unknown_program", N_("Please choose programs from the list."), "programs"))
            continue
        support, found = clean_text(supports.get(program_id, ""), MAX_TEXT, f"support-{program_id}")
        problems += found
        programs.append(ProgramChoice(program_id, support))
    if problems:
        return plan, problems
    return replace(plan, programs=tuple(programs)), []


def record_consent(plan: Plan, *, given: bool, day: object, today: date) -> tuple[Plan, list[AnswerProblem]]:
    """Record the recipient's consent to the chosen programs (本人同意) and its date."""
    if not given:
        return replace(plan, consent=Consent()), []
    parsed = parse_day(day)
    if parsed is None:
        return plan, [_problem("invalid_date", N_("Please give the date of consent."), "consent_date")]
    if parsed > today:
        return plan, [_problem("date_future", N_("The date of consent cannot be in the future."), "consent_date")]
    if not plan.programs:
        return plan, [_problem("no_programs", N_("Choose the programs before recording consent to them."), "consent")]
    return replace(plan, consent=Consent(True, parsed.isoformat())), []


def record_interpreter(plan: Plan, interpreter: object) -> tuple[Plan, list[AnswerProblem]]:
    """Who interpreted when the recipient's words were put into Japanese (a name, or an interpreting service)."""
    cleaned, problems = clean_text(interpreter if isinstance(interpreter, str) else "", MAX_NAME, "interpreter")
    if problems:
        return plan, problems
    return replace(plan, interpreter=cleaned), []


# --- one save of the worksheet form, and approval ------------------------------------------------------------------

# The parts of the worksheet form; a form names those it carries, and a save leaves the others alone.
PARTS = ("goal", "actions", "programs", "consent", "interpreter")


@dataclass(frozen=True)
class ActionInput:
    """One action's row of the form, as typed; `japanese` None: the form has no Japanese field for it."""

    text: str = ""
    date: str = ""
    support: str = ""
    japanese: str | None = None


@dataclass(frozen=True)
class WorksheetEdit:
    """One save of the worksheet form, as typed: the parts it carries (PARTS) and their fields.

    `goal_text` None: the form has no goal text; `goal_shown` is the goal's words as the form showed them (the
    same words sent back are no edit: a suggestion stays a suggestion). `supports` by program id.
    """

    parts: frozenset[str] = frozenset()
    goal_text: str | None = None
    goal_shown: str = ""
    goal_kind: str | None = None
    goal_month: str | None = None
    goal_japanese: str | None = None
    actions: tuple[ActionInput, ...] = ()
    programs: tuple[str, ...] = ()
    supports: Mapping[str, str] = field(default_factory=dict)
    consent: bool = False
    consent_date: str | None = None
    interpreter: str = ""


@dataclass(frozen=True)
class Approval:
    """The dates an approval gives its version: the plan's date (作成日) and the next review's (None: not given)."""

    plan_date: date
    review_date: date | None


@dataclass(frozen=True)
class Offer:
    """The programs the office offers now, and those it retired (kept where a plan already names them)."""

    offered: tuple[str, ...] = ()
    retired: tuple[str, ...] = ()


def _edits_of(edit: WorksheetEdit, *, today: date, offer: Offer) -> list[Callable[[Plan], tuple[Plan, list]]]:
    """The edits of one save, from the parts the form carries, in an order that checks dates once."""
    parts = edit.parts & set(PARTS)
    edits: list[Callable[[Plan], tuple[Plan, list]]] = []
    if "goal" in parts:
        text = edit.goal_text
        unchanged = text is None or text.strip() == edit.goal_shown.strip()
        edits.append(
            lambda plan: edit_goal(
                plan,
                text=None if unchanged else text,
                kind=edit.goal_kind,
                month=edit.goal_month,
                today=today,
                japanese=edit.goal_japanese,
                check_actions="actions" not in parts,  # the actions check their dates against the new goal
            )
        )
    if "actions" in parts:
        items = [asdict(action) for action in edit.actions]
        edits.append(lambda plan: edit_actions(plan, items))
    if "programs" in parts:
        known = [*offer.offered, *offer.retired]
        # A retired program may be kept where the worksheet already names it, never newly chosen.
        edits.append(
            lambda plan: choose_programs(
                plan,
                edit.programs,
                edit.supports,
                [pid for pid in known if pid in offer.offered or pid in plan.program_ids],
            )
        )
    if "consent" in parts:
        edits.append(lambda plan: record_consent(plan, given=edit.consent, day=edit.consent_date, today=today))
    if "interpreter" in parts:
        edits.append(lambda plan: record_interpreter(plan, edit.interpreter))
    return edits


def save_edit(plan: Plan, edit: WorksheetEdit, *, today: date, offer: Offer) -> tuple[Plan, list[AnswerProblem]]:
    """One save of the worksheet form: every part it carries, in one go; any problem changes nothing."""
    return edit_worksheet(plan, _edits_of(edit, today=today, offer=offer))


def approve_edit(
    plan: Plan, edit: WorksheetEdit, approval: Approval, *, today: date, offer: Offer, previous_plan_date: date | None
) -> tuple[Plan, list[AnswerProblem]]:
    """Approval saves what the form carries first: the plan as the version would hold it, or what stops it."""
    edited, problems = save_edit(plan, edit, today=today, offer=offer)
    if problems:
        return plan, problems + _plan_date_problems(approval.plan_date, today, previous_plan_date)
    found = approval_problems(
        edited,
        plan_date=approval.plan_date,
        review_date=approval.review_date,
        today=today,
        previous_plan_date=previous_plan_date,
    )
    return (plan, found) if found else (edited, [])


def unsaved_changes(shown: Plan, edit: WorksheetEdit, *, today: date, offer: Offer) -> tuple[list, bool]:
    """What a refused form would have changed in the plan it showed (`shown`): each part that fits, applied alone,
    as changed_fields lists it, and whether some part did not fit (its words are then given as typed)."""
    result, skipped = shown, False
    for one in _edits_of(edit, today=today, offer=offer):
        edited, problems = one(result)
        skipped = skipped or bool(problems)
        result = result if problems else edited
    return changed_fields(shown, result), skipped


def edit_worksheet(plan: Plan, edits: Sequence[Callable[[Plan], tuple[Plan, list]]]) -> tuple[Plan, list]:
    """Several edits as one save, in order: every problem of every part is reported, and any problem changes nothing."""
    problems: list[AnswerProblem] = []
    result = plan
    for edit in edits:
        result, found = edit(result)
        problems += found
    return (plan, problems) if problems else (result, [])


def _plan_date_problems(plan_date: date, today: date | None, previous_plan_date: date | None) -> list[AnswerProblem]:
    if today is not None and plan_date > today:
        return [_problem("date_future", N_("The plan's date cannot be in the future."), "plan_date")]
    if previous_plan_date is not None and plan_date < previous_plan_date:
        return [
            _problem("dates_out_of_order", N_("The plan's date is before the previous version's date."), "plan_date")
        ]
    return []


def approval_problems(
    plan: Plan,
    *,
    plan_date: date,
    review_date: date | None,
    today: date | None = None,
    previous_plan_date: date | None = None,
) -> list[AnswerProblem]:
    """What stops this plan from being approved on `plan_date`; empty when it can be approved.

    `today` (the office's): the plan's date cannot be later. `previous_plan_date`: the current version's; a new
    version's date cannot be earlier.
    """
    problems = _plan_date_problems(plan_date, today, previous_plan_date)
    goal = plan.goal
    if not (goal.text or goal.suggestion):
        problems.append(_problem("no_goal", N_("The plan has no goal."), "goal"))
    if goal.kind not in GOAL_KINDS or not goal.date:
        problems.append(_problem("goal_incomplete", N_("Give the goal its kind and target date."), "goal"))
    if goal.needs_japanese and not goal.japanese:
        problems.append(
            _problem("no_japanese", N_("Write the goal in Japanese (with an interpreter) for the official sheet."), "goal")
        )
    if not plan.actions:
        problems.append(_problem("no_actions", N_("A plan needs at least one action."), "actions"))
    for index, action in enumerate(plan.actions):
        if action.needs_japanese and not action.japanese:
            problems.append(
                _problem(
                    "no_japanese",
                    N_("Write action %(number)s in Japanese (with an interpreter) for the official sheet."),
                    f"action-{index}",
                    number=index + 1,
                )
            )
    if not plan.programs:
        problems.append(_problem("no_programs", N_("Choose at least one program."), "programs"))
    if not plan.consent.given:
        problems.append(_problem("no_consent", N_("The recipient's consent has not been recorded."), "consent"))
    elif plan.consent.date and plan.consent.date > plan_date.isoformat():
        problems.append(_problem("dates_out_of_order", N_("Consent is dated after the plan's date."), "consent"))
    if review_date is None:
        problems.append(_problem("invalid_date", N_("Please give the review date."), "review_date"))
    elif review_date <= plan_date:
        problems.append(
            _problem("dates_out_of_order", N_("The review date must be after the plan's date."), "review_date")
        )
    return problems


def changed_fields(old: Plan, new: Plan) -> list[tuple[str, object, object]]:
    """The top-level parts that differ, as stored values, for the provenance record."""
    before, after = old.to_json(), new.to_json()
    return [
        (key, before.get(key), after.get(key))
        for key in sorted(set(before) | set(after))
        if key != "format" and before.get(key) != after.get(key)  # a stored format number is no edit
    ]


# --- periodic review (見直し) -------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewEdit:
    """One review form as typed: its date, and a line per action (in order), per program (by id) and for the goal,
    each as sent (texts not yet cleaned, the evaluation not yet checked: parse_review does both)."""

    review_day: str | None = None
    actions: tuple[ReviewLine, ...] = ()
    programs: Mapping[str, ReviewLine] = field(default_factory=dict)
    goal: ReviewLine = field(default_factory=ReviewLine)


def parse_review(
    plan: Plan, edit: ReviewEdit, *, plan_date: date, today: date
) -> tuple[Review, date | None, list[AnswerProblem]]:
    """Progress (支援実施状況) and evaluation (評価) per action and program, and the goal's mark."""
    problems: list[AnswerProblem] = []
    day = parse_day(edit.review_day)
    if day is None:
        problems.append(_problem("invalid_date", N_("Please give the date of the review."), "review_date"))
    elif day < plan_date or day > today:
        problems.append(
            _problem(
                "dates_out_of_order",
                N_("The review date must be between the plan's date and today."),
                "review_date",
            )
        )

    def part(typed: ReviewLine, prefix: str) -> ReviewLine:
        progress, found = clean_text(typed.progress, MAX_TEXT, prefix)
        problems.extend(found)
        note, found = clean_text(typed.note, MAX_TEXT, prefix)
        problems.extend(found)
        evaluation = typed.evaluation
        if evaluation not in EVALUATIONS:
            problems.append(_problem("no_evaluation", N_("Please choose an evaluation."), prefix))
        return ReviewLine(progress, evaluation, note)

    def action(i: int) -> ReviewLine:
        return edit.actions[i] if i < len(edit.actions) else ReviewLine()

    review = Review(
        actions=tuple(part(action(i), f"action-{i}") for i in range(len(plan.actions))),
        programs={p.id: part(edit.programs.get(p.id, ReviewLine()), f"program-{p.id}") for p in plan.programs},
        goal=part(edit.goal, "goal"),
    )
    return review, day, problems


# --- comparing versions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One difference between two plan versions; `part` says what, before/after hold plain values."""

    part: str
    before: object
    after: object
    index: int | str | None = None  # the action's position, or the program's id


def diff_plans(old: Plan, new: Plan) -> list[Change]:
    """What changed from one plan version to the next: goal, kind, date, each action, each program."""
    changes = []
    if (old.goal.suggestion, old.goal.text, old.goal.japanese) != (new.goal.suggestion, new.goal.text, new.goal.japanese):
        changes.append(Change("goal", old.goal, new.goal))
    for key in ("kind", "date"):
        if getattr(old.goal, key) != getattr(new.goal, key):
            changes.append(Change(f"goal_{key}", getattr(old.goal, key), getattr(new.goal, key)))
    for index in range(max(len(old.actions), len(new.actions))):
        before = old.actions[index] if index < len(old.actions) else None
        after = new.actions[index] if index < len(new.actions) else None
        if _action_key(before) != _action_key(after):
            changes.append(Change("action", before, after, index))
    old_programs = {p.id: p.support for p in old.programs}
    new_programs = {p.id: p.support for p in new.programs}
    for program_id in list(dict.fromkeys([*old_programs, *new_programs])):
        if old_programs.get(program_id) != new_programs.get(program_id):
            before, after = old_programs.get(program_id), new_programs.get(program_id)
            changes.append(Change("program", before, after, program_id))
    return changes


def saved_parts(old: Plan, new: Plan) -> list[Change]:
    """What one save changed, for the message that says so: the version diff's parts, consent and the interpreter."""
    changes = diff_plans(old, new)
    if old.consent != new.consent:
        changes.append(Change("consent", old.consent, new.consent))
    if old.interpreter != new.interpreter:
        changes.append(Change("interpreter", old.interpreter, new.interpreter))
    return changes


def _action_key(action: PlanAction | None) -> tuple | None:
    return None if action is None else (action.text, action.japanese, action.date, action.support)


# --- the recipient's side of a review (the kiosk's review dialogue) -------------------------------

REVIEW_STATUS_TO_EVALUATION = {"done": "achieved", "partly": "partly", "not_yet": "not_yet"}


def review_given(plan: Plan, goal_text: str) -> dict:
    """The given steps of the review dialogue, from an approved plan: its goal and up to five actions."""
    given = {"goal_text": goal_text}
    for index, action in enumerate(plan.actions[:MAX_ACTIONS], start=1):
        given[f"action_{index}_text"] = action.text
    return given


def build_review_draft(engine, conversation) -> dict:
    """What a recipient said at the kiosk about each action of their plan, for the caseworker's review form."""
    answers = engine.live_answers(conversation.answers)
    actions = []
    for index in range(1, MAX_ACTIONS + 1):
        if answers.get(f"action_{index}_text") is None:
            break
        actions.append(
            {
                "status": answers.get(f"action_{index}_status"),
                "helped": answers.get(f"action_{index}_helped"),
                "blocked": answers.get(f"action_{index}_blocked"),
                "confidence": answers.get(f"action_{index}_confidence"),
            }
        )
    return {
        "format": 1,
        "kind": "review",
        "dialogue": {"id": engine.dialogue.id, "version": engine.dialogue.version},
        "actions": actions,
        "goal": {"closeness": answers.get("goal_closeness")},
        "wish": answers.get("wish"),
    }


def review_prefill(draft: Mapping) -> dict[str, str]:
    """The caseworker's review form, filled from the recipient's review at the kiosk (they can change anything)."""
    values = {}
    for index, item in enumerate(draft.get("actions") or []):
        evaluation = REVIEW_STATUS_TO_EVALUATION.get(item.get("status"))
        if evaluation:
            values[f"action-{index}-evaluation"] = evaluation
        notes = [text for text in (item.get("helped"), item.get("blocked")) if text]
        if notes:
            values[f"action-{index}-progress"] = " / ".join(notes)
    return values


def distance_travelled(plan: Plan, draft: Mapping) -> list[tuple[int | None, int | None]]:
    """Per action: (confidence when the plan was made, confidence now), the same 0–10 scale."""
    before = [a.confidence for a in plan.actions]
    now = [a.get("confidence") for a in draft.get("actions") or []]
    return [(b, now[i] if i < len(now) else None) for i, b in enumerate(before)]
