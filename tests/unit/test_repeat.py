"""`repeat` blocks: steps written once, asked once per round, with one text for every round."""

import textwrap
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from intake.domain.dialogue import load_dialogue
from intake.domain.engine import Engine
from intake.domain.yamlfile import DataFileError

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 26)

PETS = """\
id: pets
version: 1
title: Pets
start: pet_1_name
sections:
  - {id: s, title: S}
steps:
  - repeat: {each: pet, times: 3, then: hello}
    steps:
      - {id: name, section: s, kind: given}
  - {id: hello, section: s, kind: info, prompt: Hello, next: pet_1_fed}
  - repeat: {each: pet, times: 3, while: {answered: name}, then: bye}
    steps:
      - id: fed
        section: s
        kind: yes_no
        reflect: {pet: name}
        prompt: "Did %(pet)s eat today?"
        next:
          - {if: {equals: {step: fed, value: "no"}}, goto: why}
          - goto: mood
      - {id: why, section: s, kind: text, prompt: "Why not?"}
      - {id: mood, section: s, kind: scale, prompt: "How is it?", low: Sad, high: Happy}
  - {id: bye, section: s, kind: done, prompt: Bye}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pets.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(DataFileError) as err:
        load_dialogue(write(tmp_path, text))
    return [str(p) for p in err.value.problems]


def test_a_block_becomes_numbered_steps_sharing_one_text(tmp_path):
    dialogue = load_dialogue(write(tmp_path, PETS))
    assert [s for s in dialogue.steps if s.startswith("pet_2_")] == [
        "pet_2_name",
        "pet_2_fed",
        "pet_2_why",
        "pet_2_mood",
    ]
    second = dialogue.steps["pet_2_fed"]
    assert second.reflect == (("pet", "pet_2_name"),)
    assert dialogue.context("pet_2_fed") == dialogue.context("pet_1_fed") == "pets:pet_fed"
    assert dialogue.context("pet_3_mood", "low") == "pets:pet_mood:low"
    assert dialogue.context("hello") == "pets:hello"


def test_rounds_run_while_their_item_is_given_and_rules_read_their_own_round(tmp_path):
    engine = Engine(load_dialogue(write(tmp_path, PETS)))
    conversation = engine.start({"pet_1_name": "Tama", "pet_2_name": "Pochi"})
    assert conversation.state == "hello"
    shown = []
    for raw in (None, "no", "Too hot", 7, "yes", 9):
        shown.append(conversation.state)
        conversation = engine.answer(conversation, conversation.state, raw, today=TODAY).conversation
    assert shown == ["hello", "pet_1_fed", "pet_1_why", "pet_1_mood", "pet_2_fed", "pet_2_mood"]
    assert conversation.state == "bye"  # no third pet: the third round is not asked


def test_the_extractor_gives_a_repeated_text_once_without_a_number(tmp_path):
    path = write(tmp_path, PETS)
    contexts = [
        context
        for _line, _text, _comments, context in extract_from_file(
            "intake.i18n.extract:extract_dialogue", str(path), keywords={"pgettext": ((1, "c"), 2)}
        )
    ]
    assert contexts.count("pets:pet_fed") == 1
    assert contexts.count("pets:pet_mood:high") == 1
    assert not any(c.startswith("pets:pet_1") or c.startswith("pets:pet_2") for c in contexts)


def test_the_review_dialogue_has_one_message_per_repeated_text():
    path = ROOT / "dialogues" / "plan_review.yaml"
    dialogue = load_dialogue(path)
    assert {
        f"action_{n}_{part}" for n in range(1, 6) for part in ("text", "status", "helped", "blocked", "confidence")
    } <= set(dialogue.steps)
    extracted = [
        context
        for _line, _text, _comments, context in extract_from_file(
            "intake.i18n.extract:extract_dialogue", str(path), keywords={"pgettext": ((1, "c"), 2)}
        )
    ]
    assert extracted.count("plan_review:action_status") == 1
    assert extracted.count("plan_review:action_status:option:not_yet") == 1
    assert len(extracted) == len(set(extracted))


@pytest.mark.parametrize(
    ("change", "line", "reason"),
    [
        (("pet, times: 3, while", "pet, times: 0, while"), 12, "'times' in repeat 'pet' must be a whole number ≥ 1"),
        (("while: {answered: name}", "while: {answred: name}"), 12, "repeat 'pet': unknown rule operator 'answred'"),
        (("then: bye}", "then: nowhere}"), 12, "'next' goes to missing step 'nowhere'"),
        (("goto: mood", "goto: lost"), 21, "'next' goes to missing step 'lost'"),
        (('kind: text, prompt: "Why not?"', 'kind: text, prompt: "Why not?", colour: red'), 22, "unknown key 'colour'"),
        (
            ("repeat: {each: pet, times: 3, while", "repeat: {each: pet, times: 3, until: x, while"),
            12,
            "unknown key 'until'",
        ),
    ],
)
def test_problems_in_a_block_name_the_line_once(tmp_path, change, line, reason):
    found = problems_of(tmp_path, PETS.replace(*change))
    matching = [p for p in found if reason in p]
    assert len(matching) == 1, found  # one problem for the block, not one per round
    assert matching[0].startswith(f"{tmp_path / 'pets.yaml'}:{line}:"), found


def test_a_step_outside_cannot_take_a_repeated_texts_name(tmp_path):
    text = PETS.replace(
        "{id: bye, section: s, kind: done, prompt: Bye}", "{id: pet_fed, section: s, kind: done, prompt: Bye}"
    )
    text = text.replace("then: bye", "then: pet_fed")
    assert any("also the name of a repeated step's text" in p for p in problems_of(tmp_path, text))
