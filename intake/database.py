"""Database wiring: SQLite pragmas for several workers, and schema creation for the CLI."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event

from .extensions import db

SQLITE_BUSY_TIMEOUT_MS = 5000


def init_app(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            event.listen(db.engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(connection, _record) -> None:
    """WAL lets readers and a writer work at once; the busy timeout waits instead of failing."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_schema() -> None:
    db.create_all()
