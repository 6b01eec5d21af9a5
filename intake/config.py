"""Default settings; an office overrides them with YORISOI_* environment variables or a test config."""

from __future__ import annotations

from pathlib import Path

from flask import Config

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
    REVIEW_DIALOGUE = "plan_review"  # the kiosk's review (見直し) dialogue, started from a review ticket
    CHECK_IN_DIALOGUE = "check_in"  # the two-minute check-in between reviews, started with a pocket card
    # Languages offered at the kiosk, each by its own name. The caseworker always reads Japanese.
    # Keys are Babel locale ids and name the folders in translations/ ("ja@easy" is Easy Japanese:
    # Babel reads it as Japanese with a modifier, so dates and numbers are Japanese).
    LANGUAGES = {
        "ja": "日本語",
        "ja@easy": "やさしい日本語",
        "en": "English",
        "zh_Hans": "简体中文",
        "ko": "한국어",
        "fil": "Tagalog",
        "pt_BR": "Português",
        "vi": "Tiếng Việt",
        "es": "Español",
        "ne": "नेपाली",
        "id": "Bahasa Indonesia",
    }
    # Languages whose catalogue is still being written: hidden from recipients, open to the
    # translator preview, reported but not failed by `flask intake i18n check`.
    LANGUAGES_DRAFT: tuple[str, ...] = ()
    # Where a locale's missing strings come from before English (Easy Japanese → Japanese).
    LANGUAGE_FALLBACKS = {"ja@easy": "ja"}
    # Locales whose kiosk pages show furigana (<ruby>) from translations/<locale>/LC_MESSAGES/readings.po,
    # and whether readings are shown before the recipient touches the toggle.
    FURIGANA = {"ja": False, "ja@easy": True}
    KIOSK_DEFAULT_LOCALE = "ja"
    OFFICE_NAME = "デモ福祉事務所"
    # The contact printed on the pocket card beside the office's name (a phone number, say); empty: the name only.
    OFFICE_CONTACT = ""
    PRODUCTION = False
    # Kiosk mode: a shared screen. After KIOSK_IDLE_SECONDS without a touch or key, a warning gives
    # KIOSK_IDLE_WARNING_SECONDS to continue (WCAG 2.2.1 asks for at least 20 s), then the screen resets.
    KIOSK_IDLE_SECONDS = 90
    KIOSK_IDLE_WARNING_SECONDS = 30
    # Reading time added to KIOSK_IDLE_SECONDS for the text of the question on screen (kiosk.js: a slow
    # reader's pace, longer with larger text or furigana); 1 is that pace, 2 twice as long, 0 none.
    KIOSK_READING_TIME_FACTOR = 1.0
    # With JavaScript off there is no warning and no way to tell typing from absence: a page that
    # holds answers reloads into the reset after this long (an answer typed but not sent that long is
    # the price of not leaving the last person's answers on show). 0 turns it off.
    KIOSK_IDLE_NO_SCRIPT_SECONDS = 300
    # In the embedded widget the person is usually on their own device: a longer idle time.
    EMBED_IDLE_SECONDS = 900
    # Where "Exit this page" goes; empty means the kiosk's welcome screen.
    QUICK_EXIT_URL = ""
    # Who may show our pages in a frame (CSP frame-ancestors): 'self' and the office sites that embed the widget,
    # e.g. YORISOI_FRAME_ANCESTORS='["\'self\'", "https://www.city.example.lg.jp"]'. Embedding from another
    # site (not just another origin) also needs SESSION_COOKIE_SAMESITE="None" with SESSION_COOKIE_SECURE=True.
    FRAME_ANCESTORS = ["'self'"]
    EMBED_DEMO = True  # serve the demo host page at /embed/demo
    # Resuming with a receipt code: only in-progress intakes touched in the last RESUME_HOURS. Wrong codes
    # count per RESUME_FAILURE_WINDOW_SECONDS: a kiosk session gets RESUME_MAX_SCREEN_FAILURES; past
    # RESUME_MAX_FAILURES from one address (one office's kiosks often share one, NAT) only a screen that typed
    # no wrong code itself may try, so the owner's right code still works; past RESUME_ADDRESS_CEILING nobody may.
    RESUME_HOURS = 24
    RESUME_MAX_FAILURES = 10
    RESUME_MAX_SCREEN_FAILURES = 5
    RESUME_ADDRESS_CEILING = 100
    RESUME_FAILURE_WINDOW_SECONDS = 15 * 60
    # The caseworker workspace (issue 3).
    TICKET_VALID_DAYS = 7
    WALK_IN_ALLOWED = True  # may a recipient start at the kiosk without a ticket code?
    SUPERVISOR_SIGN_OFF = False  # must a supervisor sign off (決裁) a plan before it is printed?
    STAFF_IDLE_MINUTES = 30  # staff sessions end after this long without a request
    REVIEW_INTERVAL_MONTHS = 3  # the default review (見直し) date after approval
    PLAN_WESTERN_YEAR = False  # print the Western year after the era date
    # The office's reasons for closing a case (終結理由): id → the label staff see. "other" asks for a note.
    CASE_CLOSING_REASONS = {
        "employment": "就労による自立",
        "moved": "転居",
        "assistance_ended": "保護廃止",
        "other": "その他",
    }
    ERAS_FILE = str(ROOT / "data" / "eras.yaml")
    PLAN_SHEET_FILE = str(ROOT / "data" / "plan_sheet.yaml")

    # --- reliability and security (see docs/deployment.md) ---
    # Behind HTTPS set YORISOI_SESSION_COOKIE_SECURE=true (production does so unless told otherwise).
    SESSION_COOKIE_SECURE = None
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted (0: none).
    TRUSTED_PROXIES = 0
    # Flask-Limiter: database:// keeps one count per site in the app's database (intake/ratelimits.py);
    # redis:// or memcached:// work too; memory:// counts per worker process (a limit times the workers).
    RATELIMIT_STORAGE_URI = "database://"
    RATELIMIT_HEADERS_ENABLED = True
    # Failed sign-ins slow further tries down (services/throttle.py), never lock anyone out: after this many
    # failures for an account (an address: one office's desks often share one), each further failure doubles
    # the wait, up to SIGN_IN_MAX_DELAY_SECONDS; while waiting, the password counts only with a one-time code.
    SIGN_IN_FREE_FAILURES = 5
    SIGN_IN_ADDRESS_FREE_FAILURES = 30
    SIGN_IN_MAX_DELAY_SECONDS = 15 * 60
    SIGN_IN_FAILURE_MEMORY_SECONDS = 24 * 3600  # failures are forgotten this long after the last one
    RATELIMIT_CODE_ENTRY = "20 per minute; 200 per hour"
    RATELIMIT_KIOSK_START = "60 per minute"
    # Retention (services/retention.py, docs/deployment.md): an unfinished intake is deleted once it can no longer be
    # resumed (RESUME_HOURS after its last answer); a closed case and its plans CASE_RETENTION_YEARS after closing
    # (an office may keep its own period: offices.case_retention_years). Requests purge what is due by themselves,
    # each office at most once every PURGE_EVERY_MINUTES (0: only `flask intake purge`, e.g. from a timer).
    CASE_RETENTION_YEARS = 5
    PURGE_EVERY_MINUTES = 5
    # The anonymous step counts (where people stop) older than this many months are deleted with each purge;
    # an office's admin may set its own (1–120) on the counts page.
    COUNTS_KEEP_MONTHS = 60


def read_settings(config: Config) -> Config:
    """The defaults, then the office's YORISOI_* environment variables (the app and `dialogue check` alike)."""
    config.from_object(Defaults)
    config.from_prefixed_env("YORISOI")
    return config
