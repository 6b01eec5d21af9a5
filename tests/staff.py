"""Helpers for the caseworker workspace tests: staff accounts, signing in, a case with a ticket, the kiosk walk."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from datetime import date
from html.parser import HTMLParser

import pyotp
from argon2 import PasswordHasher
from conftest import office_today
from walk import typical_answers, walk_forms
from werkzeug.datastructures import MultiDict

from intake.domain.dates import add_months
from intake.extensions import db
from intake.records import DEFAULT_OFFICE_CODE, Office, User, utcnow
from intake.records import staff as staff_records
from intake.services import second_factor
from intake.unit_of_work import office_of_account, use_office

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
        # Enrolled in one-time codes, as every account of an office that requires them is once it has signed in.
        user.totp_secret, user.totp_confirmed_at = totp_secret(username), utcnow()
        db.session.add(user)
        db.session.commit()
        return user.id


def totp_secret(username: str) -> str:
    """The test user's one-time-code secret (fixed per username, so a test can compute its codes)."""
    return base64.b32encode(hashlib.sha256(f"totp:{username}".encode()).digest()[:20]).decode()


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


def one_time_code(app, username: str, secret: str | None = None) -> str:
    """The code the user's authenticator app shows, for a time step the server has not accepted for them yet.

    A code is accepted for the step before, at and after now, each once. A test that signs one user in more
    than three times within 30 seconds would have to wait for the next code, as a person would: instead the
    user's last accepted step is moved back (only here, never in the app).
    """
    with app.app_context():
        use_office(office_of_account("operator", username=username))
        user = db.session.scalar(db.select(User).filter_by(username=username))
        secret = secret or user.totp_secret
        now, last = second_factor.now_step(), user.totp_last_step
        # Now's own step first: it still works if the clock moves on to the next step before the server checks it.
        free = [step for step in (now, now + 1, now - 1) if last is None or step > last]
        if not free:
            use_office(user.office_id)
            user.totp_last_step = now - 2
            db.session.commit()
            free = [now]
    return pyotp.TOTP(secret).at(free[0] * second_factor.STEP_SECONDS)


def sign_in(client, username: str, password: str = PASSWORD, next_url: str | None = None):
    """Sign in through both steps as a person does: the password, then a one-time code (enrolling first if need be).

    Returns the password step's response when it refuses, else the last step's (302 on success).
    """
    path = "/caseworker/login" + (f"?next={next_url}" if next_url else "")
    response = client.post(path, data={"username": username, "password": password})
    location = response.headers.get("Location", "")
    if response.status_code != 302 or not location.startswith("/caseworker/login/"):
        return response
    app = client.application
    if location.startswith("/caseworker/login/enrol"):
        page = client.get(location).get_data(as_text=True)
        secret = "".join(html.unescape(re.search(r'data-testid="totp-secret">([^<]+)<', page).group(1)).split())
        enrolled = client.post(location, data={"code": one_time_code(app, username, secret)})
        assert enrolled.status_code == 200, enrolled.get_data(as_text=True)[:2000]
        return response
    return client.post(location, data={"code": one_time_code(app, username)})


