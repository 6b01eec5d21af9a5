"""The office's data files read once at start-up: the era table (domain/eras.py) and the plan sheet's labels.

Web code keeps what this returns in `app.extensions`; reading and parsing the files is the domain's, reached
through here so the web layer calls no domain loader itself.
"""

from __future__ import annotations

from pathlib import Path

from ..domain import yamlfile
from ..domain.eras import EraCalendar, load_eras


def read_office_data(eras_file: Path, plan_sheet_file: Path) -> tuple[EraCalendar, dict]:
    """The era calendar and the plan sheet's labels (a plain dict), from their files."""
    return load_eras(eras_file), dict(yamlfile.load(plan_sheet_file))
