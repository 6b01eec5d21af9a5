"""Signed-in staff sessions kept in the database: a cookie opens something only while its row is open.

The browser's signed cookie holds "<office id>.<key>"; the database keeps the key's SHA-256 only, so
a copy of the table opens nothing. Each staff request reads its row and the user in one statement,
within the office the cookie names (no crossing of the office wall). Signing out ends the row, and so
every copy of the cookie; a password change ends the user's other sessions, and a password set by the
admin, a deactivation, a reset of the second factor or the admin's "end sessions" end them all.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from ..extensions import db
from ..records import StaffSession, User, as_utc, utcnow
from ..unit_of_work import use_office
from . import audit_log

# How often a session's last_seen_at is written (not on every request: a write costs more than a read).
SEEN_EVERY = timedelta(minutes=1)


def _hashed(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start(user: User) -> str:
    """A new session for the user; returns what the cookie keeps ("<office id>.<key>")."""
    key = secrets.token_urlsafe(32)
    db.session.add(StaffSession(user_id=user.id, office_id=user.office_id, key_hash=_hashed(key)))
    return f"{user.office_id}.{key}"


@dataclass(frozen=True)
class Found:
    """What a cookie's session key opens: the user, or why nothing (reason), with whom it was for when known."""

    user: User | None
    row: StaffSession | None
    reason: str = ""


def parse(cookie_value: str) -> tuple[int, str] | None:
    office, _, key = (cookie_value or "").partition(".")
    return (int(office), key) if office.isdigit() and key else None


def find(cookie_value: str, lifetime: timedelta) -> Found:
    """The session the cookie names, read within its office; refused when unknown, ended, too old or deactivated."""
    parsed = parse(cookie_value)
    if parsed is None:
        return Found(None, None, "unknown")
    office_id, key = parsed
    use_office(office_id)
    found = db.session.execute(
        db.select(StaffSession, User)
        .join(User, User.id == StaffSession.user_id)
        .where(StaffSession.key_hash == _hashed(key))
    ).first()
    if found is None:
        return Found(None, None, "unknown")
    row, user = found
    if row.ended_at is not None:
        return Found(user, row, "ended")
    if not user.active:
        end(row, "deactivated", user)
        return Found(user, row, "deactivated")
    now = utcnow()
    if as_utc(row.created_at) + lifetime < now:
        end(row, "lifetime", user)
        return Found(user, row, "lifetime")
    if as_utc(row.last_seen_at) + SEEN_EVERY < now:
        row.last_seen_at = now
    user.session_key = cookie_value
    return Found(user, row)



def end(row: StaffSession, reason: str, user: User) -> None:
    """End one session (sign-out, expiry): its cookie, and every copy of it, opens nothing from now on."""
    if row.ended_at is None:
        row.ended_at, row.ended_reason = utcnow(), reason
        audit_log.audit(user, None, "session_ended", f"{user.username}: {reason}", office_id=row.office_id)


def end_all(actor: User | None, user: User, reason: str, *, keep: StaffSession | None = None) -> int:
    """End every open session of the user (but `keep`, the one making the change); audited with the count."""
    query = db.update(StaffSession).where(StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
    if keep is not None:
        query = query.where(StaffSession.id != keep.id)
    ended = db.session.execute(
        query.values(ended_at=utcnow(), ended_reason=reason).execution_options(synchronize_session="fetch")
    ).rowcount
    if ended:
        audit_log.audit(actor, None, "session_ended", f"{user.username}: {reason} ({ended})", office_id=user.office_id)
    return ended


def open_sessions(user: User) -> list[StaffSession]:
    return list(
        db.session.scalars(
            db.select(StaffSession)
            .where(StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
            .order_by(StaffSession.created_at.desc())
        ).all()
    )
