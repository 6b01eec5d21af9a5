"""The demo office that `make run` loads: a caseworker to sign in with. Never used in production."""

from __future__ import annotations

from .extensions import db
from .models import User

DEMO_USERS = (
    ("demo-cw", "デモ ケースワーカー", "caseworker", "demo-caseworker-pass"),
    ("demo-tr", "Demo translator", "translator", "demo-translator-pass"),
)


def load_demo() -> list[str]:
    """Create the demo users if missing; returns lines to print (the logins)."""
    lines = []
    for username, display_name, role, password in DEMO_USERS:
        user = db.session.scalar(db.select(User).filter_by(username=username))
        if user is None:
            user = User(username=username, display_name=display_name, role=role)
            user.set_password(password)
            db.session.add(user)
        lines.append(f"  {role}: {username} / {password}")
    db.session.commit()
    return lines
