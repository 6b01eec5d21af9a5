from intake.domain.dialogue import Step
from intake.domain.step_kinds import DEFAULT_MAX_ITEMS, KINDS


def test_a_step_answers_for_its_kind():
    actions = Step(id="plan", section="s", kind="actions")
    assert actions.step_kind is KINDS["actions"] and actions.asked
    assert actions.max_items == DEFAULT_MAX_ITEMS and Step(id="p", section="s", kind="actions", max=5).max_items == 5
    assert not Step(id="review_action", section="s", kind="given").asked
