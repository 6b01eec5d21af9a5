"""`flask intake …`: check dialogues, prepare the database, load the demo office, manage catalogues."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .config import ROOT
from .domain.office import load_engines
from .domain.yamlfile import DataFileError

intake_cli = AppGroup("intake", help="Yorisoi administration.")
dialogue_cli = AppGroup("dialogue", help="Dialogue files.")
i18n_cli = AppGroup("i18n", help="Translation catalogues (gettext).")
intake_cli.add_command(dialogue_cli)
intake_cli.add_command(i18n_cli)

TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"


def init_app(app: Flask) -> None:
    app.cli.add_command(intake_cli)


@dialogue_cli.command("check")
@click.argument("directory", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
def dialogue_check(directory: Path | None) -> None:
    """Validate every dialogue file and programs.yaml (the same check start-up runs)."""
    directory = directory or Path(current_app.config["DIALOGUES_DIR"])
    try:
        engines = load_engines(directory, current_app.config["LANGUAGES"])
    except DataFileError as err:
        for problem in err.problems:
            click.echo(str(problem), err=True)
        raise SystemExit(1) from None
    for engine in engines.values():
        click.echo(
            f"{engine.dialogue.source}: ok ({len(engine.dialogue.steps)} steps, {len(engine.programs)} programs)"
        )


@intake_cli.command("init-db")
def init_db() -> None:
    """Create the tables that do not exist yet."""
    from .database import create_schema

    create_schema()
    click.echo("database ready")


@intake_cli.command("demo")
def demo() -> None:
    """Load the demo office: a demo caseworker (printed with its password)."""
    from .demo import load_demo

    for line in load_demo():
        click.echo(line)


def _babel_command(command_class, **options) -> None:
    """Run one of Babel's own command classes, as `pybabel` would."""
    from babel.messages import frontend

    command = getattr(frontend, command_class)()
    command.initialize_options()
    for name, value in options.items():
        setattr(command, name, value)
    command.finalize_options()
    command.run()


@i18n_cli.command("extract")
def i18n_extract() -> None:
    """Extract messages from Python, templates and dialogue files into translations/messages.pot."""
    with contextlib.chdir(ROOT):  # locations in the .pot stay relative to the project
        _babel_command(
            "ExtractMessages",
            input_paths=["."],
            output_file=str(POT),
            mapping_file="pyproject.toml",
            keywords="N_ built_in_option:2c,3",
            add_comments="i18n:",
            sort_by_file=True,
            project="Yorisoi",
            version="1",
            msgid_bugs_address="",
            no_location=False,
            width=100,
        )


@i18n_cli.command("update")
def i18n_update() -> None:
    """Merge the template into every locale's messages.po (new strings appear untranslated)."""
    _babel_command(
        "UpdateCatalog",
        input_file=str(POT),
        output_dir=str(TRANSLATIONS),
        width=100,
        ignore_obsolete=True,
        no_fuzzy_matching=False,
    )


@i18n_cli.command("compile")
def i18n_compile() -> None:
    """Build the .mo files the app reads (not committed)."""
    _babel_command("CompileCatalog", directory=str(TRANSLATIONS), use_fuzzy=False, statistics=True)
