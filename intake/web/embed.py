"""Embedding the kiosk in an office web page: the allowed framing origins and a demo host page.

An office page adds the widget with one tag, `<script src=".../static/widget.js" defer>`; the script
opens the kiosk pages in an iframe panel. Only origins in EMBED_ORIGINS may frame them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, render_template

bp = Blueprint("embed", __name__, url_prefix="/embed")


def frame_ancestors() -> str:
    """The CSP frame-ancestors source list: this server and the configured office origins."""
    sources = ["'self'"]
    for origin in current_app.config["EMBED_ORIGINS"]:
        parts = urlsplit(str(origin))
        # Only a bare scheme://host[:port]: anything else could widen or break the policy.
        if parts.scheme in {"https", "http"} and parts.netloc and not (parts.path.strip("/") or parts.query):
            sources.append(f"{parts.scheme}://{parts.netloc}")
    return " ".join(sources)


@bp.get("/demo")
def demo():
    """A stand-in for an office web page with the widget embedded by one script tag."""
    if not current_app.config["EMBED_DEMO"]:
        abort(404)
    return render_template("embed/demo.html")
