"""The one place an error becomes a response: JSON for the kiosk's API (under /api/), the error page elsewhere.

Below the web layer, so that the app's own handlers (security.py's 429 and CSRF, database.py's outage) and the API's
(web/api_errors.py) answer in the same shape: {"error": {"code", "message", …}}, never stored by a cache.
"""

from __future__ import annotations

from flask import current_app, jsonify, render_template, request

API_PREFIX = "/api/"


def for_the_api() -> bool:
    """Whether this request's errors are the API's JSON."""
    return request.path.startswith(API_PREFIX)


def json_error(status: int, code: str, message: str, **extra):
    """The API's one error shape."""
    response = jsonify({"error": {"code": code, "message": message, **extra}})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def error_response(status: int, code: str, message: str):
    """JSON under /api/, the error page (its `message` already translated) elsewhere."""
    if for_the_api():
        return json_error(status, code, message)
    return current_app.make_response((render_template("error.html", message=message), status))
