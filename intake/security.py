"""Security wiring: response headers, session cookie flags, proxies, rate limits and their error pages.

Every response gets the kiosk's Content-Security-Policy (no 'unsafe-inline': templates keep scripts and
styles in static files; frame-ancestors from the office's allow-list, for the embedded kiosk, web/embed.py)
and the usual hardening headers. Rate limits are named by a config key so an office can tune them without code.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from flask import Flask, current_app, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.middleware.proxy_fix import ProxyFix

from . import ratelimits  # noqa: F401  (registers the database:// storage before the limiter starts)
from .domain.answers import N_
from .errors import error_response
from .extensions import limiter
from .i18n import message as text_for_screen  # with furigana on the kiosk's pages
from .unit_of_work import FORM_EXPIRED

# i18n: Shown when a screen sends too many requests in a short time.
TOO_MANY_ATTEMPTS = N_("Too many attempts. Please wait a minute and try again.")

# The Content-Security-Policy's parts.
_KEYWORDS = {"'self'", "'none'"}
_ORIGIN = re.compile(r"https?://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?", re.IGNORECASE)
# The kiosk pages need nothing else: our own scripts and styles, nothing inline, fetch to ourselves.
_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'{exit}; frame-ancestors {ancestors}"
)


def frame_ancestors() -> str:
    """The CSP frame-ancestors sources: the configured keywords and bare scheme://host[:port] origins."""
    configured = current_app.config["FRAME_ANCESTORS"]
    if isinstance(configured, str):  # from the environment as one space-separated value
        configured = configured.split()
    return _frame_ancestors(tuple(str(source) for source in configured))


@lru_cache(maxsize=16)
def _frame_ancestors(configured: tuple[str, ...]) -> str:
    sources = []
    for source in configured:
        source = source.strip()
        # Only keywords and bare origins: a path, a wildcard or a separator could widen or break the policy.
        if source in _KEYWORDS or _ORIGIN.fullmatch(source):
            sources.append(source)
    return " ".join(sources) or "'none'"


def content_security_policy() -> str:
    """The policy of every page; "Exit this page" without JavaScript is a form whose redirect may leave the site."""
    return _policy(current_app.config["QUICK_EXIT_URL"], frame_ancestors())


@lru_cache(maxsize=16)  # every response sends it: worked out once per configuration, not per request
def _policy(quick_exit_url: str, ancestors: str) -> str:
    exit_url = urlsplit(quick_exit_url)
    exit_origin = f"{exit_url.scheme}://{exit_url.netloc}"
    exit_origin = f" {exit_origin}" if _ORIGIN.fullmatch(exit_origin) else ""
    return _POLICY.format(exit=exit_origin, ancestors=ancestors)


def init_app(app: Flask) -> None:
    if app.config["SESSION_COOKIE_SECURE"] is None:
        # Production runs behind HTTPS; a development server on http:// would lose its session.
        app.config["SESSION_COOKIE_SECURE"] = bool(app.config["PRODUCTION"])
    app.config.setdefault("REMEMBER_COOKIE_SECURE", app.config["SESSION_COOKIE_SECURE"])
    hops = int(app.config["TRUSTED_PROXIES"])
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy())
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        if app.config["SESSION_COOKIE_SECURE"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    limiter.init_app(app)
    app.register_error_handler(429, _too_many_requests)
    app.register_error_handler(CSRFError, _csrf_failed)


def rate_limit(
    setting: str, *, scope: str | None = None, methods: list[str] | None = None, key_func=None, deduct_when=None
):
    """Limit a view to the rate in config[setting] ("10 per minute; 60 per hour").

    Views that share a `scope` share one count (the kiosk page and the API both start intakes).
    `deduct_when(response)` counts only some responses (wrong codes). Use it on every view that takes a
    guessable secret: ticket and receipt codes. Staff sign-in has its own waits (services/throttle.py).
    """

    def limit_value() -> str:
        return current_app.config[setting]

    options = {"methods": methods, "key_func": key_func, "deduct_when": deduct_when}
    if scope:
        return limiter.shared_limit(limit_value, scope, **options)
    return limiter.limit(limit_value, **options)


def rejected(response) -> bool:
    """A response that refused what was sent (an unknown code): these count toward a limit."""
    return response.status_code in (400, 401, 403, 404, 422)


def _too_many_requests(error):
    """A 429 as JSON for the API and a plain page elsewhere."""
    response = error_response(429, "too_many_requests", text_for_screen(TOO_MANY_ATTEMPTS))
    if getattr(error, "retry_after", None):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def _csrf_failed(error):
    """A form sent without its token, or from a page kept open across a new session."""
    message = text_for_screen(FORM_EXPIRED)
    return render_template("error.html", message=message), 400
