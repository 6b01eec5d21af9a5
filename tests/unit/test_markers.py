"""`make test-fast` deselects browser and live-server tests by marker: none may slip through unmarked."""

import re
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent


def collected(marker_expression: str) -> set[str]:
    """The modules pytest collects under a marker expression (collection only, nothing runs)."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-m", marker_expression],
        cwd=TESTS.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    return {line.split("::")[0] for line in result.stdout.splitlines() if "::" in line}


# A module that launches Chromium or a server itself, or a test that asks for the harness's fixtures.
SLOW_SIGNS = re.compile(
    r"sync_playwright\(\)|serve_in_thread\(|Gunicorn\(|def test_\w+\([^)]*\b(browser|page|plain_page|live|live_factory)\b"
)


def starts_a_browser_or_server(path: Path) -> bool:
    return path.name != "test_markers.py" and bool(SLOW_SIGNS.search(path.read_text(encoding="utf-8")))


def test_fast_selection_has_no_browser_or_live_server_module():
    fast = collected("not browser and not live_server")
    slow_modules = {
        str(path.relative_to(TESTS.parent))
        for path in TESTS.rglob("test_*.py")
        if path.parent.name == "browser" or starts_a_browser_or_server(path)
    }
    assert slow_modules, "the sign list no longer finds any browser test"
    assert "tests/browser/test_walk.py" in slow_modules
    assert not fast & slow_modules
