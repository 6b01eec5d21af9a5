"""Which office a request is for, and the office's settings as pages use them; enrolling a kiosk to an office.

`current_office()` is the one answer: a signed-in staff member's office; else the office this kiosk (or
the browser using the API or the widget) is enrolled to; else the installation's own office. Every request
but static files and the health check settles it before its view runs, and the unit of work takes it
(`use_office`), so new records land in that office and, on PostgreSQL, no other office's row is visible.

A kiosk is enrolled by opening the enrolment address the office's administrator shows
(`/caseworker/office/kiosks`): it leaves a long-lived signed cookie naming the office and the office's
current kiosk key. A new key (the administrator's button) ends every enrolment made with the old one.
A service with one office needs no enrolment: an unenrolled kiosk is that office's. With several, an
unenrolled kiosk starts nothing (`kiosk_may_serve`).
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, g, has_request_context, redirect, request, url_for
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer

from ..extensions import db
from ..i18n import OFFICE_LANGUAGES
from ..records import Office
from ..services.offices import default_office, find_office, only_office
from ..unit_of_work import use_office

KIOSK_COOKIE = "yorisoi_kiosk"
KIOSK_COOKIE_YEARS = 5
_COOKIE_SALT, _ENROLMENT_SALT = "yorisoi-kiosk-office", "yorisoi-kiosk-enrolment"
# Requests that need no office: files, and the health check (which must answer while the database is away).
_NO_OFFICE = {"static", "favicon", "health.health"}

bp = Blueprint("kiosk_enrolment", __name__, url_prefix="/kiosk")


def current_office() -> Office:
    """The office this request is for (see the module's docstring); the unit of work uses it from here on."""
    office = g.get("yorisoi_office")
    if office is None:
        if not has_request_context():  # a command or a test in an app context: the installation's office
            office = default_office()
        elif current_user.is_authenticated:
            office = db.session.get(Office, current_user.office_id)
        else:
            office = enrolled_office() or default_office(settling=True)
        g.yorisoi_office = office
        use_office(office.id)
    return office


def _serializer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _office_of(token: str | None, salt: str, *, settling: bool = False) -> Office | None:
    """The office a signed token names, if it still carries that office's current kiosk key (`settling`: see find_office)."""
    if not token:
        return None
    try:
        claim = _serializer(salt).loads(token)
    except BadSignature:
        return None
    office = find_office(str(claim.get("office", "")), settling=settling) if isinstance(claim, dict) else None
    return office if office is not None and claim.get("key") == office.kiosk_key else None


def enrolled_office() -> Office | None:
    """The office this browser (a kiosk) is enrolled to, if any and still valid."""
    if "yorisoi_enrolled" not in g:
        g.yorisoi_enrolled = _office_of(request.cookies.get(KIOSK_COOKIE), _COOKIE_SALT, settling=True)
    return g.yorisoi_enrolled


def kiosk_may_serve() -> bool:
    """Whether this screen may start or resume intakes: it is enrolled, or the service has one office only."""
    return enrolled_office() is not None or only_office()


def enrolment_url(office: Office) -> str:
    """The address that enrols a kiosk to the office (with the office's current key)."""
    token = _serializer(_ENROLMENT_SALT).dumps({"office": office.code, "key": office.kiosk_key})
    return url_for("kiosk_enrolment.enrol", token=token, _external=True)


def kiosk_cookie(office: Office) -> str:
    """The value of an enrolled kiosk's cookie (signed: the office's code and current kiosk key)."""
    return _serializer(_COOKIE_SALT).dumps({"office": office.code, "key": office.kiosk_key})


@bp.get("/enrol/<token>")
def enrol(token: str):
    """Enrol this browser as a kiosk of the office the token names; then its welcome screen."""
    office = _office_of(token, _ENROLMENT_SALT)
    if office is None:
        abort(404)
    response = redirect(url_for("kiosk.landing"))
    response.set_cookie(
        KIOSK_COOKIE,
        kiosk_cookie(office),
        max_age=KIOSK_COOKIE_YEARS * 365 * 24 * 3600,
        httponly=True,
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
        samesite=current_app.config["SESSION_COOKIE_SAMESITE"],
    )
    return response


# --- the office's settings, each falling back to the installation's default ------------------------------


def settled() -> bool:
    """Whether this request's office is known: not when the database was away as the request began."""
    return g.get("yorisoi_office") is not None


def setting(name: str, config_key: str):
    """The office's setting, else the installation's (also on an error page drawn before the office was known)."""
    value = getattr(g.yorisoi_office, name) if settled() else None
    return current_app.config[config_key] if value is None else value


def walk_in_allowed() -> bool:
    return bool(setting("walk_in_allowed", "WALK_IN_ALLOWED"))


def office_languages() -> list[str] | None:
    """The locale ids this office offers (None: every configured language, also before the office is known)."""
    return (g.yorisoi_office.languages or None) if settled() else None


def _settle_office():
    if request.endpoint not in _NO_OFFICE:
        current_office()


def _office_in_pages() -> dict:
    office = g.get("yorisoi_office")
    return {"office_name": office.name if office is not None else current_app.config["OFFICE_NAME"]}


def init_app(app: Flask) -> None:
    app.extensions[OFFICE_LANGUAGES] = office_languages  # i18n.offered_languages asks it
    # Before every other hook (CSRF's included, whose refusal may read the intake to speak its language).
    app.before_request_funcs.setdefault(None, []).insert(0, _settle_office)
    app.context_processor(_office_in_pages)
    app.register_blueprint(bp)
