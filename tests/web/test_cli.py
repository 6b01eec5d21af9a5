"""`flask intake dialogue check` runs the start-up validation and names file and line."""

import os
import subprocess
import sys
from pathlib import Path

DIALOGUES = Path(__file__).resolve().parents[2] / "dialogues"


def test_dialogue_check_passes_on_the_shipped_dialogues(runner):
    result = runner.invoke(args=["intake", "dialogue", "check"])
    assert result.exit_code == 0
    assert "self_reliance.yaml: ok" in result.output


def test_dialogue_check_names_file_line_and_reason(runner, tmp_path):
    broken = (
        (DIALOGUES / "self_reliance.yaml").read_text(encoding="utf-8").replace("next: language", "next: langauge", 1)
    )
    (tmp_path / "self_reliance.yaml").write_text(broken, encoding="utf-8")
    result = runner.invoke(args=["intake", "dialogue", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert "self_reliance.yaml:" in result.output and "missing step 'langauge'" in result.output


def test_dialogue_check_reports_a_broken_office_dialogue_without_starting_the_app(tmp_path):
    """The office's own dialogue folder is broken, so the app cannot start: the check still names file and line."""
    broken = (DIALOGUES / "self_reliance.yaml").read_text(encoding="utf-8").replace("next: language", "next: langauge", 1)
    (tmp_path / "self_reliance.yaml").write_text(broken, encoding="utf-8")
    environment = {**os.environ, "FLASK_APP": "intake", "YORISOI_DIALOGUES_DIR": str(tmp_path)}
    flask = [sys.executable, "-m", "flask"]
    starting = subprocess.run([*flask, "intake", "users", "list"], env=environment, capture_output=True, text=True)
    assert starting.returncode != 0 and "Traceback" in starting.stderr, "the app itself refuses this folder"
    result = subprocess.run([*flask, "intake", "dialogue", "check"], env=environment, capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    line = 1 + next(i for i, text in enumerate(broken.splitlines()) if "next: langauge" in text)
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'self_reliance.yaml'}:{line}: step 'welcome': 'next' goes to missing step 'langauge'"
    ]
