"""Accounts: signing in, wrong passwords, deactivation, session expiry, `flask intake users`, and the admin's pages."""

from __future__ import annotations

import html
import re
import time

import pytest
from conftest import in_office
from staff import PASSWORD, make_office, make_user, new_case, one_time_code, sign_in, translated

from intake import create_app
from intake.config import DEFAULT_SECRET
from intake.extensions import db
from intake.records import AuditEntry, Case, User


def test_wrong_password_is_refused(app, client):
    make_user(app, "cw", "caseworker")
    response = sign_in(client, "cw", "not the password")
    assert response.status_code == 401
    assert translated(app, "The username or password is not correct.") in response.get_data(as_text=True)
    assert client.get("/caseworker/cases").status_code == 302


def test_deactivated_user_cannot_sign_in_and_is_signed_out(app, client, runner):
    make_user(app, "cw", "caseworker")
    sign_in(client, "cw")
    assert client.get("/caseworker/cases").status_code == 200
    assert runner.invoke(args=["intake", "users", "deactivate", "cw"]).exit_code == 0
    assert client.get("/caseworker/cases").status_code == 302
    assert sign_in(client, "cw").status_code == 401
    assert runner.invoke(args=["intake", "users", "reactivate", "cw"]).exit_code == 0
    assert sign_in(client, "cw").status_code == 302


def test_idle_session_expires(app, client):
    make_user(app, "cw", "caseworker")
    sign_in(client, "cw")
    with client.session_transaction() as session:
        session["staff_seen"] = time.time() - app.config["STAFF_IDLE_MINUTES"] * 60 - 1
    response = client.get("/caseworker/cases")
    assert response.status_code == 302 and "/caseworker/login" in response.headers["Location"]
    notice = translated(app, "Your session has expired. Please sign in again.")
    assert notice in client.get("/caseworker/login").get_data(as_text=True)
    assert client.get("/caseworker/cases").status_code == 302


def test_session_has_an_absolute_lifetime(app, client):
    make_user(app, "cw", "caseworker")
    sign_in(client, "cw")
    with client.session_transaction() as session:
        session["staff_signed_in"] = time.time() - app.permanent_session_lifetime.total_seconds() - 1
    assert client.get("/caseworker/cases").status_code == 302


def test_sign_in_does_not_redirect_off_site(app, client):
    make_user(app, "cw", "caseworker")
    response = client.post("/caseworker/login?next=//evil.example/", data={"username": "cw", "password": PASSWORD})
    assert response.headers["Location"] == "/caseworker/login/code"
    response = client.post("/caseworker/login/code", data={"code": one_time_code(app, "cw")})
    assert response.headers["Location"].endswith("/caseworker/")


def test_users_cli(app, runner):
    result = runner.invoke(
        args=["intake", "users", "create", "boss", "--role", "supervisor", "--password", "a long enough secret"]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=[
            "intake",
            "users",
            "create",
            "kate",
            "--role",
            "caseworker",
            "--supervisor",
            "boss",
            "--name",
            "Kate",
            "--password",
            "another long secret",
        ]
    )
    assert result.exit_code == 0, result.output
    assert (
        runner.invoke(
            args=["intake", "users", "create", "kate", "--role", "caseworker", "--password", "another long secret"]
        ).exit_code
        != 0
    )
    assert (
        runner.invoke(args=["intake", "users", "create", "tiny", "--role", "admin", "--password", "short"]).exit_code
        != 0
    )
    assert (
        runner.invoke(args=["intake", "users", "set-password", "kate", "--password", "a brand new secret"]).exit_code
        == 0
    )
    assert (
        runner.invoke(args=["intake", "users", "set-password", "nobody", "--password", "a brand new secret"]).exit_code
        != 0
    )
    with in_office(app):
        kate = db.session.scalar(db.select(User).filter_by(username="kate"))
        boss = db.session.scalar(db.select(User).filter_by(username="boss"))
        assert (
            kate.check_password("a brand new secret") and kate.supervisor_id == boss.id and kate.display_name == "Kate"
        )
        assert kate.password_hash.startswith("$argon2")
    assert "kate" in runner.invoke(args=["intake", "users", "list"]).output


