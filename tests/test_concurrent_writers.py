"""Property: any number of writers racing on one intake lose no acknowledged answer and never both win a step.

An answer is written with one compare-and-set (services/conversations.py: UPDATE … WHERE id AND version). Hypothesis
draws how many writers there are, how far along the walk they meet, and how many answers each tries; the writers are
threads, each a tab of the same kiosk (same session), each reading the current step and answering it with a value of
its own. Afterwards the stored intake must be exactly what the acknowledged answers say: each step acknowledged to
one writer only, with that writer's value; one new version and one new place on the path per acknowledged answer;
every refused answer (409) changed nothing. Runs on SQLite (a file) and on PostgreSQL when DATABASE_URL names one.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from conftest import in_office
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from walk import api_body, typical_answers

from intake.extensions import db
from intake.records import Intake

# Steps where the value can say which writer sent it (free text): the stored answer names its writer.
_OWN_WORDS = {"future_picture", "strengths_own", "barriers_own", "goal_own"}


def _answer_body(step: dict, writer: int, answers: dict) -> dict:
    body = api_body(step, answers)
    if step["id"] in _OWN_WORDS:
        body = {"step": step["id"], "value": f"Written by writer {writer}.", "keep_as_is": True}
    return body


def _stored(app, token: str) -> Intake:
    with in_office(app):
        intake = db.session.scalar(db.select(Intake).filter_by(token=token))
        db.session.expunge(intake)
        return intake


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    writers=st.integers(min_value=2, max_value=5),
    head_start=st.integers(min_value=1, max_value=12),
    tries=st.lists(st.integers(min_value=1, max_value=4), min_size=5, max_size=5),
)
def test_racing_writers_lose_no_acknowledged_answer(app, writers, head_start, tries):
    answers = typical_answers()
    setup = app.test_client()
    data = setup.post("/api/v1/intakes", json={"locale": "ja"}).get_json()
    for _ in range(head_start):  # where the writers meet: a few steps into the walk
        data = setup.post(
            f"/api/v1/intakes/{data['token']}/answer", json=api_body(data["step"], answers)
        ).get_json()
    token, cookie = data["token"], setup.get_cookie("session").value
    before = _stored(app, token)
    gate = threading.Barrier(writers)

    def write(writer: int) -> list[tuple[str, object, str]]:
        """This writer's acknowledged answers: (step answered, value stored, step it led to)."""
        client = app.test_client()
        client.set_cookie("session", cookie)
        acknowledged = []
        gate.wait()
        for _ in range(tries[writer]):
            step = client.get(f"/api/v1/intakes/{token}").get_json()["step"]
            if step["kind"] in {"done", "end"}:
                break
            body = _answer_body(step, writer, answers)
            response = client.post(f"/api/v1/intakes/{token}/answer", json=body)
            assert response.status_code in {200, 409}, response.get_data(as_text=True)[:500]
            if response.status_code == 200:
                acknowledged.append((body["step"], body.get("value"), response.get_json()["step"]["id"]))
            else:
                assert response.get_json()["error"]["code"] in {"stale_step", "finished"}
        return acknowledged

    with ThreadPoolExecutor(writers) as pool:
        by_writer = list(pool.map(write, range(writers)))

    acknowledged = [ack for acks in by_writer for ack in acks]
    after = _stored(app, token)
    steps = [step for step, _value, _to in acknowledged]
    assert len(steps) == len(set(steps)), f"a step was acknowledged to two writers: {sorted(steps)}"
    assert after.version == before.version + len(acknowledged), "one version per acknowledged answer, none else"
    assert after.path[: len(before.path)] == before.path
    assert sorted(after.path[len(before.path) :]) == sorted(to for _step, _value, to in acknowledged)
    assert after.path[-1] == after.state
    for writer, acks in enumerate(by_writer):
        for step, value, _to in acks:
            if step in _OWN_WORDS:
                assert after.answers[step] == f"Written by writer {writer}.", (step, after.answers[step])
            elif value is not None:
                assert after.answers[step] == value, (step, after.answers.get(step), value)
