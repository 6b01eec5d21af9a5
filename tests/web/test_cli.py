"""`flask intake dialogue check` runs the start-up validation and names file and line."""

import os
import subprocess
import sys
from pathlib import Path

from staff import sign_in

DIALOGUES = Path(__file__).resolve().parents[2] / "dialogues"
LONG = "a fresh long password"


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


def test_an_operator_sets_up_a_second_office_from_the_shell(app, runner):
    created = runner.invoke(args=["intake", "office", "create", "north", "--name", "北福祉事務所", "--head-title", "北市福祉事務所長"])
    assert created.exit_code == 0, created.output
    again = runner.invoke(args=["intake", "office", "create", "north", "--name", "other"])
    assert again.exit_code != 0 and "already an office 'north'" in again.output
    bad = runner.invoke(args=["intake", "office", "create", "North Office!", "--name", "x"])
    assert bad.exit_code != 0 and "office code" in bad.output

    boss = ["intake", "users", "create", "n-sv", "--role", "supervisor", "--office", "north"]
    assert runner.invoke(args=[*boss, "--password", "a long enough secret"]).exit_code == 0
    # The password prompted for, as a person at a terminal types it (twice).
    prompted = runner.invoke(
        args=["intake", "users", "create", "n-cw", "--role", "caseworker", "--supervisor", "n-sv", "--office", "north"],
        input="another long secret\nanother long secret\n",
    )
    assert prompted.exit_code == 0, prompted.output
    main_cw = runner.invoke(args=["intake", "users", "create", "cw", "--role", "caseworker", "--password", LONG])
    assert main_cw.exit_code == 0, main_cw.output
    # A supervisor of another office cannot lead a team here; an unknown office is named.
    across = runner.invoke(
        args=["intake", "users", "create", "cw9", "--role", "caseworker", "--supervisor", "n-sv", "--password", LONG]
    )
    assert across.exit_code != 0 and "not an active supervisor" in across.output
    unknown = runner.invoke(args=["intake", "users", "create", "z", "--role", "admin", "--office", "south", "--password", LONG])
    assert unknown.exit_code != 0 and "no office 'south'" in unknown.output

    listed = runner.invoke(args=["intake", "office", "list"]).output.splitlines()
    assert [line.split("\t")[0] for line in listed] == ["main", "north"]
    assert "北福祉事務所\t2 staff\t0 cases" in listed[1]
    users = runner.invoke(args=["intake", "users", "list", "--office", "north"]).output.splitlines()
    assert [line.split("\t")[0] for line in users] == ["n-cw", "n-sv"] and all(u.endswith("\tnorth") for u in users)

    client = app.test_client()
    signed_in = sign_in(client, "n-cw", "another long secret")  # enrolling one-time codes on the way
    assert signed_in.status_code == 302
    assert "北福祉事務所" in client.get("/caseworker/cases").get_data(as_text=True)
