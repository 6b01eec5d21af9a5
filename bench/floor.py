"""The floor app: the least a Flask route on the same server and database can do for one kiosk step.

One request = one compare-and-set write of a JSON row and one read, as our answer does, with
none of our work (sessions, CSRF, the engine, rendering the next step). Our throughput as a
share of this one tells how much our own code costs.
"""

from __future__ import annotations

import os

from flask import Flask, jsonify, request
from sqlalchemy import JSON, Integer, String, create_engine, make_url, select, update
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    pass


class FloorRow(Base):
    __tablename__ = "bench_floor_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)


def engine_for(url: str):
    engine = create_engine(url, pool_pre_ping=True)
    if url.startswith("sqlite"):
        from sqlalchemy import event

        @event.listens_for(engine, "connect")
        def _pragmas(connection, _record):  # the same pragmas as the app
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

    return engine


def create_floor_app() -> Flask:
    app = Flask(__name__)
    engine = engine_for(os.environ["DATABASE_URL"])

    @app.get("/floor/ready")
    def ready():
        """Health check for the benchmark's start-up."""
        return "ok"

    @app.post("/floor/rows")
    def start():
        """Create one row (the kiosk's start)."""
        with Session(engine) as session:
            row = FloorRow(token=os.urandom(12).hex(), data={})
            session.add(row)
            session.commit()
            return jsonify({"token": row.token, "data": row.data}), 201

    @app.post("/floor/rows/<token>")
    def step(token: str):
        """One write (compare-and-set on the version) and one read."""
        body = request.get_json()
        with Session(engine) as session:
            row = session.scalar(select(FloorRow).filter_by(token=token))
            data = dict(row.data) | {body["step"]: body.get("value")}
            result = session.execute(
                update(FloorRow)
                .where(FloorRow.id == row.id, FloorRow.version == row.version)
                .values(data=data, version=row.version + 1)
            )
            session.commit()
            if result.rowcount != 1:
                return jsonify({"error": "conflict"}), 409
            return jsonify({"token": token, "data": data})

    return app


def create_tables(url: str, grant_to: str | None = None) -> None:
    """The floor's table, made anew as `url`'s role; `grant_to`: another role's URL that may then use it."""
    engine = engine_for(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    if grant_to is not None:
        role = make_url(grant_to).username
        with engine.begin() as connection:
            connection.exec_driver_sql(f'GRANT SELECT, INSERT, UPDATE, DELETE ON bench_floor_rows TO "{role}"')
            connection.exec_driver_sql(f'GRANT USAGE ON SEQUENCE bench_floor_rows_id_seq TO "{role}"')
    engine.dispose()
