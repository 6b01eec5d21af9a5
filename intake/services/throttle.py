"""Failed sign-ins slow further tries down; they never lock the right person out.

Failures are counted per account and per address. Past a few free ones, each failure doubles the wait
before a password alone is checked again for that account or address (up to SIGN_IN_MAX_DELAY_SECONDS).
While one waits, the sign-in form asks for the password and a one-time code together, and it answers
every failure alike: a guesser learns nothing about the password, while the person with the right
password and their phone signs in at once, however many failures others caused from the same address.

Wrong one-time codes after a right password count on the account's code key: whoever typed them knows
the password, so the code is not checked for that account until the wait is over (the audit log shows
it, for the admin to reset the password). Counts are written in the request's unit of work: a refused
sign-in keeps them, as it keeps its audit line (unit_of_work.keep_when_refused).
"""

from __future__ import annotations

import hashlib
import time

from flask import current_app
from sqlalchemy import case, delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..extensions import db
from ..records import SignInThrottle

THROTTLES = SignInThrottle.__table__
_INSERTS = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}


def account_key(username: str) -> str:
    return "account:" + username.strip().casefold()[:64]


def address_key(address: str | None) -> str:
    return f"address:{address or ''}"


def code_key(user_id: int) -> str:
    return f"code:{user_id}"


def _hashed(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _free(key: str) -> int:
    config = current_app.config
    return int(config["SIGN_IN_ADDRESS_FREE_FAILURES" if key.startswith("address:") else "SIGN_IN_FREE_FAILURES"])


def delay_after(failures: int, free: int) -> float:
    """Seconds to wait after this many failures: none while free, then 1, 2, 4, 8… up to the ceiling."""
    if failures < free:
        return 0.0
    return float(min(2 ** min(failures - free, 30), current_app.config["SIGN_IN_MAX_DELAY_SECONDS"]))


def fail(*keys: str) -> float:
    """Count a failure on each key; returns until when (epoch seconds) the latest wait runs (0: none)."""
    now, until = time.time(), 0.0
    memory = float(current_app.config["SIGN_IN_FAILURE_MEMORY_SECONDS"])
    insert = _INSERTS[db.session.get_bind().dialect.name]
    for key in keys:
        expired = THROTTLES.c.expires_at <= now
        statement = (
            insert(THROTTLES)
            .values(key=_hashed(key), failures=1, delayed_until=0.0, expires_at=now + memory)
            .on_conflict_do_update(
                index_elements=[THROTTLES.c.key],
                set_={
                    "failures": case((expired, 1), else_=THROTTLES.c.failures + 1),
                    "expires_at": now + memory,
                },
            )
            .returning(THROTTLES.c.failures)
        )
        failures = db.session.execute(statement).scalar_one()
        wait = delay_after(failures, _free(key))
        if wait:
            db.session.execute(
                THROTTLES.update().where(THROTTLES.c.key == _hashed(key)).values(delayed_until=now + wait)
            )
            until = max(until, now + wait)
    return until


def delayed_until(*keys: str) -> float:
    """Until when (epoch seconds) the first wait among these keys runs; 0 when none is waiting now."""
    now = time.time()
    waits = db.session.execute(
        select(THROTTLES.c.delayed_until).where(
            THROTTLES.c.key.in_([_hashed(key) for key in keys]),
            THROTTLES.c.delayed_until > now,
            THROTTLES.c.expires_at > now,
        )
    ).scalars()
    return max(waits, default=0.0)


def forget(*keys: str) -> None:
    """The right person signed in: their account's failures no longer count (an address's do)."""
    db.session.execute(delete(THROTTLES).where(THROTTLES.c.key.in_([_hashed(key) for key in keys])))


def purge_expired() -> int:
    """Delete counts forgotten by now (each office's purge calls it: services/retention.py)."""
    return db.session.execute(delete(THROTTLES).where(THROTTLES.c.expires_at <= time.time())).rowcount


_ = case  # (used above inside the statement)
