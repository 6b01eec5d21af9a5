"""The JSON API for the same flow (start, current step, answer, back, change, language, submit).

The intake's token in the URL is the capability: it is unguessable and known only to the screen
that started the intake. Every write but the start also carries the CSRF token (X-CSRFToken header)
that the start response, every step response and the page's <meta name="csrf-token"> give out.
Errors are JSON with a code and a message in the intake's language; a rejected request changes nothing.
"""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request, url_for
from flask_babel import gettext, refresh
from flask_wtf.csrf import generate_csrf

from ..domain.answers import AnswerInvalid, AnswerProblem
from ..domain.engine import NotAllowed, StaleStep
from ..errors import json_error
from ..extensions import csrf
from ..i18n import known_locale, offered_languages, problem_text
from ..records import Intake, IntakeStatus
from ..security import rate_limit
from ..services import conversations
from ..unit_of_work import stale_page
from . import api_errors
from .common import intake_engine, no_store, office_today, remember_sent, sent_receipt
from .offices import kiosk_may_serve, walk_in_allowed
from .openapi import openapi_document
from .step_view import step_view

bp = api_errors.wire(Blueprint("api", __name__, url_prefix="/api/v1"))
_ANSWER_FIELDS = {"step", "value", "skip", "keep_as_is"}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, **extra):
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


@bp.errorhandler(ApiError)
def _api_error(err: ApiError):
    return json_error(err.status, err.code, err.message, **err.extra)


@bp.after_request
def _no_store(response):
    return no_store(response)


def _problem_json(problem: AnswerProblem) -> dict:
    return {"code": problem.code, "message": problem_text(problem), "where": problem.where}


def _body(allowed: set[str]) -> dict:
    if not request.is_json:
        raise ApiError(415, "not_json", gettext(api_errors.HTTP_ERRORS[415][1]))
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # thousands of nested brackets: Python's decoder gives up
        body = None
    if not isinstance(body, dict):
        raise ApiError(400, "malformed_json", gettext(api_errors.HTTP_ERRORS[400][1]))
    unknown = set(body) - allowed
    if unknown:
        fields = ", ".join(sorted(unknown))
        raise ApiError(400, "unknown_fields", gettext(api_errors.UNKNOWN_FIELDS, fields=fields), fields=sorted(unknown))
    return body


def _intake(token: str) -> Intake:
    intake = conversations.find(token)
    if intake is None:
        raise ApiError(404, "not_found", gettext(api_errors.NO_INTAKE))
    g.locale = known_locale(intake.locale)
    refresh()
    return intake


