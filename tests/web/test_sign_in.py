"""Signing in with a second factor, sessions that end, passwords as NIST SP 800-63B asks, and waits instead of lockouts.

Each refusal is checked as a person would see it (the Japanese message), in the audit log, and for
what it must not have changed (no session, no spent code, no new password).
"""

from __future__ import annotations

import re
import secrets
import time

import pyotp
import pytest
from conftest import in_office
from staff import PASSWORD, make_office, make_user, one_time_code, sign_in, totp_secret

from intake.extensions import db
from intake.records import AuditEntry, Office, RecoveryCode, StaffSession, User
from intake.services import second_factor


def _user(app, username: str) -> User:
    with in_office(app):
        user = db.session.scalar(db.select(User).filter_by(username=username))
        db.session.expunge(user)
        return user


def _audit(app, action: str) -> list[str]:
    with in_office(app):
        return list(db.session.scalars(db.select(AuditEntry.detail).filter_by(action=action).order_by(AuditEntry.id)))


def _open_sessions(app, username: str) -> int:
    with in_office(app):
        user_id = db.session.scalar(db.select(User.id).filter_by(username=username))
        return db.session.scalar(
            db.select(db.func.count(StaffSession.id)).where(
                StaffSession.user_id == user_id, StaffSession.ended_at.is_(None)
            )
        )


