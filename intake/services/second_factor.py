"""Staff's second factor: one-time codes from an authenticator app (TOTP, RFC 6238) and ten recovery codes.

A secret is made when someone enrols (or an operator provisions one), and is in use once a code made from
it was accepted. A code is accepted for its own 30-second step or the one before or after (clocks drift),
and never for a step at or before the last one accepted for the user: a code seen over a shoulder or
replayed does not work again. Recovery codes are shown once, stored as argon2 hashes, and each works once.
"""

from __future__ import annotations

import secrets
import time

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..extensions import db
from ..records import RecoveryCode, User, clean_code, utcnow
from . import audit_log

ISSUER = "Yorisoi"
STEP_SECONDS = 30
# Steps either side of now that a code may come from (phones' clocks drift).
DRIFT_STEPS = 1
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
# Recovery codes are random (50 bits each): cheap argon2 parameters keep ten checks at sign-in fast.
_recovery_hasher = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


def now_step(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // STEP_SECONDS)


def new_secret() -> str:
    return pyotp.random_base32()


def valid_secret(secret: str) -> str | None:
    """A base32 secret as an operator typed it (spaces and case forgiven), or None if it is not one of 16+ characters."""
    cleaned = "".join(secret.split()).upper().rstrip("=")
    if len(cleaned) < 16 or any(ch not in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for ch in cleaned):
        return None
    return cleaned


def enrolled(user: User) -> bool:
    return bool(user.totp_secret) and user.totp_confirmed_at is not None


def provisioning_uri(user: User, office_name: str) -> str:
    """The otpauth:// address the QR code holds (the app shows the office and the username)."""
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.username, issuer_name=f"{ISSUER} {office_name}")


def start_enrolment(user: User) -> str:
    """A new secret for a user who has none in use yet (kept while they enrol: reloading the page shows the same)."""
    if not user.totp_secret or user.totp_confirmed_at is not None:
        user.totp_secret, user.totp_confirmed_at, user.totp_last_step = new_secret(), None, None
    return user.totp_secret


def _accepted_step(user: User, code: str | None) -> int | None:
    """The step this code was made for, if it is one of the user's and newer than the last one accepted."""
    code = "".join((code or "").split())
    if not user.totp_secret or len(code) != 6 or not code.isdigit():
        return None
    totp, now = pyotp.TOTP(user.totp_secret), now_step()
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if user.totp_last_step is not None and step <= user.totp_last_step:
            continue
        if secrets.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def check_code(user: User, code: str | None) -> bool:
    """Whether the one-time code is right and unused; if so it is spent (the step is remembered)."""
    step = _accepted_step(user, code)
    if step is None:
        return False
    user.totp_last_step = step
    return True


def confirm_enrolment(user: User, code: str | None) -> list[str] | None:
    """The first code from the new secret confirms it: the factor is in use; returns the ten recovery codes (once)."""
    if user.totp_secret is None or user.totp_confirmed_at is not None or not check_code(user, code):
        return None
    user.totp_confirmed_at = utcnow()
    audit_log.audit(user, None, "factor_enrolled", "totp", office_id=user.office_id)
    return new_recovery_codes(user)


def provision(actor: User | None, user: User, secret: str) -> None:
    """An operator's secret (scripted set-up): in use at once, the user's recovery codes dropped."""
    user.totp_secret, user.totp_confirmed_at, user.totp_last_step = secret, utcnow(), None
    _drop_recovery_codes(user)
    audit_log.audit(actor, None, "factor_enrolled", f"{user.username}: totp provisioned", office_id=user.office_id)


def reset(actor: User | None, user: User) -> None:
    """The admin resets the factor (a lost phone): the user enrols again at the next sign-in."""
    user.totp_secret, user.totp_confirmed_at, user.totp_last_step = None, None, None
    _drop_recovery_codes(user)
    audit_log.audit(actor, None, "factor_reset", user.username, office_id=user.office_id)


def _drop_recovery_codes(user: User) -> None:
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def new_recovery_codes(user: User) -> list[str]:
    """Ten new recovery codes (the old ones stop working), as the user is shown them once: XXXXX-XXXXX."""
    _drop_recovery_codes(user)
    codes = ["".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    db.session.add_all(
        RecoveryCode(user_id=user.id, office_id=user.office_id, code_hash=_recovery_hasher.hash(code)) for code in codes
    )
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def looks_like_recovery_code(code: str | None) -> bool:
    return len(clean_code(code)) == 10


def use_recovery_code(user: User, code: str | None) -> bool:
    """Whether this is one of the user's unused recovery codes; if so it is spent."""
    typed = clean_code(code)
    if len(typed) != 10:
        return False
    unused = db.session.scalars(
        db.select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).all()
    for stored in unused:
        try:
            _recovery_hasher.verify(stored.code_hash, typed)
        except (VerificationError, InvalidHashError):
            continue
        # Spent with a compare-and-set: two requests racing with one code cannot both succeed.
        spent = db.session.execute(
            db.update(RecoveryCode)
            .where(RecoveryCode.id == stored.id, RecoveryCode.used_at.is_(None))
            .values(used_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        return spent.rowcount == 1
    return False


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        db.select(db.func.count(RecoveryCode.id)).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )
