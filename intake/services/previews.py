"""A translator's preview of one step: a conversation standing there, never stored and never counted.

The sample answers that lead to the step are the domain's (domain/sample.py); the page reaches them through here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..domain.engine import Conversation, Engine
from ..domain.sample import conversation_at


def preview_at(engine: Engine, step_id: str, *, today: date, language: str, texts: Sequence[str]) -> Conversation:
    """A conversation at `step_id` with sample answers before it. Raises KeyError for an unknown step."""
    return conversation_at(engine, step_id, today=today, language=language, texts=texts)
