"""Health check for the load balancer and monitoring: is this node up, and can it reach the database?"""

from __future__ import annotations

import time

from flask import Blueprint, jsonify
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def health():
    """200 when the database answers, 503 when it does not (take this node out of rotation)."""
    began = time.perf_counter()
    try:
        db.session.execute(db.text("SELECT 1"))
    except SQLAlchemyError as err:
        return jsonify({"status": "unavailable", "database": err.__class__.__name__}), 503
    return jsonify({"status": "ok", "database_ms": round(1000 * (time.perf_counter() - began), 1)})
