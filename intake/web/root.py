"""The site root: where a browser lands without a path."""

from flask import Blueprint, redirect, url_for

bp = Blueprint("root", __name__)


@bp.get("/")
def index():
    """Send visitors to the kiosk."""
    return redirect(url_for("kiosk.landing"))
