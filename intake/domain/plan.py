"""The draft self-reliance plan (自立計画書の下書き) a recipient hands over, as typed data.

The draft keeps ids for everything chosen and the recipient's own words verbatim, each with the
language it was written in, so it can be shown in Japanese to the caseworker and in the recipient's
language on their copy. Which step feeds which field is the dialogue file's `produces:` declaration;
this module asks for fields only. Stored as JSON with a format number; `Draft.from_json` also reads
the first format, written before words carried their language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .engine import Conversation, Engine
from .products import DRAFT_PLAN, OWN_GOAL
from .programs import rank_programs

DRAFT_FORMAT = 2


@dataclass(frozen=True)
class Written:
    """Words the recipient wrote, and the language they wrote them in."""

    text: str
    language: str | None

    def to_json(self) -> dict:
        return {"text": self.text, "language": self.language}

    @classmethod
    def from_json(cls, data: object, language: str | None) -> Written | None:
        """From the stored shape, or from a bare string of the first format (labelled `language`)."""
        if isinstance(data, str):
            return cls(data, language) if data else None
        if isinstance(data, Mapping) and data.get("text"):
            return cls(data["text"], data.get("language"))
        return None


def _written_json(value: Written | None) -> dict | None:
    return value.to_json() if value else None


@dataclass(frozen=True)
class Choices:
    """Options chosen from a list, and anything the recipient added in their own words."""

    chosen: tuple[str, ...] = ()
    own: Written | None = None

    def to_json(self) -> dict:
        return {"chosen": list(self.chosen), "own": _written_json(self.own)}

    @classmethod
    def from_json(cls, data: object, language: str | None) -> Choices:
        data = data if isinstance(data, Mapping) else {}
        return cls(tuple(data.get("chosen") or ()), Written.from_json(data.get("own"), language))


@dataclass(frozen=True)
class Goal:
    """The mid-term goal: its kind (自立の種類), a chosen suggestion or own words, and the target month."""

    kind: str | None = None
    suggestion: str | None = None
    own: Written | None = None
    date: str | None = None  # YYYY-MM

    def to_json(self) -> dict:
        return {"kind": self.kind, "suggestion": self.suggestion, "own": _written_json(self.own), "date": self.date}

    @classmethod
    def from_json(cls, data: object, language: str | None) -> Goal:
        data = data if isinstance(data, Mapping) else {}
        return cls(data.get("kind"), data.get("suggestion"), Written.from_json(data.get("own"), language), data.get("date"))


@dataclass(frozen=True)
class Action:
    """One first step: what, by when (YYYY-MM-DD), how sure the recipient is (0–10), in which language."""

    text: str
    date: str | None = None
    confidence: int | None = None
    language: str | None = None

    def to_json(self) -> dict:
        return {"text": self.text, "date": self.date, "confidence": self.confidence, "language": self.language}

    @classmethod
    def from_json(cls, data: Mapping, language: str | None) -> Action:
        return cls(data.get("text", ""), data.get("date"), data.get("confidence"), data.get("language") or language)


@dataclass(frozen=True)
class Draft:
    """What the recipient meant, as they confirmed it on the check page."""

    dialogue_id: str
    dialogue_version: int
    preferred_language: str | None = None
    future_picture: Written | None = None
    future_areas: tuple[str, ...] = ()
    strengths: Choices = field(default_factory=Choices)
    situation: tuple[tuple[str, object], ...] = ()  # (step id, raw answer) in the order asked
    barriers: Choices = field(default_factory=Choices)
    goal: Goal = field(default_factory=Goal)
    actions: tuple[Action, ...] = ()
    action_ideas: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()  # suggested to the caseworker, best first
    skipped: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {
            "format": DRAFT_FORMAT,
            "kind": DRAFT_PLAN,
            "dialogue": {"id": self.dialogue_id, "version": self.dialogue_version},
            "preferred_language": self.preferred_language,
            "future": {"picture": _written_json(self.future_picture), "areas": list(self.future_areas)},
            "strengths": self.strengths.to_json(),
            "situation": dict(self.situation),
            "barriers": self.barriers.to_json(),
            "goal": self.goal.to_json(),
            "actions": [a.to_json() for a in self.actions],
            "action_ideas": list(self.action_ideas),
            "programs": list(self.programs),
            "skipped": list(self.skipped),
        }

    @classmethod
    def from_json(cls, data: Mapping, *, locale: str | None = None) -> Draft:
        """A stored draft; `locale` labels the words of a first-format draft (the intake's language then)."""
        future = data.get("future") or {}
        dialogue = data.get("dialogue") or {}
        return cls(
            dialogue_id=dialogue.get("id", ""),
            dialogue_version=dialogue.get("version", 0),
            preferred_language=data.get("preferred_language") or locale,
            future_picture=Written.from_json(future.get("picture"), locale),
            future_areas=tuple(future.get("areas") or ()),
            strengths=Choices.from_json(data.get("strengths"), locale),
            situation=tuple((data.get("situation") or {}).items()),
            barriers=Choices.from_json(data.get("barriers"), locale),
            goal=Goal.from_json(data.get("goal"), locale),
            actions=tuple(Action.from_json(a, locale) for a in data.get("actions") or ()),
            action_ideas=tuple(data.get("action_ideas") or ()),
            programs=tuple(data.get("programs") or ()),
            skipped=tuple(data.get("skipped") or ()),
        )



def is_draft_plan(data: Mapping) -> bool:
    """True for a stored draft plan (either format), False for a review's answers."""
    return data.get("kind", DRAFT_PLAN) == DRAFT_PLAN and "goal" in data


def build_draft(engine: Engine, conversation: Conversation, *, locale: str | None = None) -> Draft:
    """The draft plan from the answers on the path actually taken (never from abandoned branches)."""
    produces = engine.dialogue.produces
    answers = engine.live_answers(conversation.answers)

    def answer(name: str) -> object:
        step_id = produces.step(name)
        return answers.get(step_id) if step_id else None

    def written(name: str) -> Written | None:
        step_id = produces.step(name)
        text = answers.get(step_id) if step_id else None
        return Written(text, conversation.written_in.get(step_id, locale)) if isinstance(text, str) and text else None

    actions_step = produces.step("actions")
    actions_language = conversation.written_in.get(actions_step, locale) if actions_step else locale
    pick = answer("goal.pick")
    barriers = tuple(answer("barriers.chosen") or ())
    goal_kind = answer("goal.kind")
    return Draft(
        dialogue_id=engine.dialogue.id,
        dialogue_version=engine.dialogue.version,
        preferred_language=answer("language") or locale,
        future_picture=written("future.picture"),
        future_areas=tuple(answer("future.areas") or ()),
        strengths=Choices(tuple(answer("strengths.chosen") or ()), written("strengths.own")),
        situation=tuple((s, answers[s]) for s in produces.steps("situation") if s in answers),
        barriers=Choices(barriers, written("barriers.own")),
        goal=Goal(
            kind=goal_kind,
            suggestion=pick if pick not in (None, OWN_GOAL) else None,
            own=written("goal.own") if pick == OWN_GOAL else None,
            date=answer("goal.date"),
        ),
        actions=tuple(
            Action(item["text"], item.get("date"), item.get("confidence"), actions_language)
            for item in answer("actions") or ()
        ),
        action_ideas=tuple(answer("action_ideas") or ()),
        programs=tuple(p.id for p in rank_programs(engine.programs, engine.program_answers(answers))),
        skipped=tuple(sorted(step_id for step_id, value in answers.items() if value is None)),
    )


def goal_text(engine: Engine, goal: Goal) -> tuple[str, str] | None:
    """The goal as (message context, English source) for a chosen suggestion, or None for own words."""
    for s in engine.dialogue.goal_suggestions:
        if s.id == goal.suggestion:
            return engine.dialogue.context("goal", s.id), s.text
    return None


# --- the caseworker's plan (the worksheet, and each approved version) ---------------------------------

# 3: the Japanese of words written in another language (`japanese` on the goal and each action) and
# who interpreted (`interpreter`); formats 1 and 2 read with none.
PLAN_FORMAT = 3


def is_japanese(language: str | None) -> bool:
    """Japanese or Easy Japanese (ja@easy); words of unknown language (first-format rows) count as Japanese."""
    return language is None or language.split("@")[0].split("_")[0] == "ja"


@dataclass(frozen=True)
class PlanGoal:
    """The plan's goal: a suggestion (translated when shown) or words someone wrote, with their language.

    `japanese` is the caseworker's Japanese, written with an interpreter, of words the recipient wrote in
    another language: the official sheet prints it; the recipient's words stay as they are for their copy.
    """

    kind: str | None = None
    suggestion: str | None = None
    text: str | None = None
    language: str | None = None
    date: str | None = None  # YYYY-MM
    japanese: str | None = None

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "suggestion": self.suggestion,
            "text": self.text,
            "language": self.language,
            "date": self.date,
            "japanese": self.japanese,
        }

    @classmethod
    def from_json(cls, data: object) -> PlanGoal:
        data = data if isinstance(data, Mapping) else {}
        return cls(
            data.get("kind"),
            data.get("suggestion"),
            data.get("text"),
            data.get("language"),
            data.get("date"),
            data.get("japanese"),
        )

    @property
    def needs_japanese(self) -> bool:
        """Own words in another language: the official (Japanese) sheet needs them in Japanese."""
        return bool(self.text) and not self.suggestion and not is_japanese(self.language)


