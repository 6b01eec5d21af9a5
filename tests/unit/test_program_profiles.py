"""Program suggestions fit the person: recipient profiles (program_profiles.md, one table) with the programs a
caseworker expects in the draft's first three lines and those that must not be suggested, the reasons given for
each suggestion, conditions on facts, and the checks of programs.yaml."""

from pathlib import Path

import pytest

from intake.domain.engine import Engine
from intake.domain.office import load_engines
from intake.domain.programs import (
    FIRST_LINES,
    MAX_SUGGESTIONS,
    Reason,
    answer_problems,
    choices_condition,
    condition_choices,
    load_programs,
    suggest_programs,
)
from intake.domain.rules import RuleError, compile_condition
from intake.domain.yamlfile import DataFileError

ROOT = Path(__file__).resolve().parents[2]
TABLE = Path(__file__).with_name("program_profiles.md")
# The table's answer columns and the dialogue steps they answer; the multi-choice ones take several ids.
COLUMNS = {
    "age": "age_band",
    "work": "work_now",
    "health": "health_now",
    "children": "children_now",
    "help": "childcare_help",
    "people": "people_now",
    "barriers": "barriers",
    "areas": "future_areas",
    "goal": "goal_kind",
}
MULTI = {"health_now", "barriers", "future_areas"}


