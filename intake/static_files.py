"""Static files on the wire: URLs that carry a content hash, a year's caching for them, compression, the favicon.

`url_for('static', filename=…)` adds `?v=<hash of the file's bytes>`; a request whose `v` is the file's
current hash may be kept for a year unchanged (`immutable`), so a kiosk loads the CSS and JavaScript once per
release. Without `v` (an office page that embeds widget.js by its plain URL) the browser revalidates each time.
Pages and JSON are compressed per response by Flask-Compress; a static file is compressed once per release at
the highest level (brotli 11, else gzip 9) and kept in memory (docs/deployment.md). CSS and JavaScript are
minified first (rcssmin, rjsmin: comments and spaces dropped, nothing renamed), so the sources keep their comments.
"""

from __future__ import annotations

import gzip
import hashlib
import os

import brotli
import rcssmin
import rjsmin
from flask import Flask, current_app, request

from .extensions import compress

YEAR_S = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={YEAR_S}, immutable"
# What is compressed (images other than SVG are compressed already).
COMPRESSED_TYPES = [
    "text/html",
    "text/css",
    "text/plain",
    "text/csv",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
]
MIN_SIZE = 500  # a static file smaller than this gains less than the header costs
# A page or JSON reply is compressed per request: below about one TCP segment it would arrive no sooner,
# so most step replies of the API (about 1.2 KB) skip the work.
DYNAMIC_MIN_SIZE = 1400
# What the wire carries of a file, by its extension: the same code without comments and spaces.
MINIFIERS = {
    ".css": lambda data: rcssmin.cssmin(data.decode("utf-8")).encode("utf-8"),
    ".js": lambda data: rjsmin.jsmin(data.decode("utf-8")).encode("utf-8"),
}
PACKERS = {
    "br": lambda data: brotli.compress(data, quality=11),
    "gzip": lambda data: gzip.compress(data, compresslevel=9, mtime=0),
}


class StaticFile:
    """One static file as last read from disk: its bytes, their short hash, and its compressed forms."""

    def __init__(self, mtime: int, data: bytes, minify=None):
        self.mtime = mtime
        self.data = minify(data) if minify else data
        self.version = hashlib.sha256(data).hexdigest()[:12]
        self.packed: dict[str, bytes] = {}

    def packed_as(self, encoding: str) -> bytes:
        if encoding not in self.packed:
            self.packed[encoding] = PACKERS[encoding](self.data)
        return self.packed[encoding]


class StaticFiles:
    """The static folder's files, read again only when one changes on disk (a stat per look-up)."""

    def __init__(self, folder: str):
        self.folder = folder
        self._files: dict[str, StaticFile] = {}

    def get(self, filename: str) -> StaticFile | None:
        path = os.path.join(self.folder, filename)
        try:
            mtime = os.stat(path).st_mtime_ns
        except (OSError, ValueError):
            return None
        known = self._files.get(filename)
        if known is None or known.mtime != mtime:
            with open(path, "rb") as file:
                minify = MINIFIERS.get(os.path.splitext(filename)[1])
                known = self._files[filename] = StaticFile(mtime, file.read(), minify)
        return known

    def version(self, filename: str) -> str | None:
        known = self.get(filename)
        return known.version if known else None


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_MIN_SIZE", DYNAMIC_MIN_SIZE)
    compress.init_app(app)
    files = StaticFiles(app.static_folder)
    app.extensions["yorisoi.static_files"] = files

    @app.url_defaults
    def _versioned_static(endpoint, values):
        # A caller that passes v=None (the embed snippet an office copies) gets the plain URL.
        if endpoint == "static" and "filename" in values and "v" not in values:
            values["v"] = files.version(values["filename"])

    # Registered after Flask-Compress, so it runs before it (Flask runs after_request hooks last-in first).
    @app.after_request
    def _static_on_the_wire(response):
        if request.endpoint == "static" and response.status_code == 200:
            static = files.get(request.view_args["filename"])
            if static is None:
                return response
            if request.args.get("v") == static.version:
                response.headers["Cache-Control"] = IMMUTABLE
            if response.mimetype in COMPRESSED_TYPES and len(static.data) >= MIN_SIZE:
                _send_packed(response, static)
        return response

    app.add_url_rule("/favicon.ico", "favicon", favicon)


def _send_packed(response, static: StaticFile) -> None:
    """Answer with the file's compressed form the client accepts, or its bytes whole; never a half-read file."""
    accepted = request.accept_encodings
    encoding = next((name for name in PACKERS if accepted[name]), None)
    opened = response.response
    response.direct_passthrough = False
    response.set_data(static.packed_as(encoding) if encoding else static.data)
    if hasattr(opened, "close"):
        opened.close()
    response.vary.add("Accept-Encoding")
    if encoding:
        response.headers["Content-Encoding"] = encoding
        # The same validator for every encoding is only weakly equal (RFC 9110 8.8.1).
        etag, weak = response.get_etag()
        if etag and not weak:
            response.set_etag(etag, weak=True)


def favicon():
    """The icon a browser asks for at /favicon.ico (pages link the SVG by its versioned URL)."""
    response = current_app.send_static_file("favicon.ico")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
