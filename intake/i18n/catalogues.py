"""The gettext catalogues on disk: extract, update and compile through Babel's own command classes."""

from __future__ import annotations

import contextlib
from pathlib import Path

from ..config import ROOT

TRANSLATIONS = ROOT / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
# N_ marks engine messages; built_in_option(id, context, label) marks the engine's own options.
KEYWORDS = "N_ built_in_option:2c,3"
WIDTH = 100


def run_babel(command_class: str, **options) -> None:
    """Run one of Babel's command classes, as `pybabel` would."""
    from babel.messages import frontend

    command = getattr(frontend, command_class)()
    command.initialize_options()
    for name, value in options.items():
        setattr(command, name, value)
    command.finalize_options()
    command.run()


def extract(output: Path = TEMPLATE) -> None:
    """Python, templates and dialogue files → the .pot (mapping in pyproject.toml)."""
    with contextlib.chdir(ROOT):  # locations in the .pot stay relative to the project
        run_babel(
            "ExtractMessages",
            input_paths=["."],
            output_file=str(output),
            mapping_file="pyproject.toml",
            keywords=KEYWORDS,
            add_comments="i18n:",
            sort_by_file=True,
            project="Yorisoi",
            version="1",
            msgid_bugs_address="",
            width=WIDTH,
        )


def update() -> None:
    """Merge the template into every locale's messages.po; new strings appear untranslated."""
    run_babel(
        "UpdateCatalog", input_file=str(TEMPLATE), output_dir=str(TRANSLATIONS), width=WIDTH, ignore_obsolete=True
    )


def compile_all() -> None:
    """Build the .mo files the app reads (not committed)."""
    run_babel("CompileCatalog", directory=str(TRANSLATIONS), use_fuzzy=False, statistics=True)
