"""The app factory's cost (not a test): `create_app()` timed, and the data files read with each YAML parser.

    .venv/bin/python bench/factory.py

Every test that builds an app and every gunicorn worker pays for `create_app`. Most of it was reading the
dialogue files with PyYAML's pure-Python parser; intake/domain/yamlfile.py now uses libyaml's (CSafeLoader).
Both parsers are timed here in one run, alternately, so the ratio holds on a busy machine.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intake import create_app  # noqa: E402
from intake.domain import yamlfile  # noqa: E402

DATA_FILES = sorted((ROOT / "dialogues").glob("*.yaml")) + sorted((ROOT / "data").glob("*.yaml"))


def timed(action, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def main(rounds: int = 15) -> None:
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    texts = [path.read_text(encoding="utf-8") for path in DATA_FILES]
    pure = yamlfile.line_loader(yaml.SafeLoader)  # what the factory used before
    libyaml, python = [], []
    for _ in range(rounds):
        libyaml += timed(lambda: [yaml.load(text, Loader=yamlfile._LineLoader) for text in texts], 1)
        python += timed(lambda: [yaml.load(text, Loader=pure) for text in texts], 1)
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    create_app(config)  # imports and first-use caches out of the way
    factory = timed(lambda: create_app(config), rounds)
    ms = 1000
    print(f"{len(DATA_FILES)} data files, median of {rounds}:")
    print(f"  read with libyaml (CSafeLoader)     {statistics.median(libyaml) * ms:6.1f} ms")
    print(f"  read with pure-Python (SafeLoader)  {statistics.median(python) * ms:6.1f} ms")
    print(f"  ratio                               {statistics.median(python) / statistics.median(libyaml):6.1f} x")
    print(
        f"  create_app()                        {statistics.median(factory) * ms:6.1f} ms (min {min(factory) * ms:.1f})"
    )


if __name__ == "__main__":
    main()
