"""Default settings; an office overrides them with YORISOI_* environment variables or a test config."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET = "dev-only-not-secret"


class Defaults:
    SECRET_KEY = DEFAULT_SECRET
    SQLALCHEMY_DATABASE_URI = None  # set in the factory: DATABASE_URL, else SQLite in instance/
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    WTF_CSRF_TIME_LIMIT = None  # a kiosk page may stay open a long while; the session bounds it
    MAX_CONTENT_LENGTH = 256 * 1024
    # Flask-Babel resolves relative directories against the package: give an absolute path.
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Asia/Tokyo"
    DIALOGUES_DIR = str(ROOT / "dialogues")
    INTAKE_DIALOGUE = "self_reliance"
    # Languages offered at the kiosk, each by its own name. The caseworker always reads Japanese.
    LANGUAGES = {"ja": "日本語", "en": "English"}
    KIOSK_DEFAULT_LOCALE = "ja"
    OFFICE_NAME = "デモ福祉事務所"
    PRODUCTION = False
