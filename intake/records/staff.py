"""Staff accounts: caseworkers, supervisors (査察指導員), translators and administrators."""

from __future__ import annotations

from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .clock import utcnow
from .offices import OfficeOwned

_hasher = PasswordHasher()

CASEWORKER, SUPERVISOR, TRANSLATOR, ADMIN = "caseworker", "supervisor", "translator", "admin"
ROLES = (CASEWORKER, SUPERVISOR, TRANSLATOR, ADMIN)
# Who carry cases: a caseworker their own, a supervisor (査察指導員) their own and their team's.
CASE_ROLES = (CASEWORKER, SUPERVISOR)
# Who read the office's figures as a whole: the report, the step counts.
OFFICE_FIGURES_ROLES = (SUPERVISOR, ADMIN)


class User(OfficeOwned, UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A caseworker's supervisor (査察指導員), who sees and signs off their cases.
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Two admins editing one account: the second save from a stale form is refused, not silently merged.
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    # The second factor (services/second_factor.py): an RFC 6238 secret (base32), in use once confirmed with a
    # code; the last time step a code was accepted for, so no code works twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    # The password no longer meets the rules (found at sign-in): the next page is the one that changes it.
    password_change_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __mapper_args__ = {"version_id_col": version}

    # The signed-in session this object was loaded for (web/caseworker/sign_in.py), not a column.
    session_key = None  # str, once loaded for a session

    def get_id(self) -> str:
        """What Flask-Login keeps in the signed cookie: the office and the session's key, never the user id alone."""
        return self.session_key or ""

    @property
    def is_active(self) -> bool:
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = _hasher.hash(password)

    def check_password(self, password: str) -> bool:
        try:
            return _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


class StaffSession(OfficeOwned, db.Model):
    """One signed-in browser: the cookie holds its key, the database only the key's SHA-256.

    A session ends (ended_at, with why) at sign-out, on a password change, a deactivation, a reset of the
    second factor, an admin's "end sessions", or on expiry; an ended session's cookie opens nothing.
    """

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_reason: Mapped[str | None] = mapped_column(String(32))


class RecoveryCode(OfficeOwned, db.Model):
    """One of a user's ten one-time recovery codes (argon2 hash), for a lost phone; used once, then spent."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SignInThrottle(db.Model):
    """Failed sign-ins counted per account and per address (services/throttle.py): a delay that doubles, never a lock.

    Keyed before any office is known (a username or an address), so not an office's record.
    """

    __tablename__ = "sign_in_throttles"

    # A SHA-256 of the key (an address or a username): nothing readable is kept.
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    # Seconds since the epoch: until when a password alone is not checked; when the count is forgotten.
    delayed_until: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float, index=True)
