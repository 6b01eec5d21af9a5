"""The pocket card's token and short code, and the review form started from check-ins (pure domain, no app)."""

from __future__ import annotations

from datetime import date

from intake.domain.pocket_card import (
    CheckInAnswers,
    card_token,
    check_in_answers,
    check_in_prefill,
    display_code,
    new_card_code,
    read_card,
    text_size,
)

KEY = b"k" * 32


def test_a_token_names_the_office_and_the_code_and_nothing_else_and_its_signature_is_checked():
    code = new_card_code()
    token = card_token(KEY, 7, code)
    assert token.startswith(f"YC1-7-{code}-") and len(token) == len(f"YC1-7-{code}-") + 16
    assert read_card(KEY, token).code == code and read_card(KEY, token).office_id == 7
    assert read_card(KEY, f"  {token.lower()} ").code == code  # a scanner's case or spaces do not matter
    assert read_card(b"another key" * 3, token) is None  # signed with another key
    assert read_card(KEY, token.replace("YC1-7-", "YC1-8-")) is None  # another office named by hand
    assert read_card(KEY, "YC1-7-" + code) is None


def test_a_typed_short_code_in_any_case_with_spaces_or_hyphens():
    code = new_card_code()
    assert read_card(KEY, display_code(code).lower()).code == code
    assert read_card(KEY, f"{code[:3]} {code[3:]}").office_id is None
    for wrong in ("", "ABC", code + "A", "I" * 10, "O0" * 5, None, 12, "x" * 500):
        assert read_card(KEY, wrong) is None


def test_check_in_answers_stop_at_the_plans_last_action():
    answers = {
        "action_1_text": "a",
        "action_1_status": "partly",
        "action_2_text": "b",
        "action_2_status": "help",
        "action_3_status": "done",  # no third action: never read
        "note": "n",
        "talk": "yes",
    }
    read = check_in_answers(answers, note_step="note", talk_step="talk")
    assert read == CheckInAnswers(("partly", "help"), "n", True) and read.needs_help
    assert CheckInAnswers.from_json(read.to_json()) == read
    assert not check_in_answers({"action_1_text": "a"}, note_step="note", talk_step="talk").wants_talk


def test_the_review_starts_from_the_newest_check_in_and_lists_every_one():
    older = (date(2019, 6, 1), CheckInAnswers(("not_yet", "done")))
    newer = (date(2019, 7, 1), CheckInAnswers(("partly", "help")))
    values = check_in_prefill([newer, older], lambda day, status: f"{day.month}/{day.day} {status}")
    assert values["action-0-evaluation"] == "partly"
    assert "action-1-evaluation" not in values  # "I need help" decides no evaluation
    assert values["action-0-progress"] == "6/1 not_yet / 7/1 partly"
    assert values["action-1-progress"] == "6/1 done / 7/1 help"


def test_a_longer_plan_prints_smaller_and_a_japanese_character_counts_two():
    short = ["座ってできる仕事で、パートタイムで働く", "Work part-time in a job where I can sit, by next autumn"]
    assert text_size(short) == "standard"
    assert text_size(["a" * 751]) == "small" and text_size(["あ" * 376]) == "small"  # 752 half-widths
    assert text_size(["a" * 750]) == "standard" and text_size(["あ" * 375]) == "standard"
    assert text_size(["a" * 1400]) == "smaller"
    assert text_size(["字" * 2000]) == "smallest"  # the longest: the text may be cut, never the foot
