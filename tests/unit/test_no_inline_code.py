"""Staff and plan templates keep scripts and styles in static files, so a strict CSP (no 'unsafe-inline') holds."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE = re.compile(r"<style|<script(?![^>]*\bsrc=)|\bstyle=|\bon[a-z]+=", re.IGNORECASE)


def test_no_inline_scripts_or_styles():
    paths = [
        *(TEMPLATES / "caseworker").glob("*.html"),
        *(TEMPLATES / "plan").glob("*.html"),
        TEMPLATES / "kiosk" / "code_form.html",
    ]
    offenders = {p.name: INLINE.findall(p.read_text(encoding="utf-8")) for p in paths}
    assert {name: found for name, found in offenders.items() if found} == {}
