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


def test_choosing_easy_japanese_on_the_language_question_shows_its_readings_and_names_it(page, live):
    """Started in Japanese (no readings by default), then Easy Japanese chosen on the language question:
    the next screen is Easy Japanese with its readings shown, and the language menu says so."""
    page.goto(f"{live.url}/kiosk/?lang=ja")
    page.locator('form[action$="/kiosk/start"] button').click()
    page.locator(".question").wait_for()
    page.wait_for_load_state("load")
    while page.locator('.question [id="option-ja@easy"]').count() == 0:  # the welcome, then the language question
        page.locator(".question button.primary, .question button[type=submit]").first.click()
        page.wait_for_timeout(300)
    page.locator('.question [id="option-ja@easy"]').check()
    page.locator(".question button.primary, .question button[type=submit]").first.click()
    page.locator(".question ruby rt").first.wait_for()
    screenshot(page, "furigana-ja-easy-chosen-on-the-language-question")
    assert page.locator(".question ruby rt").first.is_visible()
    assert "no-furigana" not in (page.locator("body").get_attribute("class") or "")
    assert page.locator('select[name="locale"] option:checked').inner_text() == "やさしい日本語"
