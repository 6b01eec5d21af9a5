"""The supervisor's queue at a team's caseload (not a test): 8 caseworkers × 80 cases, every state the queue shows.

    .venv/bin/python bench/queue_page.py [--caseworkers 8] [--cases 80] [--requests 20] [--database-url URL]

Builds the caseload (tests/caseload.py) in a fresh database (a temporary SQLite file unless
--database-url is given: it is emptied), signs in as the supervisor and times GET /caseworker/cases
(the whole request: the queue's statements, statuses, sorting, the page) and a search, and counts
the SQL statements of one request.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from caseload import add_cases  # noqa: E402
from sqlalchemy import event  # noqa: E402
from staff import make_user, sign_in  # noqa: E402

from intake import create_app  # noqa: E402
from intake.extensions import db  # noqa: E402
from intake.records import User  # noqa: E402
from intake.services.offices import default_office  # noqa: E402
from intake.unit_of_work import use_office  # noqa: E402
from intake.web.common import office_today  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--caseworkers", type=int, default=8)
    parser.add_argument("--cases", type=int, default=80, help="cases per caseworker")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'queue.sqlite3'}"
        app = create_app(
            {
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": url,
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
            }
        )
        with app.app_context():
            db.drop_all()
            db.create_all()
        make_user(app, "sv", "supervisor")
        for number in range(args.caseworkers):
            make_user(app, f"cw{number}", "caseworker", supervisor="sv")
        with app.test_request_context():
            use_office(default_office().id)
            today = office_today()
            for number in range(args.caseworkers):
                add_cases(db.session.scalar(db.select(User).filter_by(username=f"cw{number}")), args.cases, today)
        client = app.test_client()
        sign_in(client, "sv")  # the password, then the one-time code, as a supervisor does
        total = args.caseworkers * args.cases
        statements = []
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", lambda *_: statements.append(1))
        client.get("/caseworker/cases")  # warm up templates and the connection
        statements.clear()
        assert client.get("/caseworker/cases").status_code == 200
        per_request = len(statements)
        for label, path in (("queue", "/caseworker/cases"), ("search", "/caseworker/cases?q=ｼｹﾝ%20ﾀﾛｳ1")):
            times = []
            for _ in range(args.requests):
                start = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200
            print(
                f"{label}: {total} cases, {per_request} SQL statements a request, "
                f"median {statistics.median(times):.0f} ms, max {max(times):.0f} ms over {args.requests} requests"
            )
        with app.app_context():
            db.drop_all() if args.database_url else None
            db.engine.dispose()


if __name__ == "__main__":
    main()
