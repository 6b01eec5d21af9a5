"""Furigana as a reader sees them in Chromium: a word stays one word under a reading wider than itself."""

from __future__ import annotations

from browser.harness import screenshot

# Each ruby on the question whose reading is wider than its word (目標《もくひょう》), with how Chromium
# aligns it. Its default, space-around, spreads the word's characters apart to the reading's width
# (「目 標」); the glyph positions are not measurable from the DOM, the alignment in use is.
WIDE_READINGS = """() => [...document.querySelectorAll(".question ruby")].flatMap((ruby) => {
  const rt = ruby.querySelector("rt");
  const word = [...ruby.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join("");
  const size = parseFloat(getComputedStyle(ruby).fontSize);
  if (!rt || rt.getBoundingClientRect().width <= word.length * size) return [];
  return [{word, ruby: getComputedStyle(ruby).rubyAlign, reading: getComputedStyle(rt).rubyAlign}];
})"""


def test_a_word_under_a_wider_reading_is_not_spread_apart(page, live):
    page.goto(f"{live.url}/kiosk/?lang=ja@easy")
    page.locator('form[action$="/kiosk/start"] button').click()
    page.locator(".question ruby").first.wait_for()
    wide = page.evaluate(WIDE_READINGS)
    screenshot(page, "furigana-ja-easy-welcome")
    assert "目標" in {w["word"] for w in wide}  # the welcome text has such a word: the check looked at one
    assert [w for w in wide if (w["ruby"], w["reading"]) != ("center", "center")] == []