def test_demo_users_only_from_the_demo_command(app, runner):
    with in_office(app):
        assert db.session.scalar(db.select(db.func.count(User.id))) == 0
    result = runner.invoke(args=["intake", "demo"])
    assert result.exit_code == 0 and "demo-sv" in result.output
    with in_office(app):
        roles = set(db.session.scalars(db.select(User.role)).all())
    assert roles == {"caseworker", "supervisor", "translator", "admin"}


def test_production_refuses_the_default_secret():
    with pytest.raises(RuntimeError):
        create_app({"PRODUCTION": True, "SECRET_KEY": DEFAULT_SECRET, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_office_fixture_roles(app):
    make_office(app)
    with in_office(app):
        assert db.session.scalar(db.select(db.func.count(User.id))) == 7


def test_a_newcomer_signs_in_as_each_demo_user_with_what_make_run_prints(app, runner):
    """The demo office requires one-time codes like any other: the printed key makes them; no password to change."""
    import pyotp

    printed = runner.invoke(args=["intake", "demo"]).output
    logins = re.findall(r"^  \w+: (\S+) / (\S+) / one-time-code key ([A-Z2-7]+)$", printed, re.MULTILINE)
    assert len(logins) == 5
    for username, password, key in logins:
        client = app.test_client()
        assert client.post("/caseworker/login", data={"username": username, "password": password}).status_code == 302
        response = client.post("/caseworker/login/code", data={"code": pyotp.TOTP(key).now()})
        assert response.status_code == 302 and response.headers["Location"] != "/caseworker/password", username
    assert runner.invoke(args=["intake", "users", "code", "demo-cw"]).output.strip().isdigit()


def test_the_demo_office_has_cases_to_look_at(app, client, runner):
    assert runner.invoke(args=["intake", "demo"]).exit_code == 0
    assert runner.invoke(args=["intake", "demo"]).exit_code == 0  # twice is harmless
    sign_in(client, "demo-cw", "caseworker-demo-pass")
    queue = client.get("/caseworker/cases").get_data(as_text=True)
    assert all(f">DEMO-000{n}<" in queue for n in (1, 2, 3))
    assert 'data-status="review_due"' in queue and 'data-status="ticket_issued"' in queue
    with in_office(app):
        from intake.records import Case

        planned = db.session.scalar(db.select(Case.id).filter_by(case_number="DEMO-0002"))
    assert client.get(f"/caseworker/cases/{planned}/versions/1/print").status_code == 200
    assert client.get(f"/caseworker/cases/{planned}/review").status_code == 200


# --- staff accounts on the web (the admin) -------------------------------------------------------

USERS = "/caseworker/office/users"
USERNAME_RULE = (
    "Give a username of up to %(count)s character, without spaces.",
    "Give a username of up to %(count)s characters, without spaces.",
)
PASSWORD_RULE = ("A password needs at least %(count)s character.", "A password needs at least %(count)s characters.")
NEW_PASSWORD = "a fresh long password"


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def admin(app):
    make_office(app)
    client = app.test_client()
    sign_in(client, "admin")
    return client


def account(app, username: str) -> dict:
    with in_office(app):
        user = db.session.scalar(db.select(User).filter_by(username=username))
        if user is None:
            return {}
        boss = db.session.get(User, user.supervisor_id) if user.supervisor_id else None
        return {
            "id": user.id,
            "display_name": user.display_name,
            "role": user.role,
            "active": user.active,
            "supervisor": boss.username if boss else None,
            "password_hash": user.password_hash,
            "version": user.version,
        }


def audit_log(app, action: str = "account") -> list[tuple[str | None, int | None, str]]:
    """(who, case id, detail) of the audit entries for `action`, oldest first."""
    with in_office(app):
        entries = db.session.scalars(db.select(AuditEntry).filter_by(action=action).order_by(AuditEntry.id)).all()
        return [(e.user.username if e.user else None, e.case_id, e.detail) for e in entries]


def all_audit_details(app) -> str:
    with in_office(app):
        return " ".join(db.session.scalars(db.select(AuditEntry.detail)).all())


def role_label(app, role: str) -> str:
    from flask_babel import force_locale, pgettext

    from intake.i18n import use_staff_catalogue

    with app.test_request_context(), force_locale("ja"):
        use_staff_catalogue()  # a staff page's text
        return pgettext("role", role)


def page(app, username: str) -> str:
    return f"{USERS}/{account(app, username)['id']}"


def edit_form(app, username: str, **changes) -> dict:
    """The account form as it stands for this user, with `changes`."""
    current = account(app, username)
    return {
        "version": current["version"],
        "display_name": current["display_name"],
        "role": current["role"],
        "supervisor": current["supervisor"] or "",
        **changes,
    }


def test_the_admin_creates_a_caseworker_who_can_then_sign_in(app):
    client = admin(app)
    listing = text(client.get(USERS))
    assert translated(app, "New account") in listing and 'href="/caseworker/office/users/' in listing
    form = {
        "username": "kate",
        "display_name": "山本 ケイト",
        "role": "caseworker",
        "supervisor": "sv",
        "password": NEW_PASSWORD,
    }
    response = client.post(USERS, data=form)
    assert response.status_code == 303 and response.headers["Location"].endswith(page(app, "kate"))
    assert translated(app, "Account %(username)s created.", username="kate") in text(client.get(page(app, "kate")))
    kate = account(app, "kate")
    assert (kate["role"], kate["supervisor"], kate["display_name"], kate["active"]) == (
        "caseworker",
        "sv",
        "山本 ケイト",
        True,
    )
    assert audit_log(app) == [("admin", None, "kate: created as caseworker, supervisor sv")]
    assert NEW_PASSWORD not in all_audit_details(app)
    assert sign_in(app.test_client(), "kate", NEW_PASSWORD).status_code == 302


def test_the_list_shows_roles_supervisors_and_open_cases(app):
    make_office(app)
    caseworker = app.test_client()
    sign_in(caseworker, "cw")
    new_case(caseworker, "L-1", ticket=False)
    client = app.test_client()
    sign_in(client, "admin")
    listing = text(client.get(USERS))
    row = listing[listing.index(">cw<") : listing.index("</tr>", listing.index(">cw<"))]
    assert role_label(app, "Caseworker") in row and "<td>sv</td>" in row and "<td>1</td>" in row
    assert role_label(app, "Administrator") in listing and role_label(app, "Translator") in listing


@pytest.mark.parametrize(
    ("changes", "message", "params"),
    [
        ({"username": "cw"}, "The username %(username)s is already taken.", {"username": "cw"}),
        ({"username": "two words"}, USERNAME_RULE, {"count": 64}),
        ({"username": ""}, USERNAME_RULE, {"count": 64}),
        ({"role": "boss"}, "Choose a role from the list.", {}),
        ({"supervisor": "cw2"}, "%(username)s is not an active supervisor.", {"username": "cw2"}),
        ({"supervisor": "gone"}, "%(username)s is not an active supervisor.", {"username": "gone"}),
        ({"supervisor": "nobody"}, "%(username)s is not an active supervisor.", {"username": "nobody"}),
        ({"role": "translator"}, "Only a caseworker has a supervisor.", {}),
        ({"password": "elevenchars"}, PASSWORD_RULE, {"count": 12}),
    ],
)
def test_a_bad_new_account_is_refused_and_nothing_is_stored(app, changes, message, params):
    client = admin(app)
    make_user(app, "gone", "supervisor", active=False)
    form = {"username": "kate", "display_name": "Kate", "role": "caseworker", "supervisor": "sv", "password": "p" * 12}
    response = client.post(USERS, data={**form, **changes})
    assert response.status_code == 422
    shown = text(response)
    assert translated(app, message, **params) in shown
    assert 'name="display_name" maxlength="128" value="Kate"' in shown  # the form comes back as it was filled in
    assert "p" * 12 not in shown
    with in_office(app):
        assert db.session.scalar(db.select(db.func.count(User.id))) == 8
    assert audit_log(app) == []


def test_the_admin_changes_name_supervisor_and_role(app):
    client = admin(app)
    cw2 = page(app, "cw2")
    assert 'value="cw2"' not in text(client.get(cw2))  # no one is offered as their own supervisor
    response = client.post(cw2, data=edit_form(app, "cw2", display_name="佐藤 次郎", supervisor="sv2"))
    assert response.status_code == 303 and response.headers["Location"].endswith(cw2)
    assert translated(app, "Changes to %(username)s saved.", username="cw2") in text(client.get(cw2))
    assert account(app, "cw2")["supervisor"] == "sv2" and account(app, "cw2")["display_name"] == "佐藤 次郎"
    response = client.post(cw2, data=edit_form(app, "cw2", role="supervisor", supervisor=""))
    assert response.status_code == 303
    assert account(app, "cw2")["role"] == "supervisor" and account(app, "cw2")["supervisor"] is None
    assert client.post(cw2, data=edit_form(app, "cw2")).status_code == 303
    assert translated(app, "Nothing changed.") in text(client.get(cw2))
    assert audit_log(app) == [
        ("admin", None, "cw2: supervisor sv → sv2, name caseworker cw2 → 佐藤 次郎"),
        ("admin", None, "cw2: role caseworker → supervisor, supervisor sv2 → —"),
    ]


def test_a_form_loaded_before_another_admins_change_is_refused(app):
    client = admin(app)
    cw2 = page(app, "cw2")
    form = text(client.get(cw2))
    loaded = re.search(r'name="version" value="(\d+)"', form).group(1)
    # Another admin moves cw2 to sv2's team meanwhile.
    assert client.post(cw2, data=edit_form(app, "cw2", supervisor="sv2")).status_code == 303
    stale = edit_form(app, "cw2", version=loaded, display_name="佐藤 次郎")  # still shows supervisor sv
    stale["supervisor"] = "sv"
    response = client.post(cw2, data=stale)
    assert response.status_code == 409
    message = "Someone changed this account after you opened it. Here it is as it is now; nothing was saved."
    assert translated(app, message) in text(response)
    assert account(app, "cw2")["supervisor"] == "sv2" and account(app, "cw2")["display_name"] != "佐藤 次郎"
    assert 'value="sv2" selected' in text(response)  # the form shows the account as it is now


@pytest.mark.parametrize(
    ("username", "changes", "message", "params"),
    [
        ("cw", {"role": "auditor"}, "Choose a role from the list.", {}),
        ("cw", {"supervisor": "cw2"}, "%(username)s is not an active supervisor.", {"username": "cw2"}),
        ("cw", {"role": "translator"}, "Only a caseworker has a supervisor.", {}),
        ("sv", {"role": "caseworker", "supervisor": "sv"}, "No one can be their own supervisor.", {}),
        (
            "admin",
            {"role": "supervisor"},
            "You cannot take the admin role from your own account. Another admin can.",
            {},
        ),
        (
            "sv",
            {"role": "caseworker"},
            "%(username)s still supervises %(names)s. Give them another supervisor first.",
            {"username": "sv", "names": "cw, cw2"},
        ),
    ],
)
def test_a_bad_change_is_refused_and_nothing_is_stored(app, username, changes, message, params):
    client = admin(app)
    before = account(app, username)
    response = client.post(page(app, username), data=edit_form(app, username, display_name="New name", **changes))
    assert response.status_code == 422
    assert translated(app, message, **params) in text(response)
    assert 'value="New name"' in text(response)
    assert account(app, username) == before
    assert audit_log(app) == []


def test_the_admin_cannot_lock_the_office_out(app):
    client = admin(app)
    response = client.post(page(app, "admin") + "/deactivate")
    assert response.status_code == 422
    assert translated(app, "You cannot deactivate your own account. Another admin can.") in text(response)
    assert account(app, "admin")["active"] and account(app, "admin")["role"] == "admin"
    assert client.get(USERS).status_code == 200


def test_a_supervisor_with_a_team_stays_until_the_team_has_another_supervisor(app):
    client = admin(app)
    response = client.post(page(app, "sv") + "/deactivate")
    assert response.status_code == 422
    still = "%(username)s still supervises %(names)s. Give them another supervisor first."
    assert translated(app, still, username="sv", names="cw, cw2") in text(response)
    assert account(app, "sv")["active"]
    for member in ("cw", "cw2"):
        assert client.post(page(app, member), data=edit_form(app, member, supervisor="sv2")).status_code == 303
    assert client.post(page(app, "sv") + "/deactivate").status_code == 303
    assert not account(app, "sv")["active"]
    assert sign_in(app.test_client(), "sv").status_code == 401
    assert 'value="sv"' not in text(client.get(page(app, "cw")))  # no longer offered as a supervisor
    assert client.post(page(app, "cw"), data=edit_form(app, "cw", supervisor="sv")).status_code == 422


def test_a_caseworker_with_open_cases_stays_until_the_cases_are_moved(app):
    client = admin(app)
    caseworker = app.test_client()
    sign_in(caseworker, "cw")
    first, _ = new_case(caseworker, "M-1", ticket=False)
    second, _ = new_case(caseworker, "M-2", ticket=False)
    closed, _ = new_case(caseworker, "M-3", ticket=False)
    caseworker.post(f"/caseworker/cases/{closed}/close", data={"reason": "moved"})
    cw = page(app, "cw")
    assert translated(app, "Open cases assigned to this account: %(count)s", count=2) in text(client.get(cw))
    waiting = (
        "%(username)s still has %(count)s open case. Move it to another caseworker first.",
        "%(username)s still has %(count)s open cases. Move them to another caseworker first.",
    )
    for response in (
        client.post(cw + "/deactivate"),
        client.post(cw, data=edit_form(app, "cw", role="supervisor", supervisor="")),
    ):
        assert response.status_code == 422
        assert translated(app, waiting, username="cw", count=2) in text(response)
    assert account(app, "cw")["active"] and account(app, "cw")["role"] == "caseworker"

    response = client.post(cw + "/cases", data={"to": "cw3"})
    assert response.status_code == 303
    moved = translated(app, "Open cases moved to %(name)s: %(count)s.", name="caseworker cw3", count=2)
    assert moved in text(client.get(cw))
    with in_office(app):
        holders = {c.case_number: c.caseworker.username for c in db.session.scalars(db.select(Case)).all()}
    assert holders == {"M-1": "cw3", "M-2": "cw3", "M-3": "cw"}
    assert audit_log(app, "reassign") == [("admin", first, "cw → cw3"), ("admin", second, "cw → cw3")]
    assert caseworker.get(f"/caseworker/cases/{first}").status_code == 403
    other = app.test_client()
    sign_in(other, "cw3")
    assert other.get(f"/caseworker/cases/{first}").status_code == 200
    assert client.get(f"/caseworker/cases/{first}").status_code == 403  # the admin still cannot read a case
    assert client.post(cw + "/deactivate").status_code == 303
    assert not account(app, "cw")["active"]


@pytest.mark.parametrize(
    ("owner", "to", "message", "params"),
    [
        ("cw", "tr", "Choose an active caseworker to take the cases.", {}),
        ("cw", "sv", "Choose an active caseworker to take the cases.", {}),
        ("cw", "gone", "Choose an active caseworker to take the cases.", {}),
        ("cw", "", "Choose an active caseworker to take the cases.", {}),
        ("cw", "cw", "Choose someone other than %(username)s.", {"username": "cw"}),
        ("cw2", "cw", "%(username)s has no open cases.", {"username": "cw2"}),
    ],
)
def test_moving_cases_to_a_wrong_person_is_refused(app, owner, to, message, params):
    client = admin(app)
    make_user(app, "gone", "caseworker", supervisor="sv", active=False)
    caseworker = app.test_client()
    sign_in(caseworker, "cw")
    case_id, _ = new_case(caseworker, "R-1", ticket=False)
    response = client.post(page(app, owner) + "/cases", data={"to": to})
    assert response.status_code == 422
    assert translated(app, message, **params) in text(response)
    assert caseworker.get(f"/caseworker/cases/{case_id}").status_code == 200
    assert audit_log(app, "reassign") == []


def test_the_admin_sets_a_new_password(app):
    client = admin(app)
    cw = page(app, "cw")
    before = account(app, "cw")["password_hash"]
    response = client.post(cw + "/password", data={"password": "too short"})
    assert response.status_code == 422
    assert translated(app, PASSWORD_RULE, count=12) in text(response)
    assert account(app, "cw")["password_hash"] == before
    response = client.post(cw + "/password", data={"password": NEW_PASSWORD})
    assert response.status_code == 303
    assert translated(app, "The new password for %(username)s is set.", username="cw") in text(client.get(cw))
    assert sign_in(app.test_client(), "cw", NEW_PASSWORD).status_code == 302
    assert sign_in(app.test_client(), "cw", PASSWORD).status_code == 401
    assert audit_log(app) == [("admin", None, "cw: password set")]
    assert NEW_PASSWORD not in all_audit_details(app) and "too short" not in all_audit_details(app)


def test_a_deactivated_account_is_signed_out_and_can_be_reactivated(app):
    client = admin(app)
    colleague = app.test_client()
    sign_in(colleague, "cw2")
    cw2 = page(app, "cw2")
    assert client.post(cw2 + "/deactivate").status_code == 303
    assert translated(app, "%(username)s is deactivated.", username="cw2") in text(client.get(cw2))
    assert colleague.get("/caseworker/cases").status_code == 302
    assert sign_in(app.test_client(), "cw2").status_code == 401
    assert client.post(cw2 + "/deactivate").status_code == 303
    assert translated(app, "Nothing changed.") in text(client.get(cw2))
    assert client.post(cw2 + "/reactivate").status_code == 303
    assert translated(app, "%(username)s can sign in again.", username="cw2") in text(client.get(cw2))
    assert sign_in(app.test_client(), "cw2").status_code == 302
    assert audit_log(app) == [("admin", None, "cw2: deactivated"), ("admin", None, "cw2: reactivated")]


def test_account_forms_need_their_csrf_token(csrf_app):
    make_office(csrf_app)
    client = csrf_app.test_client()

    def token(path: str) -> str:
        return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)

    login = {"username": "admin", "password": PASSWORD, "csrf_token": token("/caseworker/login")}
    assert client.post("/caseworker/login", data=login).status_code == 302
    code = {"code": one_time_code(csrf_app, "admin"), "csrf_token": token("/caseworker/login/code")}
    assert client.post("/caseworker/login/code", data=code).status_code == 302
    cw2 = page(csrf_app, "cw2")
    assert client.post(cw2 + "/deactivate").status_code == 400
    assert account(csrf_app, "cw2")["active"]
    assert client.post(cw2 + "/deactivate", data={"csrf_token": token(cw2)}).status_code == 303
    assert not account(csrf_app, "cw2")["active"]


def test_only_the_admin_reaches_the_account_pages(app):
    make_office(app)
    for username in ("sv", "cw", "tr"):
        client = app.test_client()
        sign_in(client, username)
        assert client.post(USERS, data={"username": "x"}).status_code == 403
        assert client.post(page(app, "cw2") + "/deactivate").status_code == 403
    assert account(app, "cw2")["active"]
    assert app.test_client().get(page(app, "cw2")).status_code == 302


def test_the_cli_follows_the_same_rules_and_is_audited(app, runner):
    make_office(app)
    result = runner.invoke(
        args=["intake", "users", "create", "x", "--role", "translator", "--supervisor", "sv", "--password", "p" * 12]
    )
    assert result.exit_code != 0 and "Only a caseworker has a supervisor." in result.output
    result = runner.invoke(args=["intake", "users", "deactivate", "sv"])
    assert result.exit_code != 0 and "sv still supervises cw, cw2" in result.output
    assert account(app, "sv")["active"] and account(app, "x") == {}
    result = runner.invoke(args=["intake", "users", "set-password", "cw", "--password", NEW_PASSWORD])
    assert result.exit_code == 0
    assert audit_log(app) == [(None, None, "cw: password set")]
    client = app.test_client()
    sign_in(client, "admin")
    assert translated(app, "Command line") in text(client.get("/caseworker/office/audit"))
