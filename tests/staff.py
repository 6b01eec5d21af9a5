"""Helpers for the caseworker workspace tests: staff accounts, signing in, a case with a ticket, the kiosk walk."""

from __future__ import annotations

import re
from datetime import date

from argon2 import PasswordHasher
from walk import typical_answers, walk_forms

from intake.domain.dates import add_months
from intake.extensions import db
from intake.records import DEFAULT_OFFICE_CODE, Office, User
from intake.records import staff as staff_records
from intake.unit_of_work import use_office

PASSWORD = "correct horse battery"
# Real argon2 parameters cost ~0.1 s a hash; tests that create seven users per case use cheap ones.
staff_records._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def make_user(
    app, username: str, role: str, supervisor: str | None = None, active: bool = True, office: str | None = None
) -> int:
    """A staff account (of the installation's office, or of the office with code `office`)."""
    with app.app_context():
        user = User(username=username, display_name=f"{role} {username}", role=role, active=active)
        user.office_id = db.session.scalar(db.select(Office.id).filter_by(code=office or DEFAULT_OFFICE_CODE))
        use_office(user.office_id)  # on PostgreSQL under row-level security, the office's rows only
        if supervisor:
            user.supervisor_id = db.session.scalar(db.select(User.id).filter_by(username=supervisor))
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user.id


def make_office(app) -> None:
    """A supervisor with two caseworkers, a translator and an admin."""
    make_user(app, "sv", "supervisor")
    make_user(app, "cw", "caseworker", supervisor="sv")
    make_user(app, "cw2", "caseworker", supervisor="sv")
    make_user(app, "sv2", "supervisor")
    make_user(app, "cw3", "caseworker", supervisor="sv2")
    make_user(app, "tr", "translator")
    make_user(app, "admin", "admin")


def make_second_office(app, code: str = "north", prefix: str = "n-") -> None:
    """Another office on the same service, with the same staff as make_office's (usernames with a prefix)."""
    from intake.services.offices import create_office

    with app.app_context():
        create_office(code, name="北福祉事務所", head_title="北市福祉事務所長")
        db.session.commit()
    make_user(app, f"{prefix}sv", "supervisor", office=code)
    make_user(app, f"{prefix}cw", "caseworker", supervisor=f"{prefix}sv", office=code)
    make_user(app, f"{prefix}tr", "translator", office=code)
    make_user(app, f"{prefix}admin", "admin", office=code)


def enrol_kiosk(app, client, code: str) -> None:
    """Enrol a browser as a kiosk of the office, through the address its administrator is shown."""
    from intake.services.offices import find_office
    from intake.web.offices import enrolment_url

    with app.test_request_context():
        url = enrolment_url(find_office(code))
    response = client.get(url)
    assert response.status_code == 302, response.status_code


def sign_in(client, username: str, password: str = PASSWORD):
    return client.post("/caseworker/login", data={"username": username, "password": password})


def new_case(
    client, number: str = "A-0001", name: str = "山田 花子", language: str = "ja", ticket: bool = True
) -> tuple[int, str]:
    """Create a case (as the signed-in user); returns (case id, ticket code or '')."""
    response = client.post(
        "/caseworker/cases/new",
        data={
            "case_number": number,
            "name": name,
            "name_reading": "やまだ はなこ",
            "language": language,
            "note": "",
            "ticket": "yes" if ticket else "no",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    case_id = int(re.search(r"/cases/(\d+)", response.headers["Location"]).group(1))
    if not ticket:
        return case_id, ""
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    code = re.search(r'data-testid="ticket-code">([A-Z0-9-]+)<', page).group(1)
    return case_id, code


def answers_for(today: date, locale: str = "ja") -> dict:
    """The typical recipient's answers in `locale`, with dates relative to the office's (pinned) today."""
    answers = typical_answers()
    answers["language"] = locale
    answers["goal_date"] = add_months(today, 12).strftime("%Y-%m")
    answers["actions"][0]["date"] = add_months(today, 2).isoformat()
    answers["actions"][1]["date"] = add_months(today, 3).isoformat()
    return answers


def walk_with_code(client, code: str, today: date, locale: str = "ja") -> list[str]:
    """At the kiosk: type the code, then walk the dialogue to the end."""
    response = client.post("/kiosk/code", data={"code": code, "locale": locale})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return walk_forms(client, answers_for(today, locale), locale=locale, started=True)


def version_of(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def approve_typical_plan(client, case_id: int, day: date, review_day: date) -> None:
    """With the recipient: choose a program, record consent on `day` and approve (the draft's goal and actions)."""
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    response = client.post(
        f"/caseworker/cases/{case_id}/plan/programs",
        data={
            "version": version_of(page),
            "program": ["employment_support"],
            "support-employment_support": "ハローワークへ同行し、求人を一緒に探す",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    client.post(
        f"/caseworker/cases/{case_id}/plan/consent",
        data={"version": version_of(page), "consent": "yes", "consent_date": day.isoformat()},
    )
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    response = client.post(
        f"/caseworker/cases/{case_id}/plan/approve",
        data={"version": version_of(page), "plan_date": day.isoformat(), "review_date": review_day.isoformat()},
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]


def translated(app, message: str, locale: str = "ja", **params) -> str:
    """A message as a page in `locale` shows it (tests keep passing as the catalogues fill in).

    Staff pages read the staff catalogue first (Japanese only), then the recipients' one.
    """
    from flask_babel import force_locale, gettext

    from intake.i18n import use_staff_catalogue

    with app.test_request_context(), force_locale(locale):
        use_staff_catalogue()
        return gettext(message, **params)
