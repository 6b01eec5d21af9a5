"""Program suggestions fit the person: recipient profiles (program_profiles.yaml) with programs that
must and must not be suggested, the reasons given for each suggestion, and the checks of programs.yaml."""

from pathlib import Path

import pytest
import yaml

from intake.domain.engine import Engine
from intake.domain.office import load_engines
from intake.domain.programs import (
    MAX_SUGGESTIONS,
    Reason,
    check_program_answers,
    load_programs,
    suggest_programs,
)
from intake.domain.yamlfile import DataFileError

ROOT = Path(__file__).resolve().parents[2]
PROFILES = yaml.safe_load((Path(__file__).with_name("program_profiles.yaml")).read_text(encoding="utf-8"))["profiles"]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return load_engines(ROOT / "dialogues", {"ja": "日本語", "en": "English"})["self_reliance"]


def test_there_are_enough_profiles_and_every_program_is_named_in_one():
    assert len(PROFILES) >= 15
    named = {p for profile in PROFILES for p in profile["include"] + profile["exclude"]}
    programs = {p.id for p in load_programs(ROOT / "dialogues" / "programs.yaml")}
    assert named <= programs, named - programs
    assert programs - named <= {"discharge_support", "home_nursing"}


@pytest.mark.parametrize("profile", PROFILES, ids=[p["name"] for p in PROFILES])
def test_profile_answers_are_real_options(engine, profile):
    """A typo in the data file would make a profile test pass for the wrong reason."""
    for step_id, value in profile["answers"].items():
        step = engine.step(step_id)
        for option in value if isinstance(value, list) else [value] if value is not None else []:
            assert step.option(option) is not None, f"{step_id}: {option}"


@pytest.mark.parametrize("profile", PROFILES, ids=[p["name"] for p in PROFILES])
def test_suggestions_fit_the_profile(engine, profile):
    shown = [s.program.id for s in suggest_programs(engine.programs, engine.program_answers(profile["answers"]))][
        :MAX_SUGGESTIONS
    ]
    missing = [p for p in profile["include"] if p not in shown]
    unwanted = [p for p in profile["exclude"] if p in shown]
    assert not missing and not unwanted, f"shown {shown}: missing {missing}, should not be there {unwanted}"


def test_the_recipient_sees_the_same_first_steps_as_the_ranking(engine):
    """The action ideas at the kiosk are the first suggestions, so the retired see no Hello Work visit."""
    answers = dict(PROFILES[1]["answers"])
    ideas = engine.options(engine.step("action_ideas"), answers)
    ranked = [s.program.id for s in suggest_programs(engine.programs, engine.program_answers(answers))][
        :MAX_SUGGESTIONS
    ]
    assert [o.id for o in ideas] == ranked
    assert not any("Hello Work" in o.label for o in ideas)


def test_each_suggestion_says_which_answers_matched(engine):
    answers = {
        "age_band": "75_plus",
        "work_now": "retired",
        "barriers": ["low_pension", "isolation"],
        "goal_kind": "social_life",
    }
    why = {s.program.id: s.reasons for s in suggest_programs(engine.programs, engine.program_answers(answers))}
    assert why["social_participation"] == (Reason("barriers.chosen", "isolation"), Reason("goal.kind", "social_life"))
    assert Reason("barriers.chosen", "low_pension") in why["pension_claims"]
    assert Reason("age_band", "75_plus") in why["older_people_support"]
    assert Reason("work_now", "retired") in why["older_people_support"]
    assert all(s.reasons for s in suggest_programs(engine.programs, engine.program_answers(answers)))


def test_a_named_barrier_outweighs_the_goal_kind(engine):
    """Debt with a work goal: debt support comes before work programs that match only the goal kind."""
    answers = {"barriers": ["debt"], "goal_kind": "economic"}
    order = [s.program.id for s in suggest_programs(engine.programs, engine.program_answers(answers))]
    assert order.index("debt_settlement") < order.index("employment_support")


def test_an_unanswered_age_rules_nothing_out_and_an_answered_one_does(engine):
    young = {"barriers": ["job_search"], "goal_kind": "economic"}
    assert "youth_employment" in [
        s.program.id for s in suggest_programs(engine.programs, engine.program_answers(young))
    ]
    older = dict(young, age_band="50_to_64")
    assert "youth_employment" not in [
        s.program.id for s in suggest_programs(engine.programs, engine.program_answers(older))
    ]


def test_programs_file_problems_are_located(tmp_path):
    path = tmp_path / "programs.yaml"
    path.write_text(
        "programs:\n"
        "  - id: p\n    name: P\n    group: economic\n    description: d\n    barriers: [debt]\n"
        "    goal_kinds: [economic]\n    action: a\n    always_for: [isolation]\n    answers: [work_now]\n"
        "    employment: maybe\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as err:
        load_programs(path)
    reasons = [p.reason for p in err.value.problems]
    assert "always_for names 'isolation', not in barriers" in reasons
    assert "answers maps a step id to a list of option ids" in reasons
    assert "employment is true or false" in reasons
    assert all(p.line > 1 for p in err.value.problems)


def test_programs_must_name_real_steps_and_options(engine):
    programs = load_programs(ROOT / "dialogues" / "programs.yaml")
    options_of = {s.id: {o.id for o in s.options} for s in engine.dialogue.steps.values() if s.options}
    options_of["age"] = options_of["age_band"]  # the dialogue's declared age field
    assert check_program_answers(programs, options_of, "programs.yaml") == []
    del options_of["age"]
    problems = check_program_answers(programs, options_of, "programs.yaml")
    assert "program 'youth_employment' has ages, but the dialogue declares no 'age' field" in [
        p.reason for p in problems
    ]


def test_help_follows_the_goal_kind(engine):
    actions = engine.step("actions")
    for kind in ("daily_life", "social_life"):
        parts, text = actions.help_for({"goal_kind": kind})
        assert parts == ("help", "goal_kind", kind)
        assert "Hello Work" not in text
    assert "Hello Work" in actions.help_for({"goal_kind": "economic"})[1]
    assert "back" not in engine.step("goal_own").help_for({"goal_kind": "social_life"})[1]