def _profiles() -> list[dict]:
    """The table's rows: who, the answers by step id (skipped: None), first three and never."""
    rows = [line for line in TABLE.read_text(encoding="utf-8").splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    profiles = []
    for line in rows[2:]:
        cells = dict(zip(header, (cell.strip() for cell in line.strip("|").split("|")), strict=True))
        answers: dict[str, object] = {}
        for column, step in COLUMNS.items():
            value = cells[column]
            if value == "skipped":
                answers[step] = None
            elif value:
                answers[step] = value.split() if step in MULTI else value
        profiles.append(
            {
                "name": f"{cells['#']}: {cells['who']}",
                "answers": answers,
                "first": cells["first three"].split(),
                "never": cells["never"].split(),
            }
        )
    return profiles


PROFILES = _profiles()


@pytest.fixture(scope="module")
def engine() -> Engine:
    return load_engines(ROOT / "dialogues", {"ja": "日本語", "en": "English"})["self_reliance"]


def shown(engine: Engine, answers: dict) -> list[str]:
    return [s.program.id for s in suggest_programs(engine.programs, engine.program_answers(answers))][:MAX_SUGGESTIONS]


def test_there_are_enough_profiles_and_every_program_is_named_in_one():
    assert len(PROFILES) >= 40
    named = {p for profile in PROFILES for p in profile["first"] + profile["never"]}
    programs = {p.id for p in load_programs(ROOT / "dialogues" / "programs.yaml")}
    assert named <= programs, named - programs
    assert programs - named <= {"home_nursing"}
    assert all(len(profile["first"]) <= FIRST_LINES for profile in PROFILES)


@pytest.mark.parametrize("profile", PROFILES, ids=[p["name"] for p in PROFILES])
def test_profile_answers_are_real_options(engine, profile):
    """A typo in the table would make a profile test pass for the wrong reason."""
    for step_id, value in profile["answers"].items():
        step = engine.step(step_id)
        for option in value if isinstance(value, list) else [value] if value is not None else []:
            assert step.option(option) is not None, f"{step_id}: {option}"


@pytest.mark.parametrize("profile", PROFILES, ids=[p["name"] for p in PROFILES])
def test_suggestions_fit_the_profile(engine, profile):
    suggested = shown(engine, profile["answers"])
    missing = [p for p in profile["first"] if p not in suggested[:FIRST_LINES]]
    unwanted = [p for p in profile["never"] if p in suggested]
    assert not missing and not unwanted, f"shown {suggested}: not in the first three {missing}, should not be there {unwanted}"


# --- the three people of issue 23 -------------------------------------------------------------------


def test_a_58_year_old_with_diabetes_at_home_gets_health_management_first(engine):
    """Illness and isolation named, the health question declined, lives at home: no pension, discharge or
    disability program; health management, whose first step he picked, leads the draft."""
    answers = {
        "age_band": "50_to_64",
        "work_now": "cannot_now",
        "health_now": None,
        "people_now": "rarely",
        "barriers": ["illness", "isolation"],
        "future_areas": ["health", "people"],
        "goal_kind": "daily_life",
    }
    at_kiosk = shown(engine, answers)
    assert "health_management" in at_kiosk[:FIRST_LINES]
    assert not {"pension_claims", "discharge_support", "disability_services"} & set(at_kiosk)
    on_worksheet = shown(engine, {**answers, "action_ideas": ["health_management"]})
    assert on_worksheet[0] == "health_management"
    assert not {"pension_claims", "discharge_support", "disability_services"} & set(on_worksheet)


@pytest.mark.parametrize("barriers", [["debt"], ["debt", "job_search"], ["debt", "isolation", "job_search"]])
def test_someone_who_names_debt_sees_debt_settlement_in_the_first_three(engine, barriers):
    answers = {"age_band": "40s", "work_now": "looking", "health_now": ["no_concerns"], "barriers": barriers,
               "future_areas": ["work", "money"], "goal_kind": "economic"}
    suggested = shown(engine, answers)
    assert "debt_settlement" in suggested[:FIRST_LINES]
    assert "disability_employment" not in suggested  # no health worry: the general employment programs only


def test_a_married_father_who_has_nobody_to_look_after_his_child_is_offered_childcare(engine):
    answers = {"age_band": "30s", "work_now": "working_most_days", "children_now": "under_school",
               "childcare_help": "partner", "barriers": ["childcare"], "future_areas": ["children", "work"],
               "goal_kind": "economic"}
    suggested = shown(engine, answers)
    assert suggested[0] == "childcare"
    assert "single_parent_support" not in suggested


# --- conditions ---------------------------------------------------------------------------------


def test_a_skipped_question_counts_neither_for_nor_against(engine):
    """Discharge support requires being in hospital: declining the health question never brings it, and
    never rules out what the barriers bring."""
    declined = {"health_now": None, "barriers": ["illness"], "goal_kind": "daily_life"}
    assert "discharge_support" not in shown(engine, declined)
    assert "health_management" in shown(engine, declined)
    in_hospital = {**declined, "health_now": ["in_hospital"]}
    assert "discharge_support" in shown(engine, in_hospital)[:FIRST_LINES]
    assert "health_management" not in shown(engine, in_hospital)


def test_conditions_read_facts_in_three_values():
    condition = compile_condition({"all": [{"any_of": {"step": "a", "values": ["x"]}}, {"not": {"equals": {"step": "b", "value": 1}}}]})
    assert condition({"a": ["x"], "b": 2}) is True
    assert condition({"a": ["y"], "b": None}) is False  # one false part decides
    assert condition({"a": ["x"], "b": None}) is None  # the rest unknown
    assert condition({"a": None}) is None
    either = compile_condition({"any": [{"in": {"step": "a", "values": ["x"]}}, {"in": {"step": "b", "values": ["y"]}}]})
    assert either({"a": None, "b": "y"}) is True
    assert either({"a": "z", "b": None}) is None
    with pytest.raises(RuleError, match="skipped question"):
        compile_condition({"skipped": "a"})


def test_the_editor_lists_round_trip_through_the_rule_vocabulary():
    choices = {"health_now": ["in_hospital"], "children_now": ["no_children", "older"]}
    for key in ("require", "exclude"):
        rule = choices_condition(choices, key)
        assert condition_choices(compile_condition(rule), key) == choices
    assert choices_condition({"health_now": []}, "require") is None
    assert condition_choices(compile_condition({"not": {"in": {"step": "a", "values": ["x"]}}}), "require") is None


def test_the_recipient_sees_the_same_first_steps_as_the_ranking(engine):
    """The action ideas at the kiosk are the first suggestions, so the retired see no Hello Work visit."""
    answers = dict(PROFILES[6]["answers"])
    ideas = engine.options(engine.step("action_ideas"), answers)
    assert [o.id for o in ideas] == shown(engine, answers)
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
    """Debt and unsteady work with a work goal: the program made for debt comes before the work program that scores
    higher with the goal kind."""
    answers = {"barriers": ["debt", "unstable_work"], "goal_kind": "economic"}
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
    assert answer_problems(programs, options_of) == []
    del options_of["age"]
    problems = answer_problems(programs, options_of)
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


def test_conditions_are_checked_at_load_with_their_line(tmp_path):
    """A condition that is not a rule of the vocabulary, or names a step or option the dialogue lacks, stops
    start-up with the file and the line of that condition."""
    folder = tmp_path / "dialogues"
    folder.mkdir()
    (folder / "self_reliance.yaml").write_text((ROOT / "dialogues" / "self_reliance.yaml").read_text(encoding="utf-8"))
    head = "programs:\n  - id: q\n    name: Q\n    group: daily_life\n    description: d\n    barriers: [debt]\n"
    head += "    goal_kinds: [daily_life]\n    action: a\n"
    cases = [
        (
            "    require: {skipped: health_now}\n",
            {(9, "require is not a rule of the vocabulary: 'skipped' cannot be a condition: a skipped question "
                 "counts neither for nor against")},
        ),
        (
            "    exclude: {any_of: {step: children_now, values: [twins]}}\n"
            "    require: {in: {step: shoe_size, values: [large]}}\n",
            {(9, "program 'q' names unknown option 'twins' of 'children_now'"),
             (10, "program 'q' reads step 'shoe_size', not in the dialogue")},
        ),
    ]
    for conditions, expected in cases:
        (folder / "programs.yaml").write_text(head + conditions, encoding="utf-8")
        with pytest.raises(DataFileError) as err:
            load_engines(folder, {"ja": "日本語"})
        assert {(problem.line, problem.reason) for problem in err.value.problems} == expected
        assert {problem.file for problem in err.value.problems} == {str(folder / "programs.yaml")}
