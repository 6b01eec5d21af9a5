"""Easy Japanese keeps its sentences short: the guideline's check, run on the shipped ja@easy catalogue."""

from __future__ import annotations

from pathlib import Path

from easy_japanese import (
    MAX_LONG_SHARE,
    MAX_SENTENCE_LENGTH,
    dialogue_sentences,
    long_sentences,
    sentence_length,
    sentences,
)

ROOT = Path(__file__).resolve().parents[2]
EASY = ROOT / "translations" / "ja@easy" / "LC_MESSAGES" / "messages.po"


def test_sentences_split_on_japanese_stops_and_line_breaks():
    assert sentences("はい。いいえ！本当？\nつぎ") == ["はい。", "いいえ！", "本当？", "つぎ"]


def test_spaces_readings_and_placeholders_are_not_counted():
    assert sentence_length("今日《きょう》は 天気　です。") == len("今日は天気です。")
    assert sentence_length("｜2人《ふたり》で 行きます") == len("2人で行きます")
    assert sentence_length("こと：%(areas)s。") == len("こと：。")


def test_a_catalogue_of_long_sentences_is_found_longest_first(tmp_path):
    po = tmp_path / "messages.po"
    long_one = "あ" * (MAX_SENTENCE_LENGTH + 5)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        '#: dialogues/x.yaml\nmsgctxt "x:a"\nmsgid "A"\nmsgstr "みじかい。' + "い" * (MAX_SENTENCE_LENGTH + 1) + "。" + long_one + '"\n\n'
        '#: templates/page.html\nmsgid "Page"\nmsgstr "' + long_one + '"\n',
        encoding="utf-8",
    )
    found = dialogue_sentences(po)
    assert [s.text for s in found][0] == "みじかい。" and len(found) == 3  # page strings are not dialogue text
    assert [s.length for s in long_sentences(found)] == [MAX_SENTENCE_LENGTH + 5, MAX_SENTENCE_LENGTH + 2]  # the 。 counts


def test_few_easy_japanese_dialogue_sentences_are_over_the_limit():
    found = dialogue_sentences(EASY)
    too_long = long_sentences(found)
    share = len(too_long) / len(found)
    report = "\n".join(f"  {s.length} chars  {s.context} (messages.po:{s.line}): {s.text}" for s in too_long[:15])
    print(f"ja@easy: {len(too_long)} of {len(found)} dialogue sentences over {MAX_SENTENCE_LENGTH} characters ({share:.1%})")
    print(report)
    assert len(found) > 400  # the whole dialogue was read, not an empty catalogue
    assert share <= MAX_LONG_SHARE, (
        f"{share:.1%} of the Easy Japanese sentences are over {MAX_SENTENCE_LENGTH} characters "
        f"(at most {MAX_LONG_SHARE:.0%}); split the longest, one idea per sentence:\n{report}"
    )
