"""The JSON API for the same flow (start, current step, answer, back, change, language, submit).

The intake's token in the URL is the capability: it is unguessable and known only to the screen
that started the intake. Every write but the start also carries the CSRF token (X-CSRFToken header)
that the start response, every step response and the page's <meta name="csrf-token"> give out.
Errors are JSON with a code and a message in the intake's language; a rejected request changes nothing.
"""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, request, url_for
from flask_babel import gettext, refresh
from flask_wtf.csrf import CSRFError, generate_csrf
from werkzeug.exceptions import HTTPException

from ..domain.answers import AnswerInvalid, AnswerProblem
from ..domain.engine import NotAllowed, StaleStep
from ..extensions import csrf
from ..i18n import (
    answer_text,
    known_locale,
    option_help,
    option_label,
    problem_text,
    reflected_prompt,
    section_title,
    step_help,
    step_text,
)
from ..records import Intake, IntakeStatus
from ..security import rate_limit
from ..services import conversations
from .common import intake_engine, no_store, office_today
from .openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")
_ANSWER_FIELDS = {"step", "value", "skip", "keep_as_is"}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, **extra):
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


@bp.errorhandler(ApiError)
def _api_error(err: ApiError):
    return jsonify({"error": {"code": err.code, "message": err.message, **err.extra}}), err.status


@bp.errorhandler(CSRFError)
def _csrf_error(err: CSRFError):
    return jsonify({"error": {"code": "csrf_failed", "message": err.description}}), 400


@bp.errorhandler(HTTPException)
def _http_error(err: HTTPException):
    return jsonify({"error": {"code": err.name.lower().replace(" ", "_"), "message": err.description}}), err.code


@bp.after_request
def _no_store(response):
    return no_store(response)


def _problem_json(problem: AnswerProblem) -> dict:
    return {"code": problem.code, "message": problem_text(problem), "where": problem.where}


def _body(allowed: set[str]) -> dict:
    if not request.is_json:
        raise ApiError(415, "not_json", "Send the request body as application/json.")
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # thousands of nested brackets: Python's decoder gives up
        body = None
    if not isinstance(body, dict):
        raise ApiError(400, "malformed_json", "The request body is not a JSON object.")
    unknown = set(body) - allowed
    if unknown:
        raise ApiError(400, "unknown_fields", f"Unknown fields: {', '.join(sorted(unknown))}.")
    return body


def _intake(token: str) -> Intake:
    intake = conversations.find(token)
    if intake is None:
        raise ApiError(404, "not_found", "No intake with this token.")
    g.locale = known_locale(intake.locale)
    refresh()
    return intake


