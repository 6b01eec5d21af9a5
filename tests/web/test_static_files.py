"""Compressed pages and JSON, static files cached for a year by content hash, and the favicon."""

from __future__ import annotations

import gzip
import hashlib
import re

import brotli
import pytest

from intake.config import ROOT
from intake.static_files import MINIFIERS

CHROMIUM_ACCEPTS = "gzip, deflate, br, zstd"


def static_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def without_csrf_tokens(html: bytes) -> bytes:
    """A page with its CSRF tokens blanked: they are signed with the time, so two requests differ there."""
    return re.sub(rb'(name="csrf-token" content|name="csrf_token" value)="[^"]*"', rb'\1=""', html)


def fetch(client, url: str, **headers):
    """GET a URL and read it whole; the file behind a static response is closed again."""
    response = client.get(url, headers=headers)
    response.get_data()
    response.close()
    return response


def start_intake(client) -> str:
    """The first question's page (the kiosk's start button, followed)."""
    return client.post("/kiosk/start", follow_redirects=True).get_data(as_text=True)


def test_kiosk_page_is_compressed_and_still_never_stored(client):
    plain = client.get("/kiosk/").get_data()
    response = client.get("/kiosk/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert without_csrf_tokens(gzip.decompress(response.get_data())) == without_csrf_tokens(plain)
    assert len(response.get_data()) < len(plain) / 2


def test_json_is_compressed(client):
    plain = client.get("/api/v1/openapi.json").get_data()
    response = client.get("/api/v1/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.get_data()) == plain


def test_nothing_is_compressed_for_a_client_that_did_not_ask(client):
    assert "Content-Encoding" not in client.get("/kiosk/").headers


def test_static_urls_carry_the_hash_of_the_file_and_are_cached_for_a_year(client):
    urls = static_urls(start_intake(client))
    assert {url.split("?")[0] for url in urls} >= {"/static/yorisoi.css", "/static/kiosk.js", "/static/favicon.svg"}
    for url in urls:
        path, version = re.fullmatch(r"/static/([^?]+)\?v=([0-9a-f]+)", url).groups()
        assert version == hashlib.sha256((ROOT / "static" / path).read_bytes()).hexdigest()[:12]
        response = fetch(client, url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


@pytest.mark.parametrize("query", ["", "?v=0123456789ab"])
def test_a_static_file_without_its_current_hash_is_revalidated(client, query):
    response = fetch(client, f"/static/kiosk.js{query}")
    assert response.status_code == 200
    assert "immutable" not in response.headers.get("Cache-Control", "")
    assert "max-age=31536000" not in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize("name", ["yorisoi.css", "kiosk.js"])
def test_css_and_javascript_are_compressed_for_chromium(client, name):
    response = fetch(client, f"/static/{name}", **{"Accept-Encoding": CHROMIUM_ACCEPTS})
    assert response.headers["Content-Encoding"] in {"br", "zstd"}
    body = response.get_data()
    raw = (ROOT / "static" / name).read_bytes()
    if response.headers["Content-Encoding"] == "br":
        sent = brotli.decompress(body)
        # Minified: the source's comments stay in the source, the code is the same code.
        assert sent == MINIFIERS[ROOT.joinpath(name).suffix](raw) and b"/*" not in sent and len(sent) < len(raw)
    assert len(body) < len(raw) / 2


def test_the_embed_snippet_keeps_the_plain_widget_url(client):
    # An office copies this tag once; a versioned URL would pin its page to one release.
    html = client.get("/embed/demo").get_data(as_text=True)
    assert re.search(
        r"&lt;script src=&#34;http://localhost/static/widget.js&#34;|&lt;script src=\"http://localhost/static/widget.js\"",
        html,
    )


def test_favicon(client):
    response = fetch(client, "/favicon.ico")
    assert response.status_code == 200
    assert response.get_data()[:4] == b"\x00\x00\x01\x00"  # an ICO header: reserved 0, type 1 (icon)
    assert len(response.get_data()) < 2048
    linked = re.search(r'<link rel="icon" href="([^"]+)"', client.get("/kiosk/").get_data(as_text=True)).group(1)
    assert fetch(client, linked).status_code == 200


def test_a_compressed_static_file_revalidates_to_not_modified(client):
    first = fetch(client, "/static/widget.js", **{"Accept-Encoding": "br"})
    assert first.headers["Content-Encoding"] == "br"
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    again = fetch(client, "/static/widget.js", **{"Accept-Encoding": "br", "If-None-Match": etag})
    assert again.status_code == 304


def test_gzip_for_a_client_without_brotli(client):
    response = fetch(client, "/static/yorisoi.css", **{"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.get_data()) == MINIFIERS[".css"]((ROOT / "static" / "yorisoi.css").read_bytes())


def test_a_reply_within_one_packet_is_sent_as_it_is(client):
    response = client.post("/api/v1/intakes", json={"locale": "ja"}, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 201
    assert len(response.get_data()) < 1400
    assert "Content-Encoding" not in response.headers