def signed_in_page(browser, app, base: str, username: str = "cw"):
    """A new Chromium page with `username` signed in (password, then the one-time code), at twice the pixels: tests
    that read a QR code from a screenshot read it as a scanner reads the printed page (300 dpi and more)."""
    page = browser.new_page(viewport={"width": 1200, "height": 1400}, device_scale_factor=2)
    page.goto(f"{base}/caseworker/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    second_step_in_browser(page, app, username)
    return page


def second_step_in_browser(page, app, username: str) -> None:
    """After the password was sent in a browser (Playwright): type the one-time code, or enrol first if asked to."""
    page.wait_for_load_state()
    if "/caseworker/login/enrol" in page.url:
        secret = "".join(page.inner_text("[data-testid=totp-secret]").split())
        page.fill("#code", one_time_code(app, username, secret))
        page.click("form.login-form button[type=submit]")
        page.click("text=保管しました。続ける")
    elif "/caseworker/login/code" in page.url:
        page.fill("#code", one_time_code(app, username))
        page.click("form.login-form button[type=submit]")
    page.wait_for_load_state()


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


class _FormReader(HTMLParser):
    """The fields of one form as a browser would send them (ticked boxes only, selected options, textarea text)."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, MultiDict()
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name and (attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs):
            self.fields.add(name, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.add(name, "")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.add(self._select, attrs.get("value", ""))

    def handle_data(self, data):
        if self._textarea:
            values = self.fields.poplist(self._textarea)
            self.fields.setlist(self._textarea, [*values[:-1], values[-1] + data])

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


def worksheet_form(page: str) -> MultiDict:
    """What the worksheet's one form sends when Save is pressed unchanged."""
    reader = _FormReader("worksheet-form")
    reader.feed(page)
    return reader.fields


# The Japanese a caseworker writes, with an interpreter, for the typical recipient's words in another language.
TYPICAL_JAPANESE = {
    "goal_japanese": "座ってできる仕事で、パートタイムで働く",
    "action-0-japanese": "12月の火曜日に、担当者とハローワークへ行く",
    "action-1-japanese": "来月、膝のことで整形外科を受診する",
    "interpreter": "英語通訳 佐藤",
}


def approve_typical_plan(client, case_id: int, day: date, review_day: date) -> None:
    """With the recipient, in one form: choose a program, the Japanese of their words, consent on `day`, approve."""
    page = client.get(f"/caseworker/cases/{case_id}/plan").get_data(as_text=True)
    form = worksheet_form(page)
    form.setlist("program", ["employment_support"])
    form["support-employment_support"] = "ハローワークへ同行し、求人を一緒に探す"
    form["consent"] = "yes"
    form["consent_date"] = day.isoformat()
    for name, text in TYPICAL_JAPANESE.items():
        if name in form and not form[name]:
            form[name] = text
    form["plan_date"] = day.isoformat()
    form["review_date"] = review_day.isoformat()
    response = client.post(f"/caseworker/cases/{case_id}/plan/approve", data=form)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]


def translated(app, message: str | tuple[str, str], locale: str = "ja", **params) -> str:
    """A message as a page in `locale` shows it (tests keep passing as the catalogues fill in).

    Staff pages read the staff catalogue first (Japanese only), then the recipients' one. A message
    with a count is (singular, plural), its form chosen by params["count"].
    """
    from flask_babel import force_locale, gettext, ngettext

    from intake.i18n import use_staff_catalogue

    with app.test_request_context(), force_locale(locale):
        use_staff_catalogue()
        if isinstance(message, tuple):
            return ngettext(*message, params["count"], **params)
        return gettext(message, **params)


def recipient_text(app, context: str, message: str, locale: str, **params) -> str:
    """A string of what the recipient takes home (context "plan copy" or "ticket slip"), from their catalogue;
    fails when that language has no translation of it (English on a Vietnamese copy is the defect it catches)."""
    from flask_babel import force_locale, pgettext

    with app.test_request_context(), force_locale(locale):
        text = pgettext(context, message, **params)
    assert locale == "en" or text != (message % params if params else message), (locale, message)
    return text


def approved_case(app, staff, *, office: str | None = None, number: str = "A-0001", language: str = "ja") -> int:
    """A case of the signed-in `staff` whose code was walked at a kiosk (enrolled to `office` when given) and
    whose typical plan was approved today, its review in three months; returns the case id."""
    case_id, code = new_case(staff, number=number, language=language)
    kiosk = app.test_client()
    if office is not None:
        enrol_kiosk(app, kiosk, office)
    walk_with_code(kiosk, code, office_today(), locale=language)
    approve_typical_plan(staff, case_id, office_today(), add_months(office_today(), 3))
    return case_id
