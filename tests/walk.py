"""Realistic answers for the self-reliance dialogue, and walks through it by form and by API."""

from __future__ import annotations

from conftest import current_step_id, day_ahead, month_ahead
from werkzeug.datastructures import MultiDict

from intake.web.common import engines, intake_engine

# What a recipient answers at the review (dialogues/plan_review.yaml): how each action went, in their words.
REVIEW_ANSWERS = {
    "notice": "yes",
    "action_1_status": "done",
    "action_1_helped": "My son came with me",
    "action_1_confidence": 9,
    "action_2_status": "partly",
    "action_2_blocked": "The clinic was full",
    "action_2_confidence": 6,
    "goal_closeness": 6,
    "wish": "A smaller first step for the doctor",
}


def typical_answers() -> dict[str, object]:
    """What a typical recipient answers, by step id (raw values as the API takes them)."""
    return {
        "language": "ja",
        "notice": "yes",
        "future_picture": "I get up early, work a few hours and cook dinner for my son.",
        "future_areas": ["work", "health"],
        "strengths": ["caring", "practical"],
        "strengths_own": "I raised my son on my own.",
        "daily_rhythm_now": "mostly_regular",
        "health_now": ["pain"],
        "age_band": "40s",
        "work_now": "looking",
        "people_now": "weekly",
        "children_now": "school_age",
        "childcare_help": "no_one",
        "feelings_now": 5,
        "services_now": ["doctor"],
        "barriers": ["illness", "job_search"],
        "barriers_own": "My knee hurts when I stand for long.",
        "goal_kind": "economic",
        "goal_pick": "own",
        "goal_own": "Work part-time in a job where I can sit, by next autumn",
        "goal_date": month_ahead(12),
        "action_ideas": [],
        "actions": [
            {
                "text": "Go to Hello Work with my caseworker on a Tuesday in December",
                "date": day_ahead(2),
                "confidence": 7,
            },
            {"text": "See the orthopaedic doctor about my knee next month", "date": day_ahead(3), "confidence": 8},
        ],
    }


def date_parts(name: str, value: str) -> dict:
    """A 'YYYY-MM-DD' or 'YYYY-MM' as the kiosk's date lists send it: `name`-year, -month (and -day), no zeros."""
    parts = zip(("year", "month", "day"), value.split("-"), strict=False)
    return {f"{name}-{part}": str(int(number)) for part, number in parts}


def form_fields(step_kind: str, value: object) -> dict | list:
    """The form fields a browser with JavaScript off would send for this answer."""
    if step_kind == "actions":
        fields = {}
        for index, item in enumerate(value):
            for name, part in item.items():
                if name == "date":
                    fields |= date_parts(f"item-{index}-date", str(part))
                else:
                    fields[f"item-{index}-{name}"] = str(part)
        return fields
    if step_kind in ("date", "month"):
        return date_parts("value", str(value))
    if isinstance(value, list):
        return [("value", v) for v in value]
    return {"value": str(value)}


def walk_forms(
    client,
    answers: dict,
    locale: str = "ja",
    max_screens: int = 60,
    started: bool = False,
    dialogue: str | None = None,
    until: str | None = None,
    pages: dict[str, str] | None = None,
) -> list[str]:
    """Walk the kiosk pages from the start to the done screen (or to step `until`, unanswered); returns the step ids shown.

    `started`: the intake was already begun (e.g. from a ticket code), so do not start a walk-in one;
    `dialogue`: the id of the dialogue being walked, when it is not the intake dialogue;
    `pages`: filled with each screen's markup by step id.
    """
    if not started:
        client.post("/kiosk/start", data={"locale": locale})
    shown = []
    for _ in range(max_screens):
        page = client.get("/kiosk/step")
        assert page.status_code == 200, page.status_code
        html = page.get_data(as_text=True)
        step_id = current_step_id(html)
        shown.append(step_id or "done")
        if pages is not None:  # every screen's markup, by step id
            pages[step_id or "done"] = html
        if step_id in ("done", until):
            return shown
        with client.application.app_context():
            kind = (engines()[dialogue] if dialogue else intake_engine()).step(step_id).kind
        if kind == "language":
            data = {"value": answers.get("language", locale)}
        elif kind == "handover":
            data = {"value": "confirm"}
        elif step_id in answers:
            data = form_fields(kind, answers[step_id])
        else:
            data = {}
        if isinstance(data, dict):
            data = list(data.items())
        data += [
            ("step", step_id),
            ("action", "continue" if step_id in answers or kind not in {"text", "multi_choice"} else "skip"),
        ]
        response = client.post("/kiosk/step", data=MultiDict(data))
        assert response.status_code == 302, (step_id, response.status_code, response.get_data(as_text=True)[:3000])
    raise AssertionError(f"did not finish in {max_screens} screens: {shown}")


def start_and_reach(client, step_id: str, answers: dict | None = None, locale: str = "en") -> str:
    """Start a walk-in intake and walk forward by form with `answers` (typical ones by default) until
    `step_id` is the current step; its page. Steps without an answer are left empty."""
    answers = (answers or typical_answers()) | {"language": locale}
    client.post("/kiosk/start", data={"locale": locale})
    for _ in range(40):
        html = client.get("/kiosk/step").get_data(as_text=True)
        current = current_step_id(html)
        if current == step_id:
            return html
        with client.application.app_context():
            kind = intake_engine().step(current).kind
        value = answers.get(current, locale if kind == "language" else None)
        fields = form_fields(kind, value) if value is not None else {}
        data = MultiDict(list(fields.items()) if isinstance(fields, dict) else fields)
        data.add("step", current)
        assert client.post("/kiosk/step", data=data).status_code == 302, current
    raise AssertionError(step_id)


def api_body(step: dict, answers: dict) -> dict:
    """The JSON body that answers this step (as the API shows it) with `answers`, skipping what is missing."""
    step_id, kind = step["id"], step["kind"]
    if kind == "handover":
        return {"step": step_id, "value": "confirm"}
    if kind in {"info", "check"}:
        return {"step": step_id}
    if kind == "language":
        return {"step": step_id, "value": answers.get("language", "ja")}
    if step_id in answers:
        # keep_as_is: the typical actions are concrete already; a nudge would only ask again.
        return {"step": step_id, "value": answers[step_id], "keep_as_is": True}
    return {"step": step_id, "skip": True}


def walk_api(
    client, answers: dict | None = None, locale: str = "ja", max_steps: int = 60, stop_at: str | None = None
) -> dict:
    """Walk the JSON API with a test client to the done step (or to `stop_at`); returns the last response."""
    answers = typical_answers() if answers is None else answers
    response = client.post("/api/v1/intakes", json={"locale": locale})
    assert response.status_code == 201, response.get_data(as_text=True)
    data = response.get_json()
    for _ in range(max_steps):
        if data["step"]["kind"] in {"done", "end"} or data["step"]["id"] == stop_at:
            return data
        response = client.post(
            f"/api/v1/intakes/{data['token']}/answer",
            json=api_body(data["step"], answers),
            headers={"X-CSRFToken": data["csrf_token"]},
        )
        assert response.status_code == 200, (data["step"]["id"], response.get_data(as_text=True)[:2000])
        data = response.get_json()
    raise AssertionError(f"did not finish in {max_steps} steps")
