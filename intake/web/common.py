"""Small pieces the blueprints share: the engine for an intake, today's date, response headers."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from flask import current_app, g, session

from ..domain.engine import Engine
from ..i18n import use_program_texts
from ..services import programs
from .offices import current_office, setting


def engines() -> dict[str, Engine]:
    """The dialogues' engines with the current office's program catalogue (looked up once a request)."""
    catalogue = g.get("yorisoi_catalogue")
    if catalogue is None:
        catalogue = g.yorisoi_catalogue = programs.catalogue(current_office())
        use_program_texts(catalogue.texts)
    return catalogue.engines


def intake_engine(intake=None) -> Engine:
    """The engine of an intake's own dialogue (a review, say); without one, the dialogue new intakes use."""
    if intake is not None:
        return engines()[intake.dialogue_id]
    return engines()[current_app.config["INTAKE_DIALOGUE"]]


def office_today() -> date:
    """Today in the office's time zone: date ranges are relative to it."""
    pinned = current_app.config.get("OFFICE_TODAY")  # tests pin the office's calendar (a plan's whole life)
    if pinned:
        return pinned
    return datetime.now(ZoneInfo(setting("time_zone", "BABEL_DEFAULT_TIMEZONE"))).date()


# The receipt code of the intake this screen just sent: only the screen (session) that sent it shows it.
SENT_RECEIPT_KEY = "sent_receipt"


def remember_sent(intake) -> None:
    """This request sent the intake: its screen may show the receipt code until its session ends."""
    session[SENT_RECEIPT_KEY] = [intake.id, intake.receipt_code]


def sent_receipt(intake) -> str | None:
    """The intake's receipt code if this screen sent it; a token alone (another client, the API without this
    screen's cookie) never reads it from the record."""
    held = session.get(SENT_RECEIPT_KEY)
    if isinstance(held, list) and len(held) == 2 and held[0] == intake.id:
        return str(held[1])
    return None


def no_store(response):
    """Pages with answers must not stay in the browser's cache or history."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


def as_download(response, filename: str):
    """Offer the response as a file; a case number may hold any character, so the name is RFC 6266-encoded."""
    ascii_name = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in filename)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
