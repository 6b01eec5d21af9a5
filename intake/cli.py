"""`flask intake …`: check dialogues, prepare the database, load the demo office, manage catalogues."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .domain.office import load_engines
from .domain.yamlfile import DataFileError
from .i18n import catalogues

intake_cli = AppGroup("intake", help="Yorisoi administration.")
dialogue_cli = AppGroup("dialogue", help="Dialogue files.")
i18n_cli = AppGroup("i18n", help="Translation catalogues (gettext).")
intake_cli.add_command(dialogue_cli)
intake_cli.add_command(i18n_cli)


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


@i18n_cli.command("extract")
def i18n_extract() -> None:
    """Extract messages from Python, templates and dialogue files into translations/messages.pot."""
    catalogues.extract()


@i18n_cli.command("update")
def i18n_update() -> None:
    """Merge the template into every locale's messages.po (new strings appear untranslated)."""
    catalogues.update()


@i18n_cli.command("compile")
def i18n_compile() -> None:
    """Build the .mo files the app reads (not committed)."""
    catalogues.compile_all()
