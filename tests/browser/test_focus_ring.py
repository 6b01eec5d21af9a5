"""The focus ring has at least 3:1 against the background it sits on (WCAG 1.4.11), on white and on the
green header alike, and it shows on the lists of a date (a tap on a list focuses it, the ring must show)."""

from __future__ import annotations

import re
from pathlib import Path

from browser.kiosk_driver import answer_current, current_step, start

FIXTURE_DIALOGUES = Path(__file__).parent / "dialogues"

RING = """(element) => {
  const style = getComputedStyle(element);
  let node = element.parentElement, background = "rgba(0, 0, 0, 0)";
  while (node) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") { background = colour; break; }
    node = node.parentElement;
  }
  return {outline: style.outlineColor, width: parseFloat(style.outlineWidth), style: style.outlineStyle,
          shadow: style.boxShadow, background};
}"""


def _luminance(colour: str) -> float:
    channels = [int(v) / 255 for v in re.findall(r"\d+", colour)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _best_contrast(ring: dict) -> float:
    """The better of the two rings (dark outline, yellow shadow) against the background behind them."""
    found = [_contrast(ring["outline"], ring["background"])] if ring["width"] >= 2 and ring["style"] != "none" else []
    shadow = re.match(r"(rgba?\([^)]*\))\s+0px 0px 0px (\d+)px", ring["shadow"] or "")
    if shadow and int(shadow.group(2)) >= 2:
        found.append(_contrast(shadow.group(1), ring["background"]))
    return max(found, default=0.0)


def test_the_ring_has_3_to_1_on_white_and_on_the_header(live, page):
    start(page, live.url)
    page.keyboard.press("Tab")  # keyboard use, so :focus-visible applies as it does for a keyboard user
    for selector in (".quick-exit button", ".question .button.primary", ".size-larger"):
        page.locator(selector).focus()
        ring = page.locator(selector).evaluate(RING)
        assert _best_contrast(ring) >= 3, (selector, ring)


def test_the_ring_shows_on_a_date_field(live_factory, page):
    live = live_factory(DIALOGUES_DIR=str(FIXTURE_DIALOGUES), INTAKE_DIALOGUE="kinds")
    start(page, live.url)
    while current_step(page)[1] != "date":
        answer_current(page, {"has_doctor": "yes"})
    field = page.locator(".question .date-lists select").first
    field.focus()
    ring = field.evaluate(RING)
    assert _best_contrast(ring) >= 3, ring
