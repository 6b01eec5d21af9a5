"""The widget's weight: every JavaScript and CSS file a kiosk page or an embedding page loads, gzipped.

Run `python bench/widget_size.py`; it prints a table and exits non-zero over the budget (20 KB gzip for
JS + CSS together). tests/test_widget_size.py runs the same measurement.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"
# What the kiosk pages load (yorisoi.css, kiosk.js) and what an office page loads (widget.js, widget.css).
WIDGET_FILES = ("kiosk.js", "yorisoi.css", "widget.js", "widget.css")
BUDGET_BYTES = 20 * 1024


def sizes() -> dict[str, tuple[int, int]]:
    """Raw and gzip (level 9) size of each widget file."""
    measured = {}
    for name in WIDGET_FILES:
        data = (STATIC / name).read_bytes()
        measured[name] = (len(data), len(gzip.compress(data, compresslevel=9, mtime=0)))
    return measured


def total_gzip() -> int:
    return sum(packed for _, packed in sizes().values())


def main() -> int:
    measured = sizes()
    for name, (raw, packed) in measured.items():
        print(f"{name:<14} {raw:>7} B raw {packed:>7} B gzip")
    total = sum(packed for _, packed in measured.values())
    print(f"{'total':<14} {sum(r for r, _ in measured.values()):>7} B raw {total:>7} B gzip (budget {BUDGET_BYTES} B)")
    return 0 if total <= BUDGET_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
