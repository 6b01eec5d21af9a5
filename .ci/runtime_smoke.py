"""CI: the install `make run` makes serves every signed-in role's pages without a 5xx.

Run by `make smoke-runtime` with the virtualenv that holds only requirements.lock (no translators, test or
dev extras). On a throwaway SQLite file it migrates, loads the demo office, starts `flask run` on a free
port, then for each demo user signs in through both steps (password, then the one-time code that
`flask intake users code` prints), opens the landing page and every same-site page it links to (GET links
only: signing out and every change is a form), and fails on any 5xx, naming the URL. Standard library only,
so it needs nothing the runtime lock does not hold.

    python3 .ci/runtime_smoke.py .venv-runtime
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AREAS = ("/caseworker", "/translate", "/kiosk")  # the signed-in roles' pages (and the kiosk they link to)
# `flask intake demo` prints one line per user: "  role: username / password / one-time-code key SECRET".
DEMO_LINE = re.compile(r"^\s+(\w+): (\S+) / (\S+) / one-time-code key")


class _Page(HTMLParser):
    """The links and the CSRF token of one page."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.csrf = ""

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append(found["href"])
        if tag == "input" and found.get("name") == "csrf_token":
            self.csrf = self.csrf or found.get("value") or ""


def _flask(venv: Path, env: dict, *args: str) -> str:
    done = subprocess.run(
        [str(venv / "bin" / "flask"), *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.exit(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Browser:
    """One signed-in person: a cookie jar, and every 5xx seen."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.failures: list[str] = []
        self.refused: list[str] = []  # 4xx: allowed (a role may be refused a page), counted in the summary

    def open(self, path: str, form: dict | None = None) -> tuple[str, str]:
        """(final URL, body); a 5xx is noted, a 4xx is a page like another (a role may be refused)."""
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        url = urllib.parse.urljoin(self.base, path)
        try:
            with self.opener.open(url, data=data, timeout=60) as response:
                return response.geturl(), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            redirected = error.url != url  # a POST answered with a redirect: the GET that followed failed
            if error.code >= 500:
                method = "GET" if data is None or redirected else "POST"
                self.failures.append(
                    f"{error.code} {method} {error.url}" + (f" (after POST {url})" if redirected else "")
                )
            else:
                self.refused.append(f"{error.code} {error.url}")
            return error.geturl(), error.read().decode("utf-8", "replace")

    def submit(self, path: str, fields: dict) -> tuple[str, str]:
        """GET the form's page for its CSRF token, then POST the fields with it."""
        _, body = self.open(path)
        page = _Page()
        page.feed(body)
        return self.open(path, {"csrf_token": page.csrf, **fields})


def _same_site_links(base: str, landing: str, body: str) -> list[str]:
    page = _Page()
    page.feed(body)
    found = []
    for href in page.links:
        parts = urllib.parse.urlsplit(urllib.parse.urljoin(landing, href))
        if f"{parts.scheme}://{parts.netloc}" != base.rstrip("/") or not parts.path.startswith(AREAS):
            continue
        if "logout" in parts.path:  # a POST form everywhere; never followed, whatever a template does
            continue
        url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
        if url not in found:
            found.append(url)
    return found


def _wait_until_up(base: str, server: subprocess.Popen) -> None:
    for _ in range(120):
        if server.poll() is not None:
            sys.exit("the server stopped before answering")
        try:
            urllib.request.urlopen(base + "kiosk/", timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.5)
    sys.exit("the server did not answer within a minute")


def main(venv: Path) -> int:
    with tempfile.TemporaryDirectory(prefix="yorisoi-smoke-") as scratch:
        env = {
            **os.environ,
            "FLASK_APP": "intake",
            "DATABASE_URL": f"sqlite:///{scratch}/smoke.db",
            "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        env.pop("DATABASE_OWNER_URL", None)
        _flask(venv, env, "intake", "i18n", "compile")
        _flask(venv, env, "db", "upgrade")
        users = [m.groups() for m in map(DEMO_LINE.match, _flask(venv, env, "intake", "demo").splitlines()) if m]
        if not users:
            sys.exit("`flask intake demo` printed no users")
        port = _free_port()
        base = f"http://127.0.0.1:{port}/"
        log = open(Path(scratch) / "server.log", "w+")  # noqa: SIM115  (read back on failure)
        server = subprocess.Popen(
            [str(venv / "bin" / "flask"), "run", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        failures: list[str] = []
        try:
            _wait_until_up(base, server)
            for role, username, password in users:
                browser = _Browser(base)
                url, _ = browser.submit("/caseworker/login", {"username": username, "password": password})
                if urllib.parse.urlsplit(url).path != "/caseworker/login/code":
                    failures.append(f"{username}: the password step went to {url}, not the one-time code")
                    failures += browser.failures
                    continue
                code = _flask(venv, env, "intake", "users", "code", username).strip()
                landing, body = browser.submit("/caseworker/login/code", {"code": code})
                if urllib.parse.urlsplit(landing).path.startswith("/caseworker/login"):
                    failures.append(f"{username}: the one-time code was refused (still at {landing})")
                    failures += browser.failures
                    continue
                links = _same_site_links(base, landing, body)
                for link in links:
                    browser.open(link)
                print(
                    f"{role} {username}: landed on {urllib.parse.urlsplit(landing).path}, opened {len(links)} linked pages, "
                    f"{len(browser.refused)} 4xx, {len(browser.failures)} 5xx"
                )
                failures += [f"{username}: {failure}" for failure in browser.failures]
        finally:
            server.terminate()
            server.wait(timeout=30)
        if failures:
            log.seek(0)
            print("server log (last lines):\n" + "".join(log.readlines()[-60:]), file=sys.stderr)
            print("FAILED on the runtime-only install:\n  " + "\n  ".join(failures), file=sys.stderr)
            return 1
        print(f"runtime-only install: {len(users)} demo users signed in, no 5xx")
        return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else ".venv-runtime").resolve()))
