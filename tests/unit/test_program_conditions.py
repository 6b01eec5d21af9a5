from intake.services.program_conditions import condition_of, stored_lists


def test_the_editors_lists_and_the_stored_rule_convert_both_ways():
    picked = {"housing": ["unstable", "none"], "work": ["no"]}
    rule = condition_of(picked, "require")
    assert rule == {
        "all": [
            {"any_of": {"step": "housing", "values": ["unstable", "none"]}},
            {"any_of": {"step": "work", "values": ["no"]}},
        ]
    }
    assert stored_lists(rule, "require") == picked
    assert condition_of({"work": []}, "exclude") is None
    assert stored_lists(None, "exclude") == {}


def test_a_rule_the_lists_cannot_show_is_kept_out_of_them():
    assert stored_lists({"not": {"any_of": {"step": "work", "values": ["no"]}}}, "require") is None
    assert stored_lists({"no_such_operator": 1}, "require") is None
