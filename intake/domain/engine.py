"""The engine step: one shared transitions.Machine per dialogue, a light model per request.

A conversation is plain data (current step, answers by step id, the path of steps shown, and
whether the recipient is changing an answer from the check page). The Machine is built once per
dialogue and never holds a conversation: each call restores the saved state onto a throwaway
cursor and triggers the one forward event, so any worker can serve any request.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from transitions import Machine

from .answers import N_, AnswerInvalid, AnswerProblem, Nudge, is_empty
from .dialogue import TERMINAL_KINDS, Dialogue, Option, Step
from .products import OWN_GOAL
from .programs import FIELDS as PROGRAM_FIELDS
from .programs import IDEAS, MAX_SUGGESTIONS, Program, suggest_programs
from .step_kinds import kind_of, nudges, parse_answer

PROCEED = "proceed"


def built_in_option(option_id: str, context: str, label: str) -> Option:
    """An option the engine supplies itself; `pybabel extract` reads (context, label) from these calls."""
    return Option(option_id, label, context=context)


BUILT_IN_OPTIONS = {
    "yes_no": (built_in_option("yes", "answer", "Yes"), built_in_option("no", "answer", "No")),
    "consent": (
        built_in_option("yes", "answer:consent", "I agree"),
        built_in_option("no", "answer:consent", "I do not agree"),
    ),
}


class StaleStep(Exception):
    """The answer is for a step that is no longer the current one (a second tab, a retry)."""

    def __init__(self, current: str):
        self.current = current
        super().__init__(f"the current step is '{current}'")


class NotAllowed(Exception):
    """A move the dialogue does not allow from here (change outside the check page, back at the start)."""


@dataclass(frozen=True)
class Conversation:
    """Where one recipient is. Plain data: it is what the database stores.

    `written_in` gives, for each answer in the recipient's own words, the language shown when it was
    written: a later switch of language changes the display, never what earlier words are labelled.
    """

    state: str
    answers: Mapping[str, object] = field(default_factory=dict)
    path: tuple[str, ...] = ()
    changing: bool = False
    written_in: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    conversation: Conversation
    nudges: tuple[Nudge, ...] = ()

    @property
    def advanced(self) -> bool:
        return not self.nudges


@dataclass(frozen=True)
class Progress:
    number: int
    total: int
    title: str


class _Cursor:
    """The light model the shared Machine moves for the length of one call."""

    __slots__ = ("state", "answers")

    def __init__(self, state: str, answers: Mapping[str, object]):
        self.state = state
        self.answers = answers


def _condition(rule):
    return lambda event: rule(event.model.answers)


class Engine:
    """Runs one dialogue. Safe to share between threads: it keeps no conversation."""

    def __init__(
        self, dialogue: Dialogue, programs: Sequence[Program] = (), languages: Mapping[str, str] | None = None
    ):
        self.dialogue = dialogue
        self.programs = tuple(programs)
        self.retired_programs: tuple[Program, ...] = ()  # no longer offered, still named on older plans
        self.languages = dict(languages or {})
        transitions = [
            {
                "trigger": PROCEED,
                "source": step.id,
                "dest": branch.goto,
                "conditions": [_condition(branch.rule)] if branch.rule else [],
            }
            for step in dialogue.steps.values()
            for branch in step.next
        ]
        self._machine = Machine(
            model=None,
            states=list(dialogue.steps),
            transitions=transitions,
            initial=dialogue.start,
            auto_transitions=False,
            send_event=True,
        )
        self._event = self._machine.events[PROCEED]
        self.check_step = next((s.id for s in dialogue.steps.values() if s.kind == "check"), None)

    def with_programs(self, programs: Sequence[Program], retired: Sequence[Program] = ()) -> Engine:
        """The same dialogue (and its shared Machine) with another program catalogue, e.g. one office's own."""
        engine = copy.copy(self)
        engine.programs, engine.retired_programs = tuple(programs), tuple(retired)
        return engine

    def program(self, program_id: str) -> Program | None:
        """A program of the catalogue by id, offered or retired (an older plan may name a retired one)."""
        return next((p for p in self.programs + self.retired_programs if p.id == program_id), None)

    # --- reading -----------------------------------------------------------------------------

    def start(self, given: Mapping[str, object] | None = None) -> Conversation:
        """A new conversation; `given` supplies the dialogue's given steps (missing ones are None)."""
        answers = {s.id: (given or {}).get(s.id) for s in self.dialogue.steps.values() if s.kind == "given"}
        state = self.dialogue.start
        while self.step(state).kind == "given":
            state = self._next(state, answers)
        return Conversation(state=state, answers=answers, path=(state,))

    def step(self, step_id: str) -> Step:
        return self.dialogue.steps[step_id]

    def current(self, conversation: Conversation) -> Step:
        return self.dialogue.steps[conversation.state]

    def progress(self, conversation: Conversation) -> Progress:
        section = self.dialogue.section_of(conversation.state)
        return Progress(self.dialogue.section_number(conversation.state), len(self.dialogue.sections), section.title)

    def options(self, step: Step, answers: Mapping[str, object]) -> tuple[Option, ...]:
        """The choices offered at a step, computed from earlier answers where the file says so."""
        if step.kind in BUILT_IN_OPTIONS:
            return BUILT_IN_OPTIONS[step.kind]
        if step.kind == "language":
            return tuple(Option(code, name) for code, name in self.languages.items())
        if step.options_from == "goal_suggestions":
            return self._goal_options(step, answers)
        if step.options_from == "program_actions":
            # The list the person picks from never reads their picks: a pick cannot reorder what it was picked from.
            ranking = {**self.program_answers(answers), IDEAS: None}
            return tuple(
                Option(
                    s.program.id,
                    s.program.action,
                    help=s.program.name,
                    context=s.program.context("action"),
                    help_context=s.program.context("name"),
                    reasons=s.reasons,
                )
                for s in suggest_programs(self.programs, ranking)[:MAX_SUGGESTIONS]
            )
        return step.options

    def _goal_options(self, step: Step, answers: Mapping[str, object]) -> tuple[Option, ...]:
        areas = set(_as_list(self.field(answers, "future.areas")))
        kind = self.field(answers, "goal.kind")
        of_kind = [s for s in self.dialogue.goal_suggestions if s.kind == kind]
        chosen = [s for s in of_kind if s.area in areas] or of_kind
        own = built_in_option(OWN_GOAL, "answer:goal", "I will write my own goal")
        return tuple(Option(s.id, s.text, context=self.dialogue.context("goal", s.id)) for s in chosen) + (own,)

    def reflected(self, step: Step, answers: Mapping[str, object]) -> dict[str, list[Option | str]]:
        """For each placeholder of a reflecting step, the chosen options (or the text) it repeats back."""
        values = {}
        for name, source_id in step.reflect:
            source = self.step(source_id)
            answer = answers.get(source_id)
            if answer is None:
                values[name] = []
            elif isinstance(answer, str) and source.kind in {"text", "given"}:
                values[name] = [answer]
            else:
                by_id = {o.id: o for o in self.options(source, answers)}
                values[name] = [by_id[a] for a in _as_list(answer) if a in by_id]
        return values

    def prefill(self, step: Step, answers: Mapping[str, object]) -> list[Option]:
        """Action ideas the recipient picked, to start the actions form with."""
        if step.kind != "actions" or answers.get(step.id) is not None:
            return []
        ideas_id = self.dialogue.produces.step("action_ideas")
        if ideas_id is None:
            return []
        by_id = {o.id: o for o in self.options(self.step(ideas_id), answers)}
        return [by_id[i] for i in _as_list(answers.get(ideas_id)) if i in by_id]

    def field(self, answers: Mapping[str, object], name: str) -> object:
        """The answer that feeds one field of what the dialogue produces (None if not asked or not answered)."""
        step_id = self.dialogue.produces.step(name)
        return answers.get(step_id) if step_id else None

    def program_answers(self, answers: Mapping[str, object]) -> dict[str, object]:
        """The answers as the program ranking reads them: by step id, and by the declared fields it needs."""
        return {**answers, **{name: self.field(answers, name) for name in PROGRAM_FIELDS}}

    def nudges_for(self, step: Step, answers: Mapping[str, object]) -> list[Nudge]:
        return nudges(step, answers.get(step.id), self.dialogue.vague_phrases)

    def live_path(self, answers: Mapping[str, object]) -> list[str]:
        """The steps the current answers lead through, up to the check page or the first gap.

        Answers on branches no longer taken stay stored (going back restores them) but are not
        on this path, so they never reach the plan.
        """
        path, state = [], self.dialogue.start
        while True:
            path.append(state)
            step = self.step(state)
            if step.kind in TERMINAL_KINDS or step.kind in {"check", "handover"}:
                return path
            if step.takes_answer and state not in answers:
                return path
            state = self._next(state, answers)

    def live_answers(self, answers: Mapping[str, object]) -> dict[str, object]:
        return {s: answers[s] for s in self.live_path(answers) if s in answers}

    def checkable(self, conversation: Conversation) -> list[Step]:
        """The answered steps the check page lists, each with a change button."""
        return [
            self.step(s)
            for s in self.live_path(conversation.answers)
            if self.step(s).takes_answer and kind_of(self.step(s)).checked
        ]

    # --- moving ------------------------------------------------------------------------------

    def _next(self, state: str, answers: Mapping[str, object]) -> str:
        cursor = _Cursor(state, answers)
        self._event.trigger(cursor)
        return cursor.state

    def answer(
        self,
        conversation: Conversation,
        step_id: str,
        raw: object,
        *,
        today: date,
        skip: bool = False,
        keep_as_is: bool = False,
        language: str | None = None,
    ) -> Outcome:
        """Record an answer to the current step and move on; AnswerInvalid changes nothing.

        `language` is the language on screen: words the recipient wrote are labelled with it. When
        the answer differs from the one stored, answers computed from it that no longer fit are
        dropped, so they are asked again before the check page.
        """
        step = self.current(conversation)
        if step_id != step.id:
            raise StaleStep(step.id)
        if step.kind in TERMINAL_KINDS:
            raise NotAllowed("the dialogue has ended")
        answers = dict(conversation.answers)
        written_in = dict(conversation.written_in)
        if step.takes_answer:
            answers[step.id] = self._value(step, raw, conversation.answers, today, skip)
            if kind_of(step).written and language and answers[step.id] not in (None, "", []):
                if answers[step.id] != conversation.answers.get(step.id) or step.id not in written_in:
                    written_in[step.id] = language
            else:
                written_in.pop(step.id, None)
            if step.id in conversation.answers and answers[step.id] != conversation.answers[step.id]:
                answers = self.without_stale(answers)
        elif skip:
            # i18n: An error when 'Skip' is used on a question that needs an answer.
            raise AnswerInvalid([AnswerProblem("not_skippable", N_("This question cannot be skipped."))])
        found = tuple(self.nudges_for(step, answers)) if not keep_as_is else ()
        if found:
            return Outcome(replace(conversation, answers=answers, written_in=written_in), found)
        if conversation.changing:
            target = self._after_change(answers)
        else:
            target = self._next(step.id, answers)
        changing = conversation.changing and self.step(target).kind != "check"
        return Outcome(Conversation(target, answers, conversation.path + (target,), changing, written_in))

    def without_stale(self, answers: Mapping[str, object]) -> dict[str, object]:
        """The answers minus those chosen from a computed list that no longer offers them.

        A goal suggestion is offered by goal kind and areas, a first step by barriers and goal kind:
        after one of those changes, a choice that is no longer on its list is removed, so the
        recipient is asked again rather than the caseworker reading a choice that contradicts it.
        Steps are checked in dialogue order, so a removal further up is seen by those below.
        """
        kept = dict(answers)
        for step in self.dialogue.steps.values():
            if not step.options_from or kept.get(step.id) is None:
                continue
            offered = {o.id for o in self.options(step, kept)}
            if not set(_as_list(kept[step.id])) <= offered:
                del kept[step.id]
        return kept

    def _value(self, step: Step, raw: object, answers: Mapping[str, object], today: date, skip: bool) -> object:
        if skip or (step.optional and is_empty(raw)):
            if not step.skippable:
                raise AnswerInvalid([AnswerProblem("not_skippable", N_("This question cannot be skipped."))])
            return None
        return parse_answer(step, raw, options=self.options(step, answers), languages=list(self.languages), today=today)

    def _after_change(self, answers: Mapping[str, object]) -> str:
        """After a change: the first question the new answers open up, else back to the check page."""
        live = self.live_path(answers)
        for step_id in live:
            if self.step(step_id).takes_answer and step_id not in answers:
                return step_id
        return live[-1]

    def back(self, conversation: Conversation) -> Conversation:
        """One step back along the path actually shown; answers are kept."""
        if len(conversation.path) < 2 or self.current(conversation).kind == "done":
            raise NotAllowed("there is no step to go back to")
        path = conversation.path[:-1]
        changing = conversation.changing and self.step(path[-1]).kind != "check"
        return replace(conversation, state=path[-1], path=path, changing=changing)

    def change(self, conversation: Conversation, step_id: str) -> Conversation:
        """From the check page, open one answered question again; answering returns to the check page."""
        if self.current(conversation).kind != "check":
            raise NotAllowed("answers are changed from the check page")
        if step_id not in {s.id for s in self.checkable(conversation)}:
            raise NotAllowed(f"'{step_id}' is not an answer on the check page")
        return replace(conversation, state=step_id, path=conversation.path + (step_id,), changing=True)

    def check_language(self, locale: object) -> str:
        """A language to show the conversation in; switching changes the display only, never an answer.

        The language step's answer is the recipient's preferred language and stays as they gave it.
        """
        if locale not in self.languages:
            raise AnswerInvalid([AnswerProblem("unknown_language", N_("Please choose a language from the list."))])
        return locale


def _as_list(value: object) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]
