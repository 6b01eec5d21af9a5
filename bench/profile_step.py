"""Where one kiosk step's time goes (not a test): whole walks through the JSON API under cProfile.

    .venv/bin/python bench/profile_step.py [--walks 20] [--database-url URL] [--sort tottime] [--limit 40] [--no-profile]

The Flask test client (no network, no gunicorn) walks the dialogue with CSRF on, as bench/load.py's
kiosks do; only the answers are profiled (the start of each walk is not). It prints the time per
answered step and the functions that took the most, so what a step need not do shows up by name.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from walk import api_body, typical_answers  # noqa: E402

from intake import create_app  # noqa: E402
from intake.extensions import db  # noqa: E402


def walk(client, answers: dict, profile: cProfile.Profile | None) -> tuple[int, float, float]:
    """One whole walk; returns (answered steps, seconds spent in them, CPU seconds of this process in them)."""
    data = client.post("/api/v1/intakes", json={"locale": "ja"}).get_json()
    steps, spent, cpu = 0, 0.0, 0.0
    while data["step"]["kind"] not in {"done", "end"}:
        body = api_body(data["step"], answers)
        headers = {"X-CSRFToken": data["csrf_token"]}
        began, cpu_began = time.perf_counter(), time.process_time()
        if profile:
            profile.enable()
        response = client.post(f"/api/v1/intakes/{data['token']}/answer", json=body, headers=headers)
        if profile:
            profile.disable()
        spent += time.perf_counter() - began
        cpu += time.process_time() - cpu_began
        if response.status_code != 200:
            raise SystemExit(f"{body['step']}: {response.status_code} {response.get_data(as_text=True)[:500]}")
        data = response.get_json()
        steps += 1
    return steps, spent, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--walks", type=int, default=20)
    parser.add_argument("--database-url", help="default: a new SQLite file in a temporary folder")
    parser.add_argument("--sort", default="tottime", help="pstats sort key: tottime, cumulative…")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--no-profile", action="store_true", help="only the time and CPU per step")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/profile.sqlite3"
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "SECRET_KEY": "bench",
                "WTF_CSRF_ENABLED": True,
                "RATELIMIT_ENABLED": False,
            }
        )
        with app.app_context():
            everything = sa.MetaData()  # every table, also one only another checkout's models have
            everything.reflect(db.engine)
            everything.drop_all(db.engine)
            db.create_all()
        answers = typical_answers()
        client = app.test_client()
        walk(client, answers, None)  # warm: templates, catalogues, the first connection
        timed = [walk(client, answers, None) for _ in range(args.walks)]
        steps, spent, cpu = (sum(column) for column in zip(*timed, strict=True))
        print(
            f"{steps} answered steps, {1000 * spent / steps:.2f} ms a step, {1000 * cpu / steps:.2f} ms of CPU a step "
            "(not profiled; the test client's own work included)"
        )
        if args.no_profile:
            return
        profile = cProfile.Profile()
        for _ in range(args.walks):
            walk(client, answers, profile)
        stats = pstats.Stats(profile)
        stats.sort_stats(args.sort).print_stats(args.limit)
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