@dataclass(frozen=True)
class PlanAction:
    """An action of the plan: what, by when, how sure the recipient was, in which language, and the office's support."""

    text: str
    date: str | None = None
    confidence: int | None = None
    language: str | None = None
    support: str = ""
    japanese: str | None = None  # as PlanGoal.japanese

    def to_json(self) -> dict:
        return {
            "text": self.text,
            "date": self.date,
            "confidence": self.confidence,
            "language": self.language,
            "support": self.support,
            "japanese": self.japanese,
        }

    @classmethod
    def from_json(cls, data: Mapping) -> PlanAction:
        return cls(
            data.get("text", ""),
            data.get("date"),
            data.get("confidence"),
            data.get("language"),
            data.get("support", ""),
            data.get("japanese"),
        )

    @property
    def needs_japanese(self) -> bool:
        """Written in another language: the official sheet needs it in Japanese."""
        return bool(self.text) and not is_japanese(self.language)

    @property
    def sheet_text(self) -> str:
        """The words the official (Japanese) sheet prints: their Japanese where written in another language.

        A plan approved before Japanese was asked for (format 2) has none: its words are printed as written.
        """
        return (self.japanese or self.text) if self.needs_japanese else self.text


@dataclass(frozen=True)
class ProgramChoice:
    """A support program chosen for the plan, with its support and plan (支援内容及び計画)."""

    id: str
    support: str = ""

    def to_json(self) -> dict:
        return {"id": self.id, "support": self.support}


