"""What the office wall costs an ORM query (not a test): one read by token with the wall's do_orm_execute hook on and
off, in alternating rounds in one process (SQLite in a temporary file).

    .venv/bin/python bench/office_wall.py [--rounds 6] [--queries 2000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from intake import create_app, unit_of_work  # noqa: E402
from intake.extensions import db  # noqa: E402
from intake.records import Intake  # noqa: E402
from intake.unit_of_work import use_office  # noqa: E402


def per_query(app, queries: int) -> float:
    """Microseconds a query, the office known (the criterion added, or the hook off)."""
    with app.app_context():
        use_office(1)
        query = sa.select(Intake).where(Intake.token == sa.bindparam("token"))
        for _ in range(200):  # warm the compiled cache
            db.session.scalar(query, {"token": "x"})
        start = time.perf_counter()
        for _ in range(queries):
            db.session.scalar(query, {"token": "x"})
        return (time.perf_counter() - start) / queries * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--queries", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'wall.sqlite3'}", "SECRET_KEY": "bench"})
        with app.app_context():
            db.create_all()
        on, off = [], []
        for _ in range(args.rounds):
            on.append(per_query(app, args.queries))
            sa.event.remove(Session, "do_orm_execute", unit_of_work._the_office_wall)
            off.append(per_query(app, args.queries))
            sa.event.listen(Session, "do_orm_execute", unit_of_work._the_office_wall)
        with app.app_context():
            db.engine.dispose()
    print(
        f"one ORM read, median of {args.rounds} rounds × {args.queries}: wall on {statistics.median(on):.0f} µs, "
        f"off {statistics.median(off):.0f} µs, the wall {statistics.median(a - b for a, b in zip(on, off, strict=True)):.0f} µs a query"
    )


if __name__ == "__main__":
    main()
