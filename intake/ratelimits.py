"""Rate-limit counts kept in the app's own database, so every worker and every node shares one count.

Flask-Limiter's default `memory://` storage counts per worker process: with four gunicorn workers a
"10 per minute" sign-in limit lets 40 guesses through, and more with every node. Redis would fix it
at the price of another server to run and secure; the database already holds all state, and the
limited routes (code entry, starting an intake) are a small share of requests.

Selected by `RATELIMIT_STORAGE_URI = "database://"` (the default). Only the fixed-window strategy,
Flask-Limiter's default, is supported. Each count is one atomic upsert on its own connection, so it
is kept even when the request it counts is rolled back.
"""

from __future__ import annotations

import hashlib
import time

from limits.storage import Storage
from sqlalchemy import case, delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db
from .records import RateLimitCounter

COUNTERS = RateLimitCounter.__table__
_INSERTS = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}


def hashed(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class DatabaseStorage(Storage):
    """A `limits` storage over the rate_limit_counters table (registered for the `database://` scheme)."""

    STORAGE_SCHEME = ["database"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options) -> None:
        super().__init__(uri, wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        insert = _INSERTS[db.engine.dialect.name]
        expired = COUNTERS.c.expires_at <= now
        statement = (
            insert(COUNTERS)
            .values(key=hashed(key), count=amount, expires_at=now + expiry)
            .on_conflict_do_update(
                index_elements=[COUNTERS.c.key],
                set_={
                    "count": case((expired, amount), else_=COUNTERS.c.count + amount),
                    "expires_at": case((expired, now + expiry), else_=COUNTERS.c.expires_at),
                },
            )
            .returning(COUNTERS.c.count)
        )
        with db.engine.begin() as connection:
            return connection.execute(statement).scalar_one()

    def _live(self, key: str):
        with db.engine.connect() as connection:
            return connection.execute(
                select(COUNTERS.c.count, COUNTERS.c.expires_at).where(
                    COUNTERS.c.key == hashed(key), COUNTERS.c.expires_at > time.time()
                )
            ).first()

    def get(self, key: str) -> int:
        row = self._live(key)
        return row.count if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._live(key)
        return row.expires_at if row else time.time()

    def check(self) -> bool:
        try:
            with db.engine.connect() as connection:
                connection.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with db.engine.begin() as connection:
            return connection.execute(delete(COUNTERS)).rowcount

    def clear(self, key: str) -> None:
        with db.engine.begin() as connection:
            connection.execute(delete(COUNTERS).where(COUNTERS.c.key == hashed(key)))


def purge_expired() -> int:
    """Delete counts whose window has passed (the nightly `flask intake purge` calls it)."""
    with db.engine.begin() as connection:
        return connection.execute(delete(COUNTERS).where(COUNTERS.c.expires_at <= time.time())).rowcount