def step_json(intake: Intake) -> dict:
    """The current step as the widget renders it, in the intake's language."""
    view = step_view(intake_engine(intake), intake.conversation, today=office_today())
    data = {
        "token": intake.token,
        # The token for the next write; it lives in the session cookie this response sets.
        "csrf_token": generate_csrf(),
        "status": intake.status,
        "locale": intake.locale,
        **view.to_json(),
    }
    receipt = sent_receipt(intake) if intake.status == IntakeStatus.SUBMITTED else None
    if receipt:  # to the screen that sent it only (its session cookie), never to a token alone
        data["receipt_code"] = receipt
    return data


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3 document of this API."""
    base = url_for("api.openapi", _external=False).rsplit("/", 1)[0]
    return jsonify(openapi_document(base, list(offered_languages())))


@bp.post("/intakes")
@csrf.exempt  # the first call has no token yet; it creates nothing anyone else can reach
@rate_limit("RATELIMIT_KIOSK_START", scope="kiosk-start")
def start_intake():
    """Start a new intake; the response carries its token and the first step."""
    api_errors.speak_recipient_language()  # a refusal below speaks the language asked for
    if not walk_in_allowed():  # this office starts intakes only from a ticket code
        raise ApiError(403, "walk_in_disabled", gettext(api_errors.WALK_IN_DISABLED))
    if not kiosk_may_serve():  # one service, several offices: which one is this screen's?
        raise ApiError(403, "not_enrolled", gettext(api_errors.NOT_ENROLLED))
    body = _body({"locale"}) if request.content_length else {}
    locale = body.get("locale")
    if locale is not None and (not isinstance(locale, str) or locale not in offered_languages()):
        raise ApiError(422, "unknown_language", gettext("Please choose a language from the list."))
    intake = conversations.start(intake_engine(), known_locale(locale), today=office_today())
    g.locale = intake.locale
    refresh()
    return jsonify(step_json(intake)), 201


@bp.get("/intakes/<token>")
def current_step(token: str):
    """The current step of an intake."""
    return jsonify(step_json(_intake(token)))


def _finished(intake: Intake) -> ApiError:
    return ApiError(409, "finished", gettext(api_errors.FINISHED), current=step_json(intake))


def _guarded(intake: Intake, move) -> None:
    try:
        move()
        if conversations.is_final(intake):  # a final intake refuses every move: this one sent it
            remember_sent(intake)
    except AnswerInvalid as err:
        problems = [_problem_json(p) for p in err.problems]
        raise ApiError(422, "invalid_answer", problems[0]["message"], problems=problems) from None
    except StaleStep:
        raise _stale_step(intake) from None
    except conversations.Finished:
        raise _finished(intake) from None
    except NotAllowed:
        raise ApiError(409, "not_allowed", gettext(api_errors.NOT_ALLOWED)) from None


def _stale_step(intake: Intake) -> ApiError:
    return ApiError(
        409,
        "stale_step",
        # i18n: Shown when an old screen sends an answer for a question that was answered since.
        gettext("This question was already answered. Here is the current one."),
        current=step_json(intake),  # unchanged by the rejected request: the step to show now
    )


@stale_page(bp)
def _moved_meanwhile():
    """Another request moved the intake first (found when this one commits): 409 with the step it is on now."""
    try:
        return _api_error(_stale_step(_intake((request.view_args or {}).get("token"))))
    except ApiError as err:
        return _api_error(err)


@bp.post("/intakes/<token>/answer")
def answer(token: str):
    """Answer the current step: {step, value, skip?, keep_as_is?}."""
    intake = _intake(token)
    body = _body(_ANSWER_FIELDS)
    step_id = body.get("step")
    if not isinstance(step_id, str):
        raise ApiError(400, "missing_step", gettext(api_errors.WHICH_STEP))
    flags = {name: body.get(name, False) for name in ("skip", "keep_as_is")}
    if not all(isinstance(v, bool) for v in flags.values()):
        raise ApiError(400, "invalid_flag", gettext(api_errors.HTTP_ERRORS[400][1]))
    try:
        _guarded(
            intake,
            lambda: conversations.answer(
                intake_engine(intake), intake, step_id, body.get("value"), today=office_today(), **flags
            ),
        )
    except ApiError as err:
        if err.code != "invalid_answer":
            raise
        # Returned, not raised: the unit of work then keeps the refusal's anonymous count (and nothing else).
        return _api_error(err)
    return jsonify(step_json(intake))


@bp.post("/intakes/<token>/back")
def back(token: str):
    """Go back one step; answers are kept."""
    intake = _intake(token)
    _guarded(intake, lambda: conversations.back(intake_engine(intake), intake, today=office_today()))
    return jsonify(step_json(intake))


@bp.post("/intakes/<token>/change")
def change(token: str):
    """From the check step, reopen one answer: {step}."""
    intake = _intake(token)
    body = _body({"step"})
    if not isinstance(body.get("step"), str):
        raise ApiError(400, "missing_step", gettext(api_errors.WHICH_STEP))
    _guarded(intake, lambda: conversations.change(intake_engine(intake), intake, body["step"]))
    return jsonify(step_json(intake))


@bp.post("/intakes/<token>/language")
def language(token: str):
    """Switch the intake's language: {locale}; answers are kept."""
    intake = _intake(token)
    body = _body({"locale"})
    locale = body.get("locale")
    if not isinstance(locale, str) or locale not in intake_engine(intake).languages:
        raise ApiError(422, "unknown_language", gettext("Please choose a language from the list."))
    _guarded(intake, lambda: conversations.switch_language(intake_engine(intake), intake, locale))
    g.locale = intake.locale
    refresh()
    return jsonify(step_json(intake))


@bp.post("/intakes/<token>/submit")
def submit(token: str):
    """Confirm and hand the answers to the caseworker (the handover step)."""
    intake = _intake(token)
    if conversations.is_final(intake):
        raise _finished(intake)
    engine = intake_engine(intake)
    step = engine.current(intake.conversation)
    if step.kind != "handover":
        raise ApiError(
            409,
            "not_ready",
            # i18n: Shown when sending is tried before the check page.
            gettext("Please check your answers before sending them."),
            current=step_json(intake),
        )
    _guarded(intake, lambda: conversations.answer(engine, intake, step.id, "confirm", today=office_today()))
    return jsonify(step_json(intake))