def step_json(intake: Intake) -> dict:
    """The current step as the widget renders it, in the intake's language."""
    engine = intake_engine(intake)
    conversation = intake.conversation
    step = engine.current(conversation)
    answers = conversation.answers
    progress = engine.progress(conversation)
    data = {
        "token": intake.token,
        # The token for the next write; it lives in the session cookie this response sets.
        "csrf_token": generate_csrf(),
        "status": intake.status,
        "locale": intake.locale,
        "step": {
            "id": step.id,
            "kind": step.kind,
            "prompt": reflected_prompt(engine, step, answers),
            "help": step_help(engine, step, answers),
            "skippable": step.skippable,
            "sensitive": step.sensitive,
            "options": [
                {"id": o.id, "label": option_label(o), "help": option_help(o), "exclusive": o.exclusive}
                for o in engine.options(step, answers)
            ],
            "min": step.min,
            "max": step.max,
            "max_length": step.max_length,
            "answer": answers.get(step.id),
            "nudges": [
                {"code": n.code, "item": n.item, "message": gettext(n.message, **n.params)}
                for n in engine.nudges_for(step, answers)
            ],
        },
        "section": {
            "number": progress.number,
            "total": progress.total,
            "title": section_title(engine, engine.dialogue.section_of(step.id)),
        },
        "can_go_back": len(conversation.path) > 1 and step.kind != "done",
    }
    if step.range is not None:
        earliest, latest = step.range.bounds(office_today())
        data["step"]["range"] = {"min": earliest.isoformat(), "max": latest.isoformat()}
    if step.kind in {"scale", "group"}:
        data["step"]["scale"] = {"low": step_text(engine, step, "low"), "high": step_text(engine, step, "high")}
    if step.kind == "check":
        data["step"]["answers"] = [
            {"step": s.id, "prompt": step_text(engine, s), "answer": answer_text(engine, s, answers)}
            for s in engine.checkable(conversation)
        ]
    if intake.status == IntakeStatus.SUBMITTED:
        data["receipt_code"] = intake.receipt_code
    return data


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3 document of this API."""
    return jsonify(openapi_document(url_for("api.openapi", _external=False).rsplit("/", 1)[0]))


@bp.post("/intakes")
@csrf.exempt  # the first call has no token yet; it creates nothing anyone else can reach
@rate_limit("RATELIMIT_KIOSK_START", scope="kiosk-start")
def start_intake():
    """Start a new intake; the response carries its token and the first step."""
    if not current_app.config["WALK_IN_ALLOWED"]:  # this office starts intakes only from a ticket code
        raise ApiError(403, "walk_in_disabled", "This office starts intakes from a caseworker's ticket code.")
    body = _body({"locale"}) if request.content_length else {}
    locale = body.get("locale")
    if locale is not None and not isinstance(locale, str):
        raise ApiError(400, "invalid_locale", "locale must be a language code.")
    intake = conversations.start(intake_engine(), known_locale(locale))
    g.locale = intake.locale
    refresh()
    return jsonify(step_json(intake)), 201


@bp.get("/intakes/<token>")
def current_step(token: str):
    """The current step of an intake."""
    return jsonify(step_json(_intake(token)))


def _guarded(intake: Intake, move) -> None:
    try:
        move()
    except AnswerInvalid as err:
        problems = [_problem_json(p) for p in err.problems]
        raise ApiError(422, "invalid_answer", problems[0]["message"], problems=problems) from None
    except (StaleStep, conversations.Conflict):
        raise ApiError(
            409,
            "stale_step",
            gettext("This question was already answered. Here is the current one."),
            current=step_json(intake),  # unchanged by the rejected request: the step to show now
        ) from None
    except NotAllowed as err:
        raise ApiError(409, "not_allowed", str(err)) from None


@bp.post("/intakes/<token>/answer")
def answer(token: str):
    """Answer the current step: {step, value, skip?, keep_as_is?}."""
    intake = _intake(token)
    body = _body(_ANSWER_FIELDS)
    step_id = body.get("step")
    if not isinstance(step_id, str):
        raise ApiError(400, "missing_step", "Give the id of the step you answer in 'step'.")
    flags = {name: body.get(name, False) for name in ("skip", "keep_as_is")}
    if not all(isinstance(v, bool) for v in flags.values()):
        raise ApiError(400, "invalid_flag", "skip and keep_as_is must be true or false.")
    _guarded(
        intake,
        lambda: conversations.answer(
            intake_engine(intake), intake, step_id, body.get("value"), today=office_today(), **flags
        ),
    )
    return jsonify(step_json(intake))


@bp.post("/intakes/<token>/back")
def back(token: str):
    """Go back one step; answers are kept."""
    intake = _intake(token)
    _guarded(intake, lambda: conversations.back(intake_engine(intake), intake))
    return jsonify(step_json(intake))


@bp.post("/intakes/<token>/change")
def change(token: str):
    """From the check step, reopen one answer: {step}."""
    intake = _intake(token)
    body = _body({"step"})
    if not isinstance(body.get("step"), str):
        raise ApiError(400, "missing_step", "Give the id of the answer to change in 'step'.")
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
    engine = intake_engine(intake)
    step = engine.current(intake.conversation)
    if step.kind != "handover":
        raise ApiError(
            409,
            "not_ready",
            gettext("Please check your answers before sending them."),
            current=step_json(intake),
        )
    _guarded(intake, lambda: conversations.answer(engine, intake, step.id, "confirm", today=office_today()))
    return jsonify(step_json(intake))
