"""Drawing helpers for the staff pages' bar charts (SVG): lengths in pixels, which belong to the page, not the domain."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def bar_widths(values: Mapping[str, int] | Sequence[tuple[str, int]], width: int) -> list[tuple[str, int, int]]:
    """(key, value, bar length in px) scaled so the largest value fills `width`, for an SVG chart."""
    items = list(values.items()) if isinstance(values, Mapping) else list(values)
    top = max((v for _, v in items), default=0)
    return [(k, v, round(v / top * width) if top else 0) for k, v in items]
