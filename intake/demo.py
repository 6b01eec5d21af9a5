"""The demo office that `make run` loads: one user per role, and a few cases. Never used in production.

The office requires a second factor like any other: each demo user gets a one-time-code secret on first
load, printed with the logins, to add to an authenticator app (or `flask intake users code USER` prints the
current code, outside production).
"""

from __future__ import annotations

from flask import current_app

from .extensions import db
from .records import User
from .services import second_factor

DEMO_USERS = (
    ("demo-sv", "デモ 査察指導員", "supervisor", "supervisor-demo-pass", None),
    ("demo-cw", "デモ ケースワーカー", "caseworker", "caseworker-demo-pass", "demo-sv"),
    ("demo-cw2", "デモ ケースワーカー2", "caseworker", "caseworker2-demo-pass", "demo-sv"),
    ("demo-tr", "Demo translator", "translator", "translator-demo-pass", None),
    ("demo-admin", "デモ 管理者", "admin", "admin-demo-pass", None),
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
        if not second_factor.enrolled(user):
            db.session.flush()
            second_factor.provision(None, user, second_factor.new_secret())
        lines.append(f"  {role}: {username} / {password} / one-time-code key {user.totp_secret}")
    lines.append(
        "  one-time codes: add a key to an authenticator app (time-based), or print the current code with"
        " `.venv/bin/flask intake users code demo-cw`"
    )
    lines += _demo_cases()
    return lines


def _demo_cases() -> list[str]:
    """Three cases for demo-cw: one with a kiosk code, one with an approved plan due for review, one made at the desk."""
    from datetime import timedelta

    from .domain.dates import add_months
    from .records import RECEIPT_ALPHABET, Case, PlanVersion, Ticket, Worksheet, utcnow

    if db.session.scalar(db.select(Case.id).filter_by(case_number="DEMO-0001")) is not None:
        return []
    cw = db.session.scalar(db.select(User).filter_by(username="demo-cw"))
    today = utcnow().date()
    waiting = Case(
        case_number="DEMO-0001",
        name="山田 花子",
        name_reading="やまだ はなこ",
        preferred_language="en",
        caseworker_id=cw.id,
    )
    planned = Case(
        case_number="DEMO-0002",
        name="佐藤 一郎",
        name_reading="さとう いちろう",
        preferred_language="ja",
        caseworker_id=cw.id,
    )
    desk = Case(
        case_number="DEMO-0003",
        name="Maria Santos",
        name_reading="マリア サントス",
        preferred_language="fil",
        caseworker_id=cw.id,
    )
    db.session.add_all([waiting, planned, desk])
    code = "".join(RECEIPT_ALPHABET[(i * 7) % len(RECEIPT_ALPHABET)] for i in range(10))
    db.session.add(Ticket(code=code, case=waiting, issued_by=cw.id, expires_at=utcnow() + timedelta(days=7)))
    content = {
        "goal": {
            "suggestion": "regular_sleep",
            "text": None,
            "language": None,
            "kind": "daily_life",
            "date": add_months(today, 9).strftime("%Y-%m"),
        },
        "actions": [
            {
                "text": "毎朝8時にアラームをかけて起きる",
                "date": add_months(today, -1).isoformat(),
                "confidence": 6,
                "language": "ja",
                "support": "",
            },
            {
                "text": "週2回、午前中に図書館へ行く",
                "date": add_months(today, 1).isoformat(),
                "confidence": 5,
                "language": "ja",
                "support": "図書館の場所を一緒に確認する",
            },
        ],
        "programs": [{"id": "daily_life_motivation", "support": "月1回の面談で生活リズム表を一緒に見る"}],
        "consent": {"given": True, "date": add_months(today, -3).isoformat()},
        "barriers": ["day_night", "isolation"],
        "recipient_language": "ja",
    }
    db.session.add(Worksheet(case=planned, content=content, open=False))
    db.session.add(
        PlanVersion(
            case=planned,
            number=1,
            content=content,
            plan_date=add_months(today, -3),
            review_date=today,
            approved_by=cw.id,
        )
    )
    return [
        f"  demo cases for demo-cw: DEMO-0001 (kiosk code {code[:5]}-{code[5:]}), DEMO-0002 (review due), DEMO-0003"
    ]
