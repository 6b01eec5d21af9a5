"""Every response under /api is JSON; every error has a stable `code` and a `message` in the recipient's language.

The recipient's language is the intake's (from the token in the URL), else the `locale` the start
request sends, else the browser's: an error raised before the view runs (CSRF, size, rate limit, a
URL or method the API does not have) speaks the same language as the intake's own answers.
"""

from __future__ import annotations

from flask import Blueprint, Flask, g, request
from flask_babel import gettext, refresh
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..database import REFUSED
from ..domain.answers import N_
from ..errors import for_the_api, json_error
from ..security import TOO_MANY_ATTEMPTS
from ..unit_of_work import FORM_EXPIRED

# Stable codes for the HTTP errors the API can answer with, and what the recipient reads.
# Translator comments: the kiosk's widget shows these messages to the recipient as they are.
HTTP_ERRORS = {
    # i18n: An error on the kiosk screen: a request the server could not read (a fault of the screen, not the person).
    400: ("bad_request", REFUSED),
    # i18n: An error on the kiosk screen: the screen asked for an address the service does not have.
    404: ("not_found", N_("There is nothing at this address.")),
    # i18n: An error on the kiosk screen: the screen used the wrong kind of request for an address.
    405: ("method_not_allowed", N_("This address does not take this kind of request.")),
    # i18n: An error on the kiosk screen: an answer larger than the service accepts.
    413: ("too_large", N_("What you sent is too long. Please shorten your answer and send it again.")),
    # i18n: An error on the kiosk screen: the screen sent its request in the wrong format.
    415: ("not_json", N_("The screen sent its request in a form the service does not read.")),
    429: ("too_many_requests", TOO_MANY_ATTEMPTS),
    # i18n: An error on the kiosk screen: an unexpected failure of the service.
    500: ("server_error", N_("Something went wrong on our side. Please try again, or ask at the counter.")),
}
CSRF_FAILED = FORM_EXPIRED
# i18n: An error on the kiosk screen; %(fields)s are technical names the screen sent, shown as they are.
UNKNOWN_FIELDS = N_("The request has fields this service does not know: %(fields)s.")
# i18n: An error on the kiosk screen: the intake this screen worked on is gone (ended or deleted).
NO_INTAKE = N_("This intake was not found. Please start again.")
# i18n: An error on the kiosk screen: this office starts an intake only from the code slip a caseworker gives.
WALK_IN_DISABLED = N_("This office starts an intake from the code your caseworker gives you.")
# i18n: On a kiosk screen or web page not yet set up for a welfare office (a service hosting several offices).
NOT_ENROLLED = N_("This screen is not set up for a welfare office yet. Please ask a member of staff.")
# i18n: An error on the kiosk screen: the screen's request did not say which question it answers.
WHICH_STEP = N_("The request does not say which question it answers.")
# i18n: An error on the kiosk screen: the answers were already sent (or the person said no); nothing can change.
FINISHED = N_("These answers were already sent or ended. Nothing more can be changed here.")
# i18n: An error on the kiosk screen: a move that this step does not allow (going back from the first question).
NOT_ALLOWED = N_("This cannot be done at this step.")


def wire(bp: Blueprint) -> Blueprint:
    """The API blueprint's handlers (once, where the blueprint is made): CSRF, rate limit and any HTTP error."""
    bp.register_error_handler(CSRFError, csrf_failed)
    bp.register_error_handler(429, http_error)  # before the app's own 429 page (a handler by code wins)
    bp.register_error_handler(HTTPException, http_error)
    return bp


def init_app(app: Flask) -> None:
    """The app's handlers for URLs and methods no view matches (no blueprint is known then): JSON under /api."""
    for code in (404, 405, 500):
        app.register_error_handler(code, _outside_views)


def speak_recipient_language() -> None:
    """Set the page locale to the intake's (or the start request's) language before a message is translated."""
    from ..i18n import known_locale
    from ..services import conversations
    from .offices import settled

    locale = None
    token = (request.view_args or {}).get("token")
    if isinstance(token, str) and settled():  # no office known (the database was away): no intake to read
        intake = conversations.find(token)
        locale = intake.locale if intake is not None else None
    if locale is None and request.is_json and (request.content_length or 0) <= 4096:
        body = request.get_json(silent=True)  # never for a 413: the body is too large to read
        locale = body.get("locale") if isinstance(body, dict) else None
    if isinstance(locale, str) and locale == known_locale(locale):
        g.locale = locale
        refresh()


def csrf_failed(_error: CSRFError):
    speak_recipient_language()
    return json_error(400, "csrf_failed", gettext(CSRF_FAILED))


def http_error(error: HTTPException):
    """Any HTTP error raised in or before an API view, as JSON in the recipient's language."""
    speak_recipient_language()
    code, message = HTTP_ERRORS.get(error.code or 500, HTTP_ERRORS[400 if (error.code or 500) < 500 else 500])
    response = json_error(error.code or 500, code, gettext(message))
    retry_after = getattr(error, "retry_after", None)
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    if error.code == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _outside_views(error: HTTPException):
    """404, 405 or 500 outside any view: JSON under /api, the usual page elsewhere."""
    return http_error(error) if for_the_api() else error