@dataclass(frozen=True)
class Consent:
    """The recipient's consent to the chosen programs (本人同意) and its date (YYYY-MM-DD)."""

    given: bool = False
    date: str | None = None

    def to_json(self) -> dict:
        return {"given": self.given, "date": self.date}


@dataclass(frozen=True)
class Plan:
    """The self-reliance plan as the caseworker prepares it with the recipient, and as each version is approved."""

    goal: PlanGoal = field(default_factory=PlanGoal)
    actions: tuple[PlanAction, ...] = ()
    programs: tuple[ProgramChoice, ...] = ()
    consent: Consent = field(default_factory=Consent)
    barriers: tuple[str, ...] = ()
    recipient_language: str | None = None
    interpreter: str = ""  # who interpreted when the recipient's words were put into Japanese

    def to_json(self) -> dict:
        return {
            "format": PLAN_FORMAT,
            "goal": self.goal.to_json(),
            "actions": [a.to_json() for a in self.actions],
            "programs": [p.to_json() for p in self.programs],
            "consent": self.consent.to_json(),
            "barriers": list(self.barriers),
            "recipient_language": self.recipient_language,
            "interpreter": self.interpreter,
        }

    @classmethod
    def from_json(cls, data: Mapping | None) -> Plan:
        """A stored plan (the first format had the same parts, without a format number; before 3, no Japanese)."""
        data = data or {}
        consent = data.get("consent") or {}
        return cls(
            goal=PlanGoal.from_json(data.get("goal")),
            actions=tuple(PlanAction.from_json(a) for a in data.get("actions") or ()),
            programs=tuple(ProgramChoice(p["id"], p.get("support", "")) for p in data.get("programs") or ()),
            consent=Consent(bool(consent.get("given")), consent.get("date")),
            barriers=tuple(data.get("barriers") or ()),
            recipient_language=data.get("recipient_language"),
            interpreter=data.get("interpreter") or "",
        )

    @property
    def needs_japanese(self) -> bool:
        """Some of the recipient's words are in another language: the sheet needs their Japanese."""
        return self.goal.needs_japanese or any(a.needs_japanese for a in self.actions)

    @property
    def program_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.programs)

    def program(self, program_id: str) -> ProgramChoice | None:
        return next((p for p in self.programs if p.id == program_id), None)


# --- the periodic review (見直し) ------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewLine:
    """Progress (支援実施状況), evaluation (評価) and a note for one action, program or the goal."""

    progress: str = ""
    evaluation: str | None = None
    note: str = ""

    def to_json(self) -> dict:
        return {"progress": self.progress, "evaluation": self.evaluation, "note": self.note}

    @classmethod
    def from_json(cls, data: object) -> ReviewLine:
        data = data if isinstance(data, Mapping) else {}
        return cls(data.get("progress", ""), data.get("evaluation"), data.get("note", ""))


@dataclass(frozen=True)
class Review:
    """A review of one plan version: a line per action (in order), per program (by id), and the goal."""

    actions: tuple[ReviewLine, ...] = ()
    programs: Mapping[str, ReviewLine] = field(default_factory=dict)
    goal: ReviewLine = field(default_factory=ReviewLine)

    def to_json(self) -> dict:
        return {
            "actions": [a.to_json() for a in self.actions],
            "programs": {key: line.to_json() for key, line in self.programs.items()},
            "goal": self.goal.to_json(),
        }

    @classmethod
    def from_json(cls, data: Mapping | None) -> Review:
        data = data or {}
        return cls(
            tuple(ReviewLine.from_json(a) for a in data.get("actions") or ()),
            {key: ReviewLine.from_json(line) for key, line in (data.get("programs") or {}).items()},
            ReviewLine.from_json(data.get("goal")),
        )
