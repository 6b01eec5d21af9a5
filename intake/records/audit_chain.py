"""The audit log as a hash chain per office: a changed, removed or slipped-in entry breaks it.

What is hashed. Entry n of an office (n = `seq`: 1, 2, 3… in the order the office's transactions
committed) has `hash` = SHA-256, in lowercase hex, of the UTF-8 bytes of this JSON array, written
without spaces (`separators=(",", ":")`) and with non-ASCII characters as they are (`ensure_ascii=False`):

    ["yorisoi-audit-1", office_id, seq, id, at, user_id, case_id, action, detail, previous]

- `office_id`, `seq`, `id`: integers; `user_id`, `case_id`: integers or null.
- `at`: the moment as stored, in UTC, as text `YYYY-MM-DDTHH:MM:SS.ffffffZ` (microseconds always
  written). SQLite hands back the naive UTC text it stored and PostgreSQL an aware value in the
  session's time zone: both become the same text, so a log moved between them still verifies.
- `action`, `detail`: the text as stored.
- `previous`: the hash of entry n-1 of the same office; "" for the office's first entry.

The office's row keeps the chain's head (`audit_seq`: the number of entries, `audit_head`: the last
hash), so removing the newest entries shows too.

When. An entry is inserted like any record, with `seq` and `hash` empty. When its transaction
commits (`before_commit`, after the last flush), the entries it added are chained: one UPDATE of the
office's row moves `audit_seq` on and, on PostgreSQL, locks that row until the commit, so two
transactions of one office chain one after the other and never fork (SQLite has one writer at a
time anyway). The lock is taken as late as it can be and held only while the commit runs, so
requests of one office queue on it for a moment only, and it is the last lock a transaction asks for
(offices in the order of their ids). `(office_id, seq)` is unique as a second guard.

What it proves. Anyone who edits a row with SQL, deletes one or inserts one breaks the chain at that
entry, and `flask intake audit verify` names it. Someone who can write the database can rebuild the
whole chain too: keep the head that `audit verify` prints (or an export) somewhere else to notice that.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from .cases import AuditEntry
from .clock import as_utc
from .offices import Office

FORMAT = "yorisoi-audit-1"
_UNCHAINED = "yorisoi.audit_unchained"
_LOG = AuditEntry.__table__
_OFFICES = Office.__table__
_FIELDS = (_LOG.c.id, _LOG.c.office_id, _LOG.c.at, _LOG.c.user_id, _LOG.c.case_id, _LOG.c.action, _LOG.c.detail)


def utc_text(moment: datetime) -> str:
    """A stored moment as the chain hashes it: UTC, microseconds, a Z (naive values were stored in UTC)."""
    moment = as_utc(moment).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(row, seq: int, previous: str) -> str:
    """The hash of one entry (a row with the columns of `_FIELDS`) at place `seq` after `previous`."""
    fields = [
        FORMAT,
        row.office_id,
        seq,
        row.id,
        utc_text(row.at),
        row.user_id,
        row.case_id,
        row.action,
        row.detail,
        previous,
    ]
    payload = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# --- chaining the entries a transaction added, as it commits ------------------------------------------


@event.listens_for(Session, "after_flush")
def _note_new_entries(session: Session, _context) -> None:
    new = [record.id for record in session.new if isinstance(record, AuditEntry)]
    if new:
        session.info.setdefault(_UNCHAINED, set()).update(new)


@event.listens_for(Session, "before_commit")
def _chain_on_commit(session: Session) -> None:
    """Chain this transaction's new entries to their offices' heads (a savepoint's commit waits for the real one)."""
    if session.in_nested_transaction():
        return
    session.flush()
    ids = session.info.pop(_UNCHAINED, None)
    if ids:
        chain(session, ids)


@event.listens_for(Session, "after_transaction_end")
def _forget_on_rollback(session: Session, transaction) -> None:
    if transaction.parent is None:  # the whole transaction ended (a commit has already chained its entries)
        session.info.pop(_UNCHAINED, None)


def chain(session: Session, ids) -> None:
    """Give the entries `ids` (those still there: a savepoint may have undone some) their places and hashes."""
    rows = session.execute(sa.select(*_FIELDS).where(_LOG.c.id.in_(sorted(ids))).order_by(_LOG.c.id)).all()
    by_office: dict[int, list] = {}
    for row in rows:
        by_office.setdefault(row.office_id, []).append(row)
    for office_id in sorted(by_office):  # always in the same order: two transactions never wait on each other
        entries = by_office[office_id]
        head = session.execute(
            _OFFICES.update()
            .where(_OFFICES.c.id == office_id)
            .values(audit_seq=_OFFICES.c.audit_seq + len(entries))
            .returning(_OFFICES.c.audit_seq, _OFFICES.c.audit_head)
        ).one()
        seq, previous = head.audit_seq - len(entries), head.audit_head or ""
        placed = []
        for row in entries:
            seq += 1
            previous = entry_hash(row, seq, previous)
            placed.append({"entry": row.id, "place": seq, "digest": previous})
        session.execute(
            _LOG.update()
            .where(_LOG.c.id == sa.bindparam("entry"))
            .values(seq=sa.bindparam("place"), hash=sa.bindparam("digest")),
            placed,
        )
        session.execute(_OFFICES.update().where(_OFFICES.c.id == office_id).values(audit_head=previous))
        for done in placed:  # objects still in the session show what was stored (they are not expired on commit)
            record = session.identity_map.get(session.identity_key(AuditEntry, done["entry"]))
            if record is not None:
                set_committed_value(record, "seq", done["place"])
                set_committed_value(record, "hash", done["digest"])


# --- checking ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """The first link of an office's chain that does not hold."""

    office_code: str
    entry_id: int | None
    reason: str


@dataclass(frozen=True)
class Verified:
    offices: int
    entries: int
    breaks: list[Break]
    heads: dict[str, tuple[int, str]]


def verify(session: Session, offices: Iterable) -> Verified:
    """Walk each office's chain from its first entry; the first broken link of each office, if any.

    `offices` are visited one at a time with each one the unit of work's office (`services.offices.each_office`): on
    PostgreSQL the app's role reads one office's rows at a time, whatever the statement asks.
    """
    breaks, heads, total, visited = [], {}, 0, 0
    for office in offices:
        visited += 1
        head = session.execute(
            sa.select(_OFFICES.c.audit_seq, _OFFICES.c.audit_head).where(_OFFICES.c.id == office.id)
        ).one()
        found, count, previous = None, 0, ""
        for row in _entries(session, office.id):
            count += 1
            if found is not None:
                continue
            if row.seq is None or row.hash is None:
                found = Break(office.code, row.id, "not in the chain (no hash): added outside the app")
            elif row.seq != count:
                found = Break(office.code, row.id, f"is #{row.seq} of the chain where #{count} should be: entries removed")
            elif entry_hash(row, row.seq, previous) != row.hash:
                found = Break(office.code, row.id, "does not match its hash: the entry or the one before it was changed")
            previous = row.hash or ""
        total += count
        if found is None and (head.audit_seq != count or (head.audit_head or "") != previous):
            found = Break(
                office.code,
                None,
                f"the chain has {count} entries but its head says {head.audit_seq}: entries removed at the end",
            )
        if found is not None:
            breaks.append(found)
        heads[office.code] = (head.audit_seq, head.audit_head or "")
    return Verified(visited, total, breaks, heads)


def _entries(session: Session, office_id: int) -> Iterator:
    query = (
        sa.select(*_FIELDS, _LOG.c.seq, _LOG.c.hash)
        .where(_LOG.c.office_id == office_id)
        .order_by(_LOG.c.seq.is_(None), _LOG.c.seq, _LOG.c.id)
        .execution_options(yield_per=1000)
    )
    yield from session.execute(query)
