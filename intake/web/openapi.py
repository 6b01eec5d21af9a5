"""The OpenAPI 3 document of the kiosk JSON API, served at /api/v1/openapi.json."""

from __future__ import annotations

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "problems": {"type": "array", "items": {"type": "object"}},
                "current": {"type": "object"},
                "fields": {"type": "array", "items": {"type": "string"}},
            },
        }
    },
}
_STEP = {
    "type": "object",
    "required": ["token", "status", "locale", "step", "section", "can_go_back"],
    "properties": {
        "token": {"type": "string"},
        "csrf_token": {"type": "string", "description": "Send it back as the X-CSRFToken header on the next write."},
        "status": {"type": "string", "enum": ["in_progress", "declined", "submitted"]},
        "locale": {"type": "string", "description": "One of the locales the start request takes"},
        "receipt_code": {
            "type": "string",
            "description": "Once sent: the code the recipient keeps, only in responses to the session that sent it",
        },
        "can_go_back": {"type": "boolean"},
        "section": {
            "type": "object",
            "properties": {"number": {"type": "integer"}, "total": {"type": "integer"}, "title": {"type": "string"}},
        },
        "step": {
            "type": "object",
            "required": ["id", "kind", "prompt", "options"],
            "properties": {
                "id": {"type": "string"},
                "kind": {"type": "string"},
                "prompt": {"type": "string"},
                "help": {"type": "string"},
                "skippable": {"type": "boolean"},
                "sensitive": {"type": "boolean"},
                "options": {"type": "array", "items": {"type": "object"}},
                "answer": {},
                "nudges": {"type": "array", "items": {"type": "object"}},
                "range": {"type": "object"},
                "scale": {"type": "object"},
                "answers": {"type": "array"},
            },
        },
    },
}


def _json_body(schema: dict, required: bool = True) -> dict:
    return {"required": required, "content": {"application/json": {"schema": schema}}}


# What each error status means here; every error body is the Error schema, its message in the recipient's language.
_ERROR_STATUSES = {
    "400": "csrf_failed (a write without the X-CSRFToken of the last response), malformed_json, unknown_fields,"
    " missing_step, invalid_flag, bad_request",
    "403": "walk_in_disabled: this office starts intakes from a caseworker's ticket code",
    "404": "not_found: no intake with this token",
    "409": "stale_step, not_allowed, not_ready or finished: `current` holds the step to show now where there is one",
    "413": "too_large: the body is larger than the server takes",
    "415": "not_json: the body is not application/json",
    "422": "invalid_answer (with `problems`) or unknown_language",
    "429": "too_many_requests: wait the seconds in Retry-After",
    "503": "database_unavailable: nothing was written; try again after Retry-After",
}


def _responses(ok: str = "200", *errors: str) -> dict:
    responses = {
        ok: {
            "description": "The intake's current step",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Step"}}},
        }
    }
    for status in (*errors, "503"):
        responses[status] = {
            "description": _ERROR_STATUSES[status],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    return responses


_TOKEN = [{"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}]
# Writes after the start send back the csrf_token of the last response (or of the page's meta tag).
_CSRF = [{"csrf": []}]


def openapi_document(base: str, locales: list[str]) -> dict:
    """The document; `base` is the API's path prefix on this server, `locales` the languages it offers."""
    locale = {"type": "string", "enum": list(locales)}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Yorisoi intake API",
            "version": "1",
            "description": "A recipient's guided intake: one step at a time, answers stored by id.",
        },
        "servers": [{"url": base}],
        "paths": {
            "/intakes": {
                "post": {
                    "summary": "Start a new intake",
                    "requestBody": _json_body(
                        {
                            "type": "object",
                            "additionalProperties": False,
                            # null or left out: the kiosk's default language; another code is refused (422)
                            "properties": {"locale": {**locale, "nullable": True}},
                        },
                        required=False,
                    ),
                    "responses": _responses("201", "400", "403", "413", "415", "422", "429"),
                }
            },
            "/intakes/{token}": {
                "get": {"summary": "The current step", "parameters": _TOKEN, "responses": _responses("200", "404")}
            },
            "/intakes/{token}/answer": {
                "post": {
                    "summary": "Answer the current step",
                    "security": _CSRF,
                    "parameters": _TOKEN,
                    "requestBody": _json_body(
                        {
                            "type": "object",
                            "required": ["step"],
                            "additionalProperties": False,
                            "properties": {
                                "step": {"type": "string"},
                                "value": {},
                                "skip": {"type": "boolean"},
                                "keep_as_is": {"type": "boolean"},
                            },
                        }
                    ),
                    "responses": _responses("200", "400", "404", "409", "413", "415", "422"),
                }
            },
            "/intakes/{token}/back": {
                "post": {
                    "summary": "Go back one step",
                    "security": _CSRF,
                    "parameters": _TOKEN,
                    "responses": _responses("200", "400", "404", "409"),
                }
            },
            "/intakes/{token}/change": {
                "post": {
                    "summary": "Reopen an answer from the check step",
                    "security": _CSRF,
                    "parameters": _TOKEN,
                    "requestBody": _json_body(
                        {
                            "type": "object",
                            "required": ["step"],
                            "additionalProperties": False,
                            "properties": {"step": {"type": "string"}},
                        }
                    ),
                    "responses": _responses("200", "400", "404", "409", "413", "415", "422"),
                }
            },
            "/intakes/{token}/language": {
                "post": {
                    "summary": "Switch language, keeping every answer",
                    "security": _CSRF,
                    "parameters": _TOKEN,
                    "requestBody": _json_body(
                        {
                            "type": "object",
                            "required": ["locale"],
                            "additionalProperties": False,
                            "properties": {"locale": locale},
                        }
                    ),
                    "responses": _responses("200", "400", "404", "409", "413", "415", "422"),
                }
            },
            "/intakes/{token}/submit": {
                "post": {
                    "summary": "Send the answers to the caseworker",
                    "security": _CSRF,
                    "parameters": _TOKEN,
                    "responses": _responses("200", "400", "404", "409"),
                }
            },
        },
        "components": {
            "schemas": {"Step": _STEP, "Error": _ERROR},
            "securitySchemes": {"csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken"}},
        },
    }
