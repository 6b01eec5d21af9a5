"""The widget's JS + CSS stay within 20 KB gzip (measured by bench/widget_size.py; not a timing test)."""

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "widget_size", Path(__file__).resolve().parent.parent / "bench" / "widget_size.py"
)
widget_size = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(widget_size)


def test_widget_js_and_css_within_budget():
    assert widget_size.total_gzip() <= widget_size.BUDGET_BYTES