def _password_step(client, username: str = "cw", password: str = PASSWORD):
    response = client.post("/caseworker/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    return response.headers["Location"]


def _code_at(username: str, steps_from_now: int) -> str:
    return pyotp.TOTP(totp_secret(username)).at((second_factor.now_step() + steps_from_now) * 30)


def _page(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def cw(app):
    make_user(app, "cw", "caseworker")
    return app


# --- the second step ---------------------------------------------------------------------------------


def test_a_password_alone_does_not_sign_in_where_the_office_requires_a_code(cw, client):
    assert _password_step(client) == "/caseworker/login/code"
    assert client.get("/caseworker/cases").status_code == 302  # not signed in yet
    response = client.post("/caseworker/login/code", data={"code": one_time_code(cw, "cw")})
    assert response.status_code == 302 and response.headers["Location"].endswith("/caseworker/")
    assert client.get("/caseworker/cases").status_code == 200
    assert _audit(cw, "sign_in") == [""] and _open_sessions(cw, "cw") == 1


@pytest.mark.parametrize("which", ["wrong", "expired", "replayed"])
def test_a_wrong_expired_or_replayed_code_is_refused_audited_and_changes_nothing(cw, client, which):
    if which == "replayed":  # the code was used a moment ago (seen over a shoulder, sent again)
        sign_in(cw.test_client(), "cw")
        code = _code_at("cw", _user(cw, "cw").totp_last_step - second_factor.now_step())
    else:
        valid_now = {_code_at("cw", step) for step in (-1, 0, 1)}
        wrong = next(code for code in ("000000", "111111", "222222", "333333") if code not in valid_now)
        code = {"wrong": wrong, "expired": _code_at("cw", -3)}[which]
    before = _user(cw, "cw")
    _password_step(client)
    response = client.post("/caseworker/login/code", data={"code": code})
    assert response.status_code == 401
    assert "コードが正しくないか、有効期限が切れているか、すでに使われています。" in _page(response)
    assert client.get("/caseworker/cases").status_code == 302
    after = _user(cw, "cw")
    assert after.totp_last_step == before.totp_last_step
    assert _open_sessions(cw, "cw") == (1 if which == "replayed" else 0)
    assert _audit(cw, "sign_in_failed") == ["code"]


def test_wrong_codes_make_the_next_one_wait_and_the_page_says_until_when(cw, client):
    cw.config["SIGN_IN_FREE_FAILURES"] = 2
    _password_step(client)
    statuses = [client.post("/caseworker/login/code", data={"code": "000000"}).status_code for _ in range(2)]
    waiting = client.post("/caseworker/login/code", data={"code": one_time_code(cw, "cw")})
    assert statuses == [401, 401] and waiting.status_code == 429
    assert re.search(r"\d\d:\d\d:\d\d 以降にもう一度コードを入力してください", _page(waiting))
    assert _open_sessions(cw, "cw") == 0


def test_the_second_step_needs_the_first(cw, client):
    response = client.post("/caseworker/login/code", data={"code": one_time_code(cw, "cw")})
    assert response.status_code == 302 and response.headers["Location"] == "/caseworker/login"
    assert "先にユーザー名とパスワードを入力してください。" in _page(client.get("/caseworker/login"))


# --- enrolling and recovery codes ----------------------------------------------------------------


def _enrol(app, client, username: str) -> list[str]:
    assert _password_step(client, username) == "/caseworker/login/enrol"
    page = _page(client.get("/caseworker/login/enrol"))
    assert "<svg" in page and "ワンタイムコードの設定" in page
    secret = "".join(re.search(r'data-testid="totp-secret">([^<]+)<', page).group(1).split())
    refused = client.post("/caseworker/login/enrol", data={"code": "000000"})
    assert refused.status_code == 422 and "コードが正しくありません。" in _page(refused)
    done = client.post("/caseworker/login/enrol", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    return re.findall(r"<li><code>([A-Z0-9]{5}-[A-Z0-9]{5})</code></li>", _page(done))


def test_a_new_account_enrols_at_its_first_sign_in_and_gets_ten_recovery_codes_once(app, client, runner):
    created = runner.invoke(args=["intake", "users", "create", "kate", "--role", "caseworker", "--password", PASSWORD])
    assert created.exit_code == 0, created.output
    codes = _enrol(app, client, "kate")
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/caseworker/cases").status_code == 200
    with in_office(app):
        stored = db.session.scalars(db.select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not any(code.replace("-", "") in hashed for code in codes for hashed in stored)
    assert _audit(app, "factor_enrolled") == ["totp"]


def test_a_recovery_code_works_exactly_once(app, client, runner):
    runner.invoke(args=["intake", "users", "create", "kate", "--role", "caseworker", "--password", PASSWORD])
    codes = _enrol(app, client, "kate")
    client.post("/caseworker/logout")
    again = app.test_client()
    _password_step(again, "kate")
    assert again.post("/caseworker/login/code", data={"code": codes[3].lower()}).status_code == 302
    assert again.get("/caseworker/cases").status_code == 200
    assert _audit(app, "recovery_code_used") == ["9"]
    third = app.test_client()
    _password_step(third, "kate")
    refused = third.post("/caseworker/login/code", data={"code": codes[3]})
    assert refused.status_code == 401 and "まだ使っていないリカバリーコード" in _page(refused)
    assert third.get("/caseworker/cases").status_code == 302
    assert _audit(app, "sign_in_failed") == ["enrolment code", "recovery code"]  # _enrol tries a wrong code first


def test_the_admin_resets_a_factor_and_the_person_enrols_again(app, client):
    make_office(app)
    sign_in(client, "admin")
    victim = app.test_client()
    sign_in(victim, "cw")
    cw_id = _user(app, "cw").id
    page = _page(client.get(f"/caseworker/office/users/{cw_id}"))
    assert "設定済みです。残りのリカバリーコードは0個です。" in page
    response = client.post(f"/caseworker/office/users/{cw_id}/factor/reset")
    assert response.status_code == 303
    assert _user(app, "cw").totp_secret is None and _audit(app, "factor_reset") == ["cw"]
    assert victim.get("/caseworker/cases").status_code == 302  # the sessions ended with it
    assert _password_step(app.test_client(), "cw") == "/caseworker/login/enrol"
    # Nothing left to reset: refused in Japanese, nothing changed.
    refused = client.post(f"/caseworker/office/users/{cw_id}/factor/reset")
    assert refused.status_code == 422 and "リセットする二段階認証が設定されていません" in _page(refused)


def test_an_office_that_does_not_require_the_factor_signs_in_with_the_password(app, client, runner):
    assert runner.invoke(args=["intake", "office", "second-factor", "main", "optional"]).exit_code == 0
    runner.invoke(args=["intake", "users", "create", "kate", "--role", "caseworker", "--password", PASSWORD])
    response = client.post("/caseworker/login", data={"username": "kate", "password": PASSWORD})
    assert response.headers["Location"].endswith("/caseworker/")
    assert client.get("/caseworker/cases").status_code == 200


def test_new_offices_require_the_factor(app):
    from intake.services.offices import create_office

    with app.app_context():
        office = create_office("north", name="北福祉事務所", head_title="")
        db.session.commit()
        assert office.second_factor_required
        assert db.session.scalar(db.select(Office.second_factor_required).filter_by(code="main"))


def test_operators_provision_a_factor_from_the_command_line(app, client, runner):
    secret = pyotp.random_base32()
    created = runner.invoke(
        args=["intake", "users", "create", "kate", "--role", "caseworker", "--password", PASSWORD, "--totp-secret", secret]
    )
    assert created.exit_code == 0, created.output
    assert _password_step(client, "kate") == "/caseworker/login/code"
    assert client.post("/caseworker/login/code", data={"code": pyotp.TOTP(secret).now()}).status_code == 302
    bad = runner.invoke(args=["intake", "users", "create", "z", "--role", "admin", "--password", PASSWORD, "--totp-secret", "abc"])
    assert bad.exit_code != 0 and "base32" in bad.output
    printed = runner.invoke(args=["intake", "users", "totp", "kate"])
    new_secret = printed.output.splitlines()[0]
    assert printed.exit_code == 0 and new_secret != secret and "otpauth://totp/" in printed.output
    code = runner.invoke(args=["intake", "users", "code", "kate"]).output.strip()
    assert code == pyotp.TOTP(new_secret).now()


# --- sessions that end ------------------------------------------------------------------------------


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _with_cookie(app, value: str):
    client = app.test_client()
    client.set_cookie("session", value)
    return client


def test_a_cookie_copied_before_sign_out_opens_nothing_afterwards(cw, client):
    sign_in(client, "cw")
    copied = _cookie(client)
    assert _with_cookie(cw, copied).get("/caseworker/cases").status_code == 200
    client.post("/caseworker/logout")
    thief = _with_cookie(cw, copied)
    response = thief.get("/caseworker/cases")
    assert response.status_code == 302 and "/caseworker/login" in response.headers["Location"]
    assert "このセッションは終了しています。もう一度ログインしてください。" in _page(thief.get("/caseworker/login"))
    assert thief.post("/caseworker/cases/new", data={"case_number": "X-1", "name": "x", "language": "ja"}).status_code == 302
    with in_office(cw):
        assert db.session.scalar(db.select(db.func.count()).select_from(StaffSession).filter_by(ended_reason="signed_out")) == 1
    assert _audit(cw, "sign_out") == [""]
    assert _audit(cw, "session_ended") == ["cw: signed_out"]
    assert _audit(cw, "session_refused")[0] == "cw: ended"


def test_a_forged_session_id_is_refused_and_audited(cw):
    serializer = cw.session_interface.get_signing_serializer(cw)
    with cw.app_context():
        office_id = db.session.scalar(db.select(Office.id).filter_by(code="main"))
    now = time.time()
    forged = serializer.dumps(
        {"_user_id": f"{office_id}.{secrets.token_urlsafe(32)}", "_fresh": True, "staff_seen": now, "staff_signed_in": now}
    )
    client = _with_cookie(cw, forged)
    assert client.get("/caseworker/cases").status_code == 302
    assert "このセッションは無効です。もう一度ログインしてください。" in _page(client.get("/caseworker/login"))
    # The id of an account, as the cookie held it before sessions were kept: no longer anything.
    old_style = serializer.dumps({"_user_id": str(_user(cw, "cw").id), "staff_seen": now, "staff_signed_in": now})
    assert _with_cookie(cw, old_style).get("/caseworker/cases").status_code == 302
    assert _audit(cw, "session_refused") == ["unknown", "unknown"]


def test_the_old_cookie_of_a_deactivated_user_is_refused(app, client, runner):
    make_office(app)
    sign_in(client, "cw3")
    copied = _cookie(client)
    assert runner.invoke(args=["intake", "users", "deactivate", "cw3"]).exit_code == 0
    refused = _with_cookie(app, copied)
    assert refused.get("/caseworker/cases").status_code == 302
    assert "このセッションは終了しています。" in _page(refused.get("/caseworker/login"))
    assert _audit(app, "session_ended") == ["cw3: deactivated (1)"]
    assert _open_sessions(app, "cw3") == 0


def test_a_password_change_ends_the_other_sessions_but_not_this_one(cw, client):
    sign_in(client, "cw")
    other = cw.test_client()
    sign_in(other, "cw")
    new = "a different long phrase"
    mismatch = client.post(
        "/caseworker/password", data={"current_password": PASSWORD, "new_password": new, "repeat_password": "x"}
    )
    assert mismatch.status_code == 422 and "2回入力した新しいパスワードが一致しません。" in _page(mismatch)
    wrong = client.post(
        "/caseworker/password", data={"current_password": "nope", "new_password": new, "repeat_password": new}
    )
    assert wrong.status_code == 422 and "現在のパスワードが正しくありません。" in _page(wrong)
    assert other.get("/caseworker/cases").status_code == 200  # nothing changed so far
    done = client.post(
        "/caseworker/password", data={"current_password": PASSWORD, "new_password": new, "repeat_password": new}
    )
    assert done.status_code == 303
    assert client.get("/caseworker/cases").status_code == 200
    assert other.get("/caseworker/cases").status_code == 302
    assert _audit(cw, "session_ended") == ["cw: password_changed (1)"]


def test_the_admin_ends_every_session_of_an_account_and_a_new_password_does_too(app, client):
    make_office(app)
    sign_in(client, "admin")
    one, two = app.test_client(), app.test_client()
    sign_in(one, "cw")
    sign_in(two, "cw")
    cw_id = _user(app, "cw").id
    assert "現在2件のブラウザーでログインしています。" in _page(client.get(f"/caseworker/office/users/{cw_id}"))
    assert client.post(f"/caseworker/office/users/{cw_id}/sessions/end").status_code == 303
    assert one.get("/caseworker/cases").status_code == 302 and two.get("/caseworker/cases").status_code == 302
    refused = client.post(f"/caseworker/office/users/{cw_id}/sessions/end")
    assert refused.status_code == 422 and "ログインしているセッションはありません" in _page(refused)
    sign_in(one, "cw")
    response = client.post(f"/caseworker/office/users/{cw_id}/password", data={"password": "a brand new phrase"})
    assert response.status_code == 303 and one.get("/caseworker/cases").status_code == 302
    assert _audit(app, "session_ended") == ["cw: ended_by_admin (2)", "cw: password_set (1)"]


# --- passwords -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password, says",
    [
        ("short", "パスワードは12文字以上にしてください。"),
        ("aaaaaaaaaaaa", "推測されやすいパスワードです"),
        ("password1234", "よく使われているパスワード"),
        ("kate-is-my-name-ok", "パスワードにユーザー名を含めることはできません。"),
        ("デモ福祉事務所のパスワードです", "パスワードに事務所名を含めることはできません。"),  # the office's name
    ],
)
def test_passwords_the_rules_refuse_are_refused_in_japanese_and_nothing_is_created(app, client, password, says):
    make_office(app)
    sign_in(client, "admin")
    form = {"username": "kate", "display_name": "", "role": "caseworker", "supervisor": "", "password": password}
    response = client.post("/caseworker/office/users", data=form)
    assert response.status_code == 422 and says in _page(response)
    with in_office(app):
        assert db.session.scalar(db.select(User.id).filter_by(username="kate")) is None


def test_an_account_whose_password_the_rules_now_refuse_changes_it_at_sign_in(cw, client):
    with in_office(cw):
        user = db.session.scalar(db.select(User).filter_by(username="cw"))
        user.set_password("aaaaaaaaaaaa")  # accepted before these rules
        db.session.commit()
    sign_in(client, "cw", "aaaaaaaaaaaa")
    response = client.get("/caseworker/cases")
    assert response.status_code == 302 and response.headers["Location"] == "/caseworker/password"
    assert "現在のパスワードは事務所の規則を満たしていません。" in _page(client.get("/caseworker/password"))
    weak = client.post(
        "/caseworker/password",
        data={"current_password": "aaaaaaaaaaaa", "new_password": "bbbbbbbbbbbb", "repeat_password": "bbbbbbbbbbbb"},
    )
    assert weak.status_code == 422 and "推測されやすいパスワードです" in _page(weak)
    new = "a different long phrase"
    client.post("/caseworker/password", data={"current_password": "aaaaaaaaaaaa", "new_password": new, "repeat_password": new})
    assert client.get("/caseworker/cases").status_code == 200
    assert not _user(cw, "cw").password_change_required


# --- waits, never lockouts --------------------------------------------------------------------------


def test_someone_elses_failures_never_keep_the_right_person_out_even_from_the_same_address(cw, client):
    """Guesses at cw's password from the office's one address make a wait; cw, with the password and a code, gets in."""
    cw.config.update(SIGN_IN_FREE_FAILURES=3, SIGN_IN_ADDRESS_FREE_FAILURES=3)
    attacker = cw.test_client()
    for _ in range(6):
        attacker.post("/caseworker/login", data={"username": "cw", "password": "guess"})
    # A password alone is not checked now, right or wrong: the same answer either way (no oracle).
    right = client.post("/caseworker/login", data={"username": "cw", "password": PASSWORD})
    wrong = attacker.post("/caseworker/login", data={"username": "cw", "password": "another guess"})
    assert right.status_code == wrong.status_code == 429
    message = re.compile(r"パスワードだけでのログインは \d\d:\d\d:\d\d 以降に受け付けます")
    assert message.search(_page(right)) and message.search(_page(wrong))
    assert _page(right).count('name="code"') == 1
    # Guessing password and code together stays refused, with the same answer.
    both = attacker.post("/caseworker/login", data={"username": "cw", "password": "guess", "code": "123456"})
    assert both.status_code == 429 and message.search(_page(both))
    # The right password with a valid code: in at once.
    signed_in = client.post(
        "/caseworker/login", data={"username": "cw", "password": PASSWORD, "code": one_time_code(cw, "cw")}
    )
    assert signed_in.status_code == 302 and client.get("/caseworker/cases").status_code == 200
    assert "while waiting" in _audit(cw, "sign_in_failed")[-1]
    # Another colleague at the same address, enrolled, gets in the same way.
    make_user(cw, "cw2", "caseworker")
    colleague = cw.test_client()
    response = colleague.post(
        "/caseworker/login", data={"username": "cw2", "password": PASSWORD, "code": one_time_code(cw, "cw2")}
    )
    assert response.status_code == 302


def test_the_wait_doubles_and_is_capped(app):
    from intake.services.throttle import delay_after

    with app.app_context():
        assert [delay_after(n, 5) for n in (4, 5, 6, 7, 30)] == [0, 1, 2, 4, app.config["SIGN_IN_MAX_DELAY_SECONDS"]]


def test_failures_and_sign_ins_are_in_the_audit_log(cw, client):
    client.post("/caseworker/login", data={"username": "cw", "password": "wrong"})
    client.post("/caseworker/login", data={"username": "nobody", "password": "wrong"})
    assert _audit(cw, "sign_in_failed") == ["password", "nobody: password"]
    sign_in(client, "cw")
    client.post("/caseworker/logout")
    assert _audit(cw, "sign_in") == [""] and _audit(cw, "sign_out") == [""]
    # The admin reads them in Japanese, on the page and in the CSV.
    make_user(cw, "ad", "admin")
    admin = cw.test_client()
    sign_in(admin, "ad")
    page = _page(admin.get("/caseworker/office/audit"))
    exported = admin.get("/caseworker/office/audit.csv").get_data().decode("utf-8-sig")
    for shown in (page, exported):
        assert "ログイン失敗" in shown and "nobody: パスワードの誤り、または存在しないユーザー名" in shown
        assert "cw: ログアウト" in shown  # the session that ended, and why
        assert "signed_out" not in shown and "nobody: password" not in shown


def test_a_translator_whose_password_the_rules_refuse_changes_it_before_translating(app, client):
    make_user(app, "tr", "translator")
    with in_office(app):
        db.session.scalar(db.select(User).filter_by(username="tr")).set_password("aaaaaaaaaaaa")
        db.session.commit()
    sign_in(client, "tr", "aaaaaaaaaaaa")
    response = client.get("/translate/")
    assert response.status_code == 302 and response.headers["Location"] == "/caseworker/password"


def test_a_session_past_the_absolute_limit_is_deleted_by_the_purge_and_its_cookie_opens_nothing(cw, client, runner):
    from datetime import timedelta

    from intake.records import utcnow

    assert sign_in(client, "cw").status_code == 302
    with in_office(cw):
        db.session.execute(db.update(StaffSession).values(created_at=utcnow() - timedelta(hours=8, minutes=1)))
        db.session.commit()
    assert runner.invoke(args=["intake", "purge"]).exit_code == 0
    with in_office(cw):
        assert db.session.scalar(db.select(db.func.count()).select_from(StaffSession)) == 0
    response = client.get("/caseworker/cases")
    assert response.status_code == 302 and "/caseworker/login" in response.headers["Location"]
