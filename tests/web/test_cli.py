"""`flask intake dialogue check` runs the start-up validation and names file and line."""

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
