"""The caseworker's side (minimal for now): sign in, the submitted drafts, one draft plan in Japanese."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext, refresh
from flask_login import current_user, login_required, login_user, logout_user

from ..domain.plan import goal_text
from ..extensions import db, login_manager
from ..i18n import CASEWORKER_LOCALE
from ..models import Intake, IntakeStatus, User
from ..security import address_and_username, rate_limit, rejected
from .common import engines, no_store

bp = Blueprint("caseworker", __name__, url_prefix="/caseworker")


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


@bp.before_request
def _japanese():
    g.locale = CASEWORKER_LOCALE
    refresh()


# Translators preview catalogues; recipients' answers are none of their business (APPI Art. 61).
NO_DRAFTS_ROLES = {"translator"}


@bp.before_request
def _no_translators():
    if request.endpoint not in {"caseworker.login", "caseworker.logout"} and (
        current_user.is_authenticated and current_user.role in NO_DRAFTS_ROLES
    ):
        abort(403)


@bp.after_request
def _no_store(response):
    return no_store(response)


@bp.route("/login", methods=["GET", "POST"])
@rate_limit("RATELIMIT_LOGIN", methods=["POST"], key_func=address_and_username, deduct_when=rejected)
@rate_limit("RATELIMIT_LOGIN_ADDRESS", methods=["POST"])
def login():
    """Sign in with a username and password."""
    if request.method == "POST":
        user = db.session.scalar(db.select(User).filter_by(username=request.form.get("username", "")))
        if user is not None and user.active and user.check_password(request.form.get("password", "")):
            login_user(user)
            home = url_for("translator.index") if user.role in NO_DRAFTS_ROLES else url_for("caseworker.drafts")
            return redirect(_safe_next() or home)
        flash(gettext("The username or password is not correct."))
        return render_template("caseworker/login.html"), 401
    return render_template("caseworker/login.html")


def _safe_next() -> str | None:
    """Where Flask-Login sent the user from (e.g. the translator pages): a path on this site only."""
    target = request.args.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else None


@bp.post("/logout")
def logout():
    """Sign out."""
    logout_user()
    return redirect(url_for("caseworker.login"))


@bp.get("/")
@login_required
def drafts():
    """Submitted drafts, newest first."""
    intakes = db.session.scalars(
        db.select(Intake).filter_by(status=IntakeStatus.SUBMITTED).order_by(Intake.submitted_at.desc())
    ).all()
    return render_template("caseworker/drafts.html", intakes=intakes, engines=engines())


@bp.get("/drafts/<int:intake_id>")
@login_required
def draft(intake_id: int):
    """One draft self-reliance plan, in Japanese whatever language the recipient used."""
    intake = db.session.get(Intake, intake_id)
    if intake is None or intake.plan is None:
        abort(404)
    engine = engines()[intake.dialogue_id]
    plan = intake.plan.content
    return render_template(
        "caseworker/draft.html",
        intake=intake,
        plan=plan,
        engine=engine,
        goal_source=goal_text(engine, plan),
        programs={p.id: p for p in engine.programs},
        answers=engine.live_answers(intake.answers),
        user=current_user,
    )
