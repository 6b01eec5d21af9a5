"""The demo office that `make run` loads: one user per role. Never used in production."""

from __future__ import annotations

from flask import current_app

from .extensions import db
from .models import User

DEMO_USERS = (
    ("demo-sv", "デモ 査察指導員", "supervisor", "demo-supervisor-pass", None),
    ("demo-cw", "デモ ケースワーカー", "caseworker", "demo-caseworker-pass", "demo-sv"),
    ("demo-cw2", "デモ ケースワーカー2", "caseworker", "demo-caseworker2-pass", "demo-sv"),
    ("demo-tr", "Demo translator", "translator", "demo-translator-pass", None),
    ("demo-admin", "デモ 管理者", "admin", "demo-admin-pass", None),
)


def load_demo() -> list[str]:
    """Create the demo users if missing; returns lines to print (the logins)."""
    if current_app.config["PRODUCTION"]:
        raise RuntimeError("The demo office is not loaded in production.")
    lines = []
    for username, display_name, role, password, supervisor in DEMO_USERS:
        user = db.session.scalar(db.select(User).filter_by(username=username))
        if user is None:
            user = User(username=username, display_name=display_name, role=role)
            user.set_password(password)
            db.session.add(user)
        if supervisor:
            db.session.flush()
            user.supervisor_id = db.session.scalar(db.select(User.id).filter_by(username=supervisor))
        lines.append(f"  {role}: {username} / {password}")
    db.session.commit()
    return lines
