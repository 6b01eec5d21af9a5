"""Requests purge their office's due records themselves (services/retention.py): nobody has to remember a command.

After a request's own transaction has ended (committed or rolled back: unit_of_work.py), a request whose
office has not been purged for `PURGE_EVERY_MINUTES` claims the purge with a conditional UPDATE of the
office's row, committed at once, so of several workers (or nodes) one runs it and the others go on; then
the purge runs in a transaction of its own and commits. Why apart from the request's transaction: the
visitor's answer is already safe and never waits for the purge's deletions or fails with them, and the
purge holds no lock a long request took. The request's office only: its unit of work is the office's, so
the purge crosses no wall (every office: `flask intake purge`). Whether it is due is read from the office
row the request read anyway: most requests spend no statement on it.

A purge that fails is logged and tried again after the next interval; the response is not affected.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import Flask, current_app, g
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from ..records import as_utc, utcnow
from ..services import retention
from ..unit_of_work import commit

log = logging.getLogger(__name__)
# Of each kind, per request's purge: a backlog (a first release, a long-closed office) never holds one response
# for long; it goes over the next intervals, or at once with `flask intake purge`.
AT_MOST = 200


def _purge_when_due(response):
    every = int(current_app.config["PURGE_EVERY_MINUTES"] or 0)
    office = g.get("yorisoi_office")
    if every <= 0 or office is None or response.status_code >= 500:
        return response
    now = utcnow()
    if office.purged_at is not None and as_utc(office.purged_at) > now - timedelta(minutes=every):
        return response
    try:
        db.session.rollback()  # the request's transaction is over; nothing of it is carried into the purge
        claimed = retention.claim_purge(office, now, every)
        commit()
        set_committed_value(office, "purged_at", now)  # the copy this request holds, not a change to write
        if claimed:
            purged = retention.purge_office(office, now=now, at_most=AT_MOST)
            commit()
            retention.purge_spent_counts(now)
            commit()
            if purged.intakes or purged.cases:
                log.info(
                    "purged office %s: %d unfinished intake(s), %d closed case(s)",
                    office.code,
                    len(purged.intakes),
                    len(purged.cases),
                )
    except Exception:
        db.session.rollback()
        log.exception("the automatic purge of office %s failed; it is tried again later", office.code)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_purge_when_due)
