"""Yorisoi: a guided intake assistant for the self-reliance plan at Japanese welfare offices.

create_app() reads top to bottom: config → extensions → dialogues → blueprints → CLI.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from .config import DEFAULT_SECRET, ROOT, read_settings


def create_app(test_config: dict | None = None) -> Flask:
    from .unit_of_work import OneTransactionPerRequest  # every view is one transaction (unit_of_work.py)

    app = OneTransactionPerRequest(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    read_settings(app.config)
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL") or (
            f"sqlite:///{Path(app.instance_path) / 'yorisoi.sqlite3'}"
        )
        # The tables' owner, for `flask db upgrade` and `init-db`; the app itself connects as a role that owns nothing.
        app.config["OWNER_DATABASE_URI"] = os.environ.get("DATABASE_OWNER_URL") or None
    if app.config["PRODUCTION"] and app.config["SECRET_KEY"] in (DEFAULT_SECRET, "", None):
        raise RuntimeError("Set YORISOI_SECRET_KEY: production refuses to start with the default secret key.")
    if app.config["PRODUCTION"] and app.config["KIOSK_IDLE_WARNING_SECONDS"] < 20:
        raise RuntimeError("KIOSK_IDLE_WARNING_SECONDS must give at least 20 seconds to continue (WCAG 2.2.1).")

    from . import database, i18n, security, static_files, unit_of_work
    from .extensions import csrf, db, login_manager

    database.configure(app)
    db.init_app(app)
    database.init_app(app)
    unit_of_work.init_app(app)
    i18n.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "caseworker.login"
    csrf.init_app(app)
    security.init_app(app)
    static_files.init_app(app)

    from .domain.office import load_engines

    app.extensions["yorisoi.engines"] = load_engines(Path(app.config["DIALOGUES_DIR"]), app.config["LANGUAGES"])

    from .web import (
        api,
        caseworker,
        embed,
        health,
        kiosk,
        kiosk_check_in,
        kiosk_code,
        offices,
        purging,
        root,
        translator,
    )

    offices.init_app(app)  # first: every request settles its office before anything else reads the database
    purging.init_app(app)  # after a request's own transaction: its office's due records, now and then

    for blueprint in (root.bp, health.bp, kiosk.bp, api.bp, translator.bp, embed.bp, kiosk_code.bp, kiosk_check_in.bp):
        app.register_blueprint(blueprint)
    for blueprint in caseworker.BLUEPRINTS:
        app.register_blueprint(blueprint)
    from .web import api_errors

    api_errors.init_app(app)

    from . import cli

    cli.init_app(app)
    return app
