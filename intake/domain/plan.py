"""The draft self-reliance plan (自立計画書) built from a finished conversation.

The plan keeps ids for everything chosen and the recipient's own words verbatim, so it can be
shown in Japanese to the caseworker and in the recipient's language on their copy.
"""

from __future__ import annotations

from collections.abc import Mapping

from .engine import AREAS_STEP, BARRIERS_STEP, GOAL_KIND_STEP, IDEAS_STEP, OWN_GOAL, Conversation, Engine
from .programs import rank_programs

SITUATION_SECTION = "situation"
PLAN_FORMAT = 1


def build_plan(engine: Engine, conversation: Conversation) -> dict:
    """The draft plan from the answers on the path actually taken (never from abandoned branches)."""
    answers = engine.live_answers(conversation.answers)
    steps = engine.dialogue.steps
    goal_pick = answers.get("goal_pick")
    barriers = list(answers.get(BARRIERS_STEP) or [])
    goal_kind = answers.get(GOAL_KIND_STEP)
    return {
        "format": PLAN_FORMAT,
        "dialogue": {"id": engine.dialogue.id, "version": engine.dialogue.version},
        "future": {"picture": answers.get("future_picture"), "areas": list(answers.get(AREAS_STEP) or [])},
        "strengths": {"chosen": list(answers.get("strengths") or []), "own": answers.get("strengths_own")},
        "situation": {
            step_id: value
            for step_id, value in answers.items()
            if steps[step_id].section == SITUATION_SECTION and step_id not in {"strengths", "strengths_own"}
        },
        "barriers": {"chosen": barriers, "own": answers.get("barriers_own")},
        "goal": {
            "kind": goal_kind,
            "suggestion": goal_pick if goal_pick not in (None, OWN_GOAL) else None,
            "own": answers.get("goal_own") if goal_pick == OWN_GOAL else None,
            "date": answers.get("goal_date"),
        },
        "actions": [dict(item) for item in answers.get("actions") or []],
        "action_ideas": list(answers.get(IDEAS_STEP) or []),
        "programs": [p.id for p in rank_programs(engine.programs, answers)],
        "skipped": sorted(step_id for step_id, value in answers.items() if value is None),
    }


def goal_text(engine: Engine, plan: Mapping) -> tuple[str, str] | None:
    """The goal as (message context, English source) for a chosen suggestion, or None for own words."""
    suggestion = plan["goal"].get("suggestion")
    for s in engine.dialogue.goal_suggestions:
        if s.id == suggestion:
            return engine.dialogue.context("goal", s.id), s.text
    return None
