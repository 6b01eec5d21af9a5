"""Under gunicorn with several workers: double submits, two tabs and a killed worker lose and duplicate nothing;
rate limits hold across workers."""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import in_office
from liveserver import Gunicorn, HttpKiosk, request
from walk import api_body, typical_answers

from intake.extensions import db
from intake.records import DraftPlan, Intake, IntakeStatus

pytestmark = pytest.mark.live_server


def walk(kiosk: HttpKiosk, answers: dict, *, twice: bool = False) -> list[tuple[str, list[int]]]:
    """Walk to the done step; with `twice`, every answer is sent by two threads at once (two tabs)."""
    kiosk.start()
    statuses = []
    for _ in range(80):
        if kiosk.step["kind"] == "done":
            return statuses
        body = api_body(kiosk.step, answers)
        if twice:
            twin = HttpKiosk(kiosk.base)
            twin.cookie, twin.csrf, twin.token = kiosk.cookie, kiosk.csrf, kiosk.token
            barrier = threading.Barrier(2)

            def send(screen, body=body, barrier=barrier):
                barrier.wait()
                return screen.answer(body)

            with ThreadPoolExecutor(2) as pool:
                results = list(pool.map(send, (kiosk, twin)))
            codes = sorted(status for status, _ in results)
            statuses.append((body["step"], codes))
            winner = next((data for status, data in results if status == 200), None)
            kiosk.step = winner["step"] if winner else kiosk.step
        else:
            status, data = kiosk.answer(body)
            assert status in (200, 409), (body, status, data)
    raise AssertionError(f"kiosk stuck at {kiosk.step['id']}")


def _eventually(condition, *, seconds: float) -> bool:
    """Whether `condition()` holds within `seconds` (asked every tenth of a second)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def stored(app, token: str) -> Intake:
    with in_office(app):
        intake = db.session.scalar(db.select(Intake).filter_by(token=token))
        db.session.expunge(intake)
        return intake


def assert_complete(app, kiosk: HttpKiosk, answers: dict) -> None:
    """Every answer sent is in the database once, and the intake was submitted once."""
    intake = stored(app, kiosk.token)
    assert intake.status == IntakeStatus.SUBMITTED
    for step_id, value in answers.items():
        expected = value or None  # an optional step left empty is stored as skipped
        assert intake.answers.get(step_id) == expected, (step_id, intake.answers.get(step_id), value)
    assert len(intake.path) == len(set(intake.path)), intake.path  # no step was taken twice
    with in_office(app):
        plans = db.session.scalar(db.select(db.func.count()).select_from(DraftPlan).filter_by(intake_id=intake.id))
        assert plans == 1


def test_two_tabs_sending_every_answer_at_once_store_it_once(app):
    answers = typical_answers()
    with Gunicorn(app.config["SQLALCHEMY_DATABASE_URI"], workers=3) as server:
        kiosks = [HttpKiosk(server.base) for _ in range(4)]
        with ThreadPoolExecutor(len(kiosks)) as pool:
            runs = list(pool.map(lambda k: walk(k, answers, twice=True), kiosks))
    for kiosk, statuses in zip(kiosks, runs, strict=True):
        for step_id, codes in statuses:
            assert codes == [200, 409], (step_id, codes)  # one tab wins, the other is told where we are
        assert_complete(app, kiosk, answers)


def test_a_worker_killed_mid_load_loses_no_committed_answer(app):
    answers = typical_answers()
    with Gunicorn(app.config["SQLALCHEMY_DATABASE_URI"], workers=3) as server:
        kiosks = [HttpKiosk(server.base, retries=60) for _ in range(12)]
        with ThreadPoolExecutor(len(kiosks)) as pool:
            running = [pool.submit(walk, kiosk, answers) for kiosk in kiosks]
            killed = []
            for _ in range(3):
                time.sleep(0.4)
                # A worker not killed yet: one just killed can still look alive for a moment on a busy machine.
                victim = next(pid for pid in server.worker_pids() if pid not in killed)
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)
            for future in running:
                future.result(timeout=120)
            # The master put a new worker in the place of each one killed.
            assert _eventually(lambda: len(server.worker_pids()) == 3, seconds=30)
            assert not set(server.worker_pids()) & set(killed)
    assert sum(kiosk.broken for kiosk in kiosks) >= 1, "no kill landed mid-request"
    for kiosk in kiosks:
        assert_complete(app, kiosk, answers)


def test_a_rate_limit_holds_across_every_worker(app):
    """Twelve intake starts at once, spread over four workers, against "3 per minute": three get through in all."""
    limits = {
        "YORISOI_RATELIMIT_ENABLED": "true",
        "YORISOI_RATELIMIT_KIOSK_START": "3 per minute",
        "YORISOI_WTF_CSRF_ENABLED": "false",
    }
    with Gunicorn(app.config["SQLALCHEMY_DATABASE_URI"], workers=4, env=limits) as server:
        barrier = threading.Barrier(12)

        def start(number: int) -> int:
            barrier.wait()
            form = {"Content-Type": "application/x-www-form-urlencoded"}
            return request(server.base, "POST", "/kiosk/start", body=None, headers=form, raw="locale=ja")[0]

        with ThreadPoolExecutor(12) as pool:
            statuses = sorted(pool.map(start, range(12)))
    assert statuses == [302] * 3 + [429] * 9
