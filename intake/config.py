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
    # Kiosk mode: a shared screen. After KIOSK_IDLE_SECONDS without a touch or key, a warning gives
    # KIOSK_IDLE_WARNING_SECONDS to continue (WCAG 2.2.1 asks for at least 20 s), then the screen resets.
    KIOSK_IDLE_SECONDS = 90
    KIOSK_IDLE_WARNING_SECONDS = 30
    # In the embedded widget the person is usually on their own device: a longer idle time.
    EMBED_IDLE_SECONDS = 900
    # Where "Exit this page" goes; empty means the kiosk's welcome screen.
    QUICK_EXIT_URL = ""
    # Who may show our pages in a frame (CSP frame-ancestors): 'self' and the office sites that embed the widget,
    # e.g. YORISOI_FRAME_ANCESTORS='["\'self\'", "https://www.city.example.lg.jp"]'. Embedding from another
    # site (not just another origin) also needs SESSION_COOKIE_SAMESITE="None" with SESSION_COOKIE_SECURE=True.
    FRAME_ANCESTORS = ["'self'"]
    EMBED_DEMO = True  # serve the demo host page at /embed/demo
    # Resuming with a receipt code: only in-progress intakes touched in the last RESUME_HOURS, and at
    # most RESUME_MAX_FAILURES wrong codes per client in RESUME_FAILURE_WINDOW_SECONDS.
    RESUME_HOURS = 24
    RESUME_MAX_FAILURES = 5
    RESUME_FAILURE_WINDOW_SECONDS = 15 * 60
