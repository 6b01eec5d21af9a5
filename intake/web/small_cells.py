"""Small cells as staff and translators see them: a count of one to four people reads "<5" and draws no bar.

The threshold and the mark are the step counts' (domain/step_counts.py: SMALL_CELL, HIDDEN); showing them is the
pages' (the counts page, its CSV, the translator's stops).
"""

from __future__ import annotations

from ..domain.step_counts import HIDDEN, SMALL_CELL


def shown(count: int) -> str:
    """A cell as the office and translators see it: fewer than five people (but some) is "<5"."""
    return HIDDEN if 0 < count < SMALL_CELL else str(count)


def visible(count: int) -> int:
    """The count a chart may draw: a hidden cell draws nothing (a bar's length would tell what "<5" hides)."""
    return 0 if 0 < count < SMALL_CELL else count
