from intake.web.charts import bar_widths


def test_bar_widths_scale_to_the_largest():
    assert bar_widths([("a", 4), ("b", 2), ("c", 0)], 100) == [("a", 4, 100), ("b", 2, 50), ("c", 0, 0)]
    assert bar_widths({"a": 3, "b": 1}, 90) == [("a", 3, 90), ("b", 1, 30)]
    assert bar_widths([], 100) == []
