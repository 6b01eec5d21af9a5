"""Embedding the kiosk in an office web page: who may frame it, and a demo host page.

An office page adds the widget with one tag, `<script src=".../static/widget.js" defer>`; the script
opens the kiosk pages in an iframe panel. Only the sources in FRAME_ANCESTORS may frame them (security.py's
Content-Security-Policy).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

bp = Blueprint("embed", __name__, url_prefix="/embed")


@bp.get("/demo")
def demo():
    """A stand-in for an office web page with the widget embedded by one script tag."""
    if not current_app.config["EMBED_DEMO"]:
        abort(404)
    return render_template("embed/demo.html")
