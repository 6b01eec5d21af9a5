"""Embedding the kiosk in an office web page: who may frame it, and a demo host page.

An office page adds the widget with one tag, `<script src=".../static/widget.js" defer>`; the script
opens the kiosk pages in an iframe panel. Only the sources in FRAME_ANCESTORS may frame them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, render_template

bp = Blueprint("embed", __name__, url_prefix="/embed")
_KEYWORDS = {"'self'", "'none'"}
_ORIGIN = re.compile(r"https?://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?", re.IGNORECASE)
# The kiosk pages need nothing else: our own scripts and styles, nothing inline, fetch to ourselves.
_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'{exit}; frame-ancestors {ancestors}"
)


def frame_ancestors() -> str:
    """The CSP frame-ancestors sources: the configured keywords and bare scheme://host[:port] origins."""
    configured = current_app.config["FRAME_ANCESTORS"]
    if isinstance(configured, str):  # from the environment as one space-separated value
        configured = configured.split()
    return _frame_ancestors(tuple(str(source) for source in configured))


@lru_cache(maxsize=16)
def _frame_ancestors(configured: tuple[str, ...]) -> str:
    sources = []
    for source in configured:
        source = source.strip()
        # Only keywords and bare origins: a path, a wildcard or a separator could widen or break the policy.
        if source in _KEYWORDS or _ORIGIN.fullmatch(source):
            sources.append(source)
    return " ".join(sources) or "'none'"


def content_security_policy() -> str:
    """The policy of every page (security.py sends it); "Exit this page" without JavaScript is a form whose redirect may leave the site."""
    return _policy(current_app.config["QUICK_EXIT_URL"], frame_ancestors())


@lru_cache(maxsize=16)  # every response sends it: worked out once per configuration, not per request
def _policy(quick_exit_url: str, ancestors: str) -> str:
    exit_url = urlsplit(quick_exit_url)
    exit_origin = f"{exit_url.scheme}://{exit_url.netloc}"
    exit_origin = f" {exit_origin}" if _ORIGIN.fullmatch(exit_origin) else ""
    return _POLICY.format(exit=exit_origin, ancestors=ancestors)


@bp.get("/demo")
def demo():
    """A stand-in for an office web page with the widget embedded by one script tag."""
    if not current_app.config["EMBED_DEMO"]:
        abort(404)
    return render_template("embed/demo.html")
