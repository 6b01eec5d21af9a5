"""Rate-limit counts kept in the database, so every worker and node shares one count."""

from __future__ import annotations

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class RateLimitCounter(db.Model):
    """One fixed-window count of the rate limits (ratelimits.DatabaseStorage): shared by every worker and node."""

    __tablename__ = "rate_limit_counters"

    # A SHA-256 of the limiter's key, which holds an address and a username: no need to keep them readable.
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    # Seconds since the epoch, as the limits library counts time.
    expires_at: Mapped[float] = mapped_column(Float, index=True)
