"""Codes people type or scan: receipt codes, ticket codes, recovery codes, pocket cards' short codes."""

from __future__ import annotations


def clean_code(raw: str | None) -> str:
    """A code as typed, as stored: letters and digits, upper case; the dashes and spaces people type or read aloud
    dropped."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())
